"""Per-server settings: purposes of channels, defaults and budgets, and their validation."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.domain.errors import InvalidInput


class ChannelPurpose(enum.StrEnum):
    INTRODUCTIONS = "introductions"
    MENTORSHIP = "mentorship"
    MENTOR_REQUESTS = "mentor-requests"
    MODERATION_LOG = "moderation-log"
    ICEBREAKERS = "icebreakers"

    @property
    def description(self) -> str:
        return _PURPOSE_DESCRIPTIONS[self]


_PURPOSE_DESCRIPTIONS = {
    ChannelPurpose.INTRODUCTIONS: "private threads for introductions when DMs are closed",
    ChannelPurpose.MENTORSHIP: "private mentorship threads",
    ChannelPurpose.MENTOR_REQUESTS: "mentor request cards with a Claim button",
    ChannelPurpose.MODERATION_LOG: "a log of moderator actions and bot alerts",
    ChannelPurpose.ICEBREAKERS: "the default channel for icebreaker prompts",
}

# What the bot needs in each channel, named as discord.Permissions attributes so the
# adapter can check them without the domain knowing about discord.py. Locking a finished
# mentorship thread needs Manage Threads.
REQUIRED_PERMISSIONS: dict[ChannelPurpose, tuple[str, ...]] = {
    ChannelPurpose.INTRODUCTIONS: (  # the fallback thread's first message has embeds
        "view_channel",
        "send_messages",
        "embed_links",
        "create_private_threads",
        "send_messages_in_threads",
    ),
    ChannelPurpose.MENTORSHIP: (
        "view_channel",
        "send_messages",
        "create_private_threads",
        "send_messages_in_threads",
        "manage_threads",
    ),
    ChannelPurpose.MENTOR_REQUESTS: ("view_channel", "send_messages", "embed_links"),
    ChannelPurpose.MODERATION_LOG: ("view_channel", "send_messages", "embed_links"),
    ChannelPurpose.ICEBREAKERS: (
        "view_channel",
        "send_messages",
        "create_public_threads",
        "send_messages_in_threads",
        "read_message_history",
    ),
}


def missing_permissions(purpose: ChannelPurpose, has: Callable[[str], bool]) -> list[str]:
    """The permissions the bot lacks for ``purpose``, in a stable, readable order."""
    return [name for name in REQUIRED_PERMISSIONS[purpose] if not has(name)]


def permission_label(name: str) -> str:
    """``create_private_threads`` → ``create private threads``."""
    return name.replace("_", " ")


@dataclass(frozen=True)
class Limit:
    """An inclusive integer range with the words to explain it."""

    low: int
    high: int
    label: str

    def check(self, value: int) -> int:
        if not self.low <= value <= self.high:
            raise InvalidInput(
                f"{self.label}: must be between {self.low} and {self.high} (you gave {value})."
            )
        return value


@dataclass(frozen=True)
class Setting:
    """One server default, declared once on :class:`GuildDefaults`.

    ``/setup defaults`` takes its options from these declarations, and ``/setup show``, the
    confirmation and the moderation log use their labels, so a new default is one field.
    """

    name: str  # the GuildDefaults field (and database column)
    option: str  # the /setup defaults option
    label: str  # how moderators see it everywhere
    help: str  # the option's description (at most 100 characters)
    kind: type  # bool, str or int
    limit: Limit | None = None  # for integers
    max_length: int | None = None  # for strings

    def format(self, value: object) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)


def _setting(
    default: Any,
    *,
    option: str,
    label: str,
    help: str,
    between: tuple[int, int] | None = None,
    max_length: int | None = None,
) -> Any:
    limit = Limit(between[0], between[1], label) if between else None
    declared = {"option": option, "label": label, "help": help, "limit": limit}
    return field(default=default, metadata={**declared, "max_length": max_length})


@dataclass(frozen=True)
class GuildDefaults:
    """A server's defaults and budgets. Every field has a safe default."""

    discoverable_by_default: bool = _setting(
        False,
        option="discoverable",
        label="New members discoverable",
        help="Are new members discoverable until they choose otherwise?",
    )
    timezone: str = _setting(
        "UTC",
        option="timezone",
        label="Time zone",
        help="IANA time zone for schedules, e.g. America/Chicago",
        max_length=64,
    )
    intro_expiry_days: int = _setting(
        7,
        option="intro_expiry_days",
        label="Introduction requests expire after (days)",
        help="Days before an unanswered introduction request expires",
        between=(1, 30),
    )
    event_retention_days: int = _setting(
        30,
        option="event_retention_days",
        label="Event attendance kept after the event (days)",
        help="Days after an event ends before its attendance list fades",
        between=(0, 365),
    )
    max_outgoing_pending: int = _setting(
        5,
        option="outgoing_pending",
        label="Outgoing pending requests per member",
        help="Pending introduction requests a member may have out at once",
        between=(1, 20),
    )
    max_requests_per_day: int = _setting(
        10,
        option="daily_requests",
        label="New requests per member per day",
        help="New introduction requests a member may send per day",
        between=(1, 50),
    )
    max_incoming_pending: int = _setting(
        3,
        option="incoming_pending",
        label="Incoming pending requests per member",
        help="Pending requests a member may receive at once",
        between=(1, 20),
    )
    pair_cooldown_days: int = _setting(
        30,
        option="pair_cooldown_days",
        label="Days between requests to the same member",
        help="Days before the same person can be asked again",
        between=(1, 365),
    )
    icebreaker_catch_up_minutes: int = _setting(
        120,
        option="icebreaker_catch_up_minutes",
        label="Late icebreakers still posted within (minutes)",
        help="How late a missed icebreaker may still be posted",
        between=(0, 1440),
    )
    departed_retention_days: int = _setting(
        30,
        option="departed_retention_days",
        label="Data of members who left is deleted after (days)",
        help="Days after a member is seen gone before everything about them is deleted",
        between=(1, 365),
    )

    def changed(self, **changes: Any) -> GuildDefaults:
        """A copy with ``changes`` applied after validating each; unknown names are errors."""
        known = {setting.name: setting for setting in self.settings()}
        clean: dict[str, Any] = {}
        for name, value in changes.items():
            if value is None:
                continue
            if name not in known:
                raise InvalidInput(f"There is no setting called {name}.")
            clean[name] = _validated(known[name], value)
        return replace(self, **clean)

    @classmethod
    def settings(cls) -> tuple[Setting, ...]:
        """The declarations, in the order moderators see them."""
        return tuple(
            Setting(
                name=f.name,
                option=f.metadata["option"],
                label=f.metadata["label"],
                help=f.metadata["help"],
                kind=type(f.default),
                limit=f.metadata["limit"],
                max_length=f.metadata["max_length"],
            )
            for f in fields(cls)
        )

    @classmethod
    def limits(cls) -> dict[str, Limit]:
        return {s.name: s.limit for s in cls.settings() if s.limit is not None}

    def described_changes(self, after: GuildDefaults) -> list[tuple[Setting, Any, Any]]:
        """(setting, before, after) for each default that differs in ``after``."""
        return [
            (s, getattr(self, s.name), getattr(after, s.name))
            for s in self.settings()
            if getattr(self, s.name) != getattr(after, s.name)
        ]


def _validated(setting: Setting, value: Any) -> Any:
    if setting.name == "timezone":
        return validate_timezone(value)
    if setting.limit is not None:
        return setting.limit.check(int(value))
    return setting.kind(value)


def validate_timezone(name: str) -> str:
    """Return the canonical IANA name for ``name`` (any case: america/chicago is
    America/Chicago) or explain what is wrong."""
    cleaned = name.strip()
    canonical = _canonical_names().get(cleaned.casefold())
    if canonical is not None:
        return canonical
    try:
        ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        suggestions = suggest_timezones(cleaned, limit=3)
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise InvalidInput(
            f"{cleaned or 'That'} is not a time zone I know. Use an IANA name such as "
            f"America/New_York or Europe/London.{hint}"
        ) from None
    return cleaned


# The zones an association's server most likely uses (US and Canada first, then a few
# others), offered before the alphabetical rest, which starts at Africa/.
LIKELY_ZONES: tuple[str, ...] = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Toronto",
    "America/Winnipeg",
    "America/Edmonton",
    "America/Vancouver",
    "America/Halifax",
    "America/St_Johns",
    "America/Puerto_Rico",
    "Europe/London",
    "UTC",
)


def suggest_timezones(text: str, limit: int = 25, *, current: str | None = None) -> list[str]:
    """Time zone names containing ``text`` (case-insensitive), for autocomplete: the server's
    current zone, then the likely ones, then names starting with ``text``, then the rest."""
    needle = text.strip().lower().replace(" ", "_")
    names = sorted(_zone_names())
    first = [z for z in (current, *LIKELY_ZONES) if z is not None and z in _zone_names()]
    preferred = list(dict.fromkeys(z for z in first if needle in z.lower()))
    starts = [n for n in names if n.lower().startswith(needle) and n not in preferred]
    contains = [n for n in names if needle in n.lower() and n not in preferred + starts]
    return (preferred + starts + contains)[:limit]


_ZONES: frozenset[str] | None = None
_CANONICAL: dict[str, str] | None = None


def _zone_names() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(z for z in available_timezones() if "/" in z or z == "UTC")
    return _ZONES


def _canonical_names() -> dict[str, str]:
    """Case-folded name → IANA spelling, over every zone the system knows."""
    global _CANONICAL
    if _CANONICAL is None:
        _CANONICAL = {z.casefold(): z for z in sorted(available_timezones())}
    return _CANONICAL


@dataclass(frozen=True)
class GuildSettings:
    """Everything a moderator configures for one server."""

    guild_id: int
    defaults: GuildDefaults
    channels: dict[ChannelPurpose, int]

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
    ChannelPurpose.INTRODUCTIONS: (
        "view_channel",
        "send_messages",
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
                f"{self.label} must be between {self.low} and {self.high} (you gave {value})."
            )
        return value


def _limit(default: int, low: int, high: int, label: str) -> Any:
    return field(default=default, metadata={"limit": Limit(low, high, label)})


@dataclass(frozen=True)
class GuildDefaults:
    """A server's defaults and budgets. Every field has a safe default."""

    discoverable_by_default: bool = False
    timezone: str = "UTC"
    intro_expiry_days: int = _limit(7, 1, 30, "Introduction expiry")
    max_outgoing_pending: int = _limit(5, 1, 20, "Outgoing pending requests per member")
    max_requests_per_day: int = _limit(10, 1, 50, "New requests per member per day")
    max_incoming_pending: int = _limit(3, 1, 20, "Incoming pending requests per member")
    pair_cooldown_days: int = _limit(30, 1, 365, "Days between requests to the same member")
    icebreaker_catch_up_minutes: int = _limit(120, 0, 1440, "Icebreaker catch-up window (minutes)")

    def changed(self, **changes: Any) -> GuildDefaults:
        """A copy with ``changes`` applied after validating each; unknown names are errors."""
        known = {f.name: f for f in fields(self)}
        clean: dict[str, Any] = {}
        for name, value in changes.items():
            if value is None:
                continue
            if name not in known:
                raise InvalidInput(f"There is no setting called {name}.")
            limit = known[name].metadata.get("limit")
            if name == "timezone":
                value = validate_timezone(value)
            elif limit is not None:
                value = limit.check(int(value))
            clean[name] = value
        return replace(self, **clean)

    @classmethod
    def limits(cls) -> dict[str, Limit]:
        return {f.name: f.metadata["limit"] for f in fields(cls) if "limit" in f.metadata}


def validate_timezone(name: str) -> str:
    """Return the canonical IANA name for ``name`` or explain what is wrong."""
    cleaned = name.strip()
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


def suggest_timezones(text: str, limit: int = 25) -> list[str]:
    """Time zone names containing ``text`` (case-insensitive), for autocomplete."""
    needle = text.strip().lower().replace(" ", "_")
    names = sorted(_zone_names())
    starts = [n for n in names if n.lower().startswith(needle)]
    contains = [n for n in names if needle in n.lower() and n not in starts]
    return (starts + contains)[:limit]


_ZONES: frozenset[str] | None = None


def _zone_names() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(z for z in available_timezones() if "/" in z or z == "UTC")
    return _ZONES


@dataclass(frozen=True)
class GuildSettings:
    """Everything a moderator configures for one server."""

    guild_id: int
    defaults: GuildDefaults
    channels: dict[ChannelPurpose, int]

"""Channel health: what each feature needs from the bot in a channel, in moderators' words.

Features declare where they post and what they need there as :class:`ChannelUse` values (the
services' registry in ``bot.services.health`` collects them); the adapter asks Discord what
the bot holds and :func:`problem_text` names what is missing ("cannot create private threads
in #mentorship"). Permission names are ``discord.Permissions`` attribute names, so the domain
never imports discord.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.domain.settings import REQUIRED_PERMISSIONS, ChannelPurpose

# Plain words for each permission a feature may need, in the order they are checked.
PERMISSION_WORDS: dict[str, str] = {
    "view_channel": "see the channel",
    "send_messages": "send messages",
    "embed_links": "embed links",
    "attach_files": "attach files",
    "read_message_history": "read message history",
    "create_public_threads": "create public threads",
    "create_private_threads": "create private threads",
    "send_messages_in_threads": "send messages in threads",
    "manage_threads": "manage threads",
}


@dataclass(frozen=True)
class ChannelUse:
    """One channel a feature uses: ``channel_id`` None means a purpose not set yet."""

    label: str
    channel_id: int | None
    needs: tuple[str, ...]
    unset_hint: str = ""
    # Members must see what the bot posts or opens there (a private thread's members see it
    # only if they can see its channel); only the moderation log is for moderators alone.
    members_reach: bool = True


def missing_from(needs: Iterable[str], has: Callable[[str], bool]) -> list[str]:
    """What the bot lacks of ``needs``, in :data:`PERMISSION_WORDS` order."""
    wanted = set(needs)
    ordered = [name for name in PERMISSION_WORDS if name in wanted]
    ordered += sorted(wanted - set(PERMISSION_WORDS))
    return [name for name in ordered if not has(name)]


def permission_words(name: str) -> str:
    return PERMISSION_WORDS.get(name, name.replace("_", " "))


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def problem_text(missing: list[str], channel_name: str) -> str:
    """``cannot create private threads or manage threads in #mentorship``."""
    return f"cannot {_listed([permission_words(m) for m in missing])} in #{channel_name}"


def hidden_from_members_text(channel_name: str) -> str:
    """Said when @everyone lacks View Channel where members must reach what the bot opens."""
    return (
        f"members cannot see #{channel_name} (@everyone lacks View Channel there or in its "
        "category), so they cannot reach what I post or open there"
    )


def members_reach(purpose: ChannelPurpose) -> bool:
    return purpose is not ChannelPurpose.MODERATION_LOG


def purpose_use(purpose: ChannelPurpose, channel_id: int | None) -> ChannelUse:
    return ChannelUse(
        purpose.value,
        channel_id,
        REQUIRED_PERMISSIONS[purpose],
        purpose.description,
        members_reach=members_reach(purpose),
    )


def icebreaker_schedule_needs(*, thread: bool, skip_if_quiet: bool) -> tuple[str, ...]:
    """A schedule posts prompts; a thread per prompt and the quiet check need more."""
    needs = ["view_channel", "send_messages"]
    if thread:
        needs += ["create_public_threads", "send_messages_in_threads"]
    if skip_if_quiet:
        needs.append("read_message_history")
    return tuple(needs)

"""Small renderers that more than one feature uses (public: any cog may import them)."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.domain.health import ChannelUse, missing_from, problem_text
from bot.domain.tags import CategoryTags


def grouped_lines(groups: Sequence[CategoryTags]) -> str:
    """A member's tags, one line per category: ``**Category**: A, B``."""
    return "\n".join(
        f"**{group.category}**: {', '.join(t.name for t in group.tags)}" for group in groups
    )


def channel_check(
    label: str, channel: discord.abc.GuildChannel | None, needs: Sequence[str]
) -> str:
    """One health line: the channel and ✅, or each permission the bot lacks there in words."""
    if channel is None:
        return f"**{label}**: ⚠️ the channel was deleted or I cannot see it; set it again."
    granted = channel.permissions_for(channel.guild.me)
    missing = missing_from(needs, lambda name: bool(getattr(granted, name)))
    if not missing:
        return f"**{label}**: {channel.mention} ✅"
    return f"**{label}**: {channel.mention} ⚠️ I {problem_text(missing, channel.name)}"


def use_check(use: ChannelUse, guild: discord.Guild) -> str:
    """The health line for one declared channel use (or "not set" for an unset purpose)."""
    if use.channel_id is None:
        return f"**{use.label}**: not set ({use.unset_hint})"
    return channel_check(use.label, guild.get_channel(use.channel_id), use.needs)

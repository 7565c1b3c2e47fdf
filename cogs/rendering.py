"""Small renderers that more than one feature uses (public: any cog may import them)."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.domain.health import ChannelUse, hidden_from_members_text, missing_from, problem_text
from bot.domain.tags import CategoryTags


def grouped_lines(groups: Sequence[CategoryTags]) -> str:
    """A member's tags, one line per category: ``**Category**: A, B``."""
    return "\n".join(
        f"**{group.category}**: {', '.join(t.name for t in group.tags)}" for group in groups
    )


def channel_check(
    label: str,
    channel: discord.abc.GuildChannel | None,
    needs: Sequence[str],
    *,
    members_reach: bool = False,
) -> str:
    """One health line: the channel and ✅, or each permission the bot lacks there in words,
    and (``members_reach``) whether members can see the channel at all."""
    if channel is None:
        return f"**{label}**: ⚠️ the channel was deleted or I cannot see it; set it again."
    granted = channel.permissions_for(channel.guild.me)
    missing = missing_from(needs, lambda name: bool(getattr(granted, name)))
    problems = [f"I {problem_text(missing, channel.name)}"] if missing else []
    # As Discord computes it for @everyone: the channel's own overwrites (a channel synced
    # with its category carries the category's).
    if members_reach and not channel.permissions_for(channel.guild.default_role).view_channel:
        problems.append(hidden_from_members_text(channel.name))
    if not problems:
        return f"**{label}**: {channel.mention} ✅"
    return f"**{label}**: {channel.mention} ⚠️ " + "; ".join(problems)


def use_check(use: ChannelUse, guild: discord.Guild) -> str:
    """The health line for one declared channel use (or "not set" for an unset purpose)."""
    if use.channel_id is None:
        return f"**{use.label}**: not set ({use.unset_hint})"
    channel = guild.get_channel(use.channel_id)
    return channel_check(use.label, channel, use.needs, members_reach=use.members_reach)

"""Embeds for /setup: settings and the channel health check."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.domain.settings import (
    ChannelPurpose,
    GuildDefaults,
    GuildSettings,
    missing_permissions,
    permission_label,
)
from bot.services.settings import DefaultsChange


def defaults_text(defaults: GuildDefaults) -> str:
    return "\n".join(
        f"{s.label}: **{s.format(getattr(defaults, s.name))}**" for s in defaults.settings()
    )


def channel_health(purpose: ChannelPurpose, channel: discord.abc.GuildChannel | None) -> str:
    """One line: the channel and either ✅ or the permissions the bot lacks there."""
    if channel is None:
        return f"**{purpose.value}**: ⚠️ the channel was deleted or I cannot see it; set it again."
    granted = channel.permissions_for(channel.guild.me)
    missing = missing_permissions(purpose, lambda name: bool(getattr(granted, name)))
    if not missing:
        return f"**{purpose.value}**: {channel.mention} ✅"
    names = ", ".join(permission_label(m) for m in missing)
    return f"**{purpose.value}**: {channel.mention} ⚠️ I cannot {names} in #{channel.name}"


def channels_text(settings: GuildSettings, guild: discord.Guild) -> str:
    lines = []
    for purpose in ChannelPurpose:
        channel_id = settings.channels.get(purpose)
        if channel_id is None:
            lines.append(f"**{purpose.value}**: not set ({purpose.description})")
        else:
            lines.append(channel_health(purpose, guild.get_channel(channel_id)))
    return "\n".join(lines)


@dataclass(frozen=True)
class TagProgress:
    """Where the server's tags stand, for the getting-started checklist."""

    tags: int
    waiting_suggestions: int


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def getting_started_text(settings: GuildSettings, tags: TagProgress) -> str:
    """What is set and what is next, each with the command that does it."""
    chosen = len(settings.channels)
    total = len(ChannelPurpose)
    done, todo = "✅", "⬜"
    lines = [
        f"{done if chosen == total else todo} Channels: {chosen} of {total} set (`/setup channel`)",
        f"{done} Defaults: check them above, change with `/setup defaults`",
    ]
    if tags.tags:
        lines.append(f"{done} Tags: {_plural(tags.tags, 'tag')} (`/setup tags add`, `rename`, …)")
    else:
        lines.append(f"{todo} Tags: none yet. Start with `/setup tags preset name:pt`")
    lines.append(f"{todo if not tags.tags else done} Picker: post one with `/setup tags picker`")
    waiting = tags.waiting_suggestions
    if waiting:
        lines.append(f"{todo} {_plural(waiting, 'tag suggestion')} waiting: `/setup tags review`")
    else:
        lines.append(f"{done} No tag suggestions waiting (`/setup tags review`)")
    return "\n".join(lines)


def settings_embed(
    settings: GuildSettings, guild: discord.Guild, tags: TagProgress | None = None
) -> discord.Embed:
    embed = discord.Embed(title=f"Settings for {guild.name}")
    embed.add_field(name="Channels", value=channels_text(settings, guild), inline=False)
    embed.add_field(name="Defaults", value=defaults_text(settings.defaults), inline=False)
    if tags is not None:
        embed.add_field(
            name="Getting started", value=getting_started_text(settings, tags), inline=False
        )
    embed.set_footer(text="Change with /setup channel and /setup defaults; tags with /setup tags.")
    return embed


def defaults_changed_text(change: DefaultsChange) -> str:
    if not change.changes:
        return "Nothing changed: those are already the settings."
    lines = [f"{s.label}: {s.format(old)} → **{s.format(new)}**" for s, old, new in change.changes]
    return "Saved.\n" + "\n".join(lines)

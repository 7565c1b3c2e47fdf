"""Embeds for /setup: settings and the channel health check."""

from __future__ import annotations

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


def settings_embed(settings: GuildSettings, guild: discord.Guild) -> discord.Embed:
    embed = discord.Embed(title=f"Settings for {guild.name}")
    embed.add_field(name="Channels", value=channels_text(settings, guild), inline=False)
    embed.add_field(name="Defaults", value=defaults_text(settings.defaults), inline=False)
    embed.set_footer(text="Change with /setup channel and /setup defaults.")
    return embed


def defaults_changed_text(change: DefaultsChange) -> str:
    if not change.changes:
        return "Nothing changed: those are already the settings."
    lines = [f"{s.label}: {s.format(old)} → **{s.format(new)}**" for s, old, new in change.changes]
    return "Saved.\n" + "\n".join(lines)

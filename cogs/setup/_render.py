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

DEFAULT_LABELS = {
    "discoverable_by_default": "New members discoverable",
    "timezone": "Time zone",
    "intro_expiry_days": "Introduction requests expire after (days)",
    "max_outgoing_pending": "Outgoing pending requests per member",
    "max_requests_per_day": "New requests per member per day",
    "max_incoming_pending": "Incoming pending requests per member",
    "pair_cooldown_days": "Days between requests to the same member",
    "icebreaker_catch_up_minutes": "Late icebreakers still posted within (minutes)",
}


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def defaults_text(defaults: GuildDefaults) -> str:
    return "\n".join(
        f"{label}: **{_value(getattr(defaults, name))}**" for name, label in DEFAULT_LABELS.items()
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


def defaults_changed_text(changed: dict[str, tuple[object, object]]) -> str:
    if not changed:
        return "Nothing changed: those are already the settings."
    lines = [
        f"{DEFAULT_LABELS.get(name, name)}: {_value(old)} → **{_value(new)}**"
        for name, (old, new) in changed.items()
    ]
    return "Saved.\n" + "\n".join(lines)

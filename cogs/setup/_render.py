"""Embeds for /setup: settings and the channel health check."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.domain.health import ChannelUse, members_reach
from bot.domain.settings import (
    REQUIRED_PERMISSIONS,
    ChannelPurpose,
    GuildDefaults,
    GuildSettings,
)
from bot.services.settings import DefaultsChange
from cogs.rendering import channel_check, use_check

FIELD_LIMIT = 1024


def defaults_text(defaults: GuildDefaults) -> str:
    return "\n".join(
        f"{s.label}: **{s.format(getattr(defaults, s.name))}**" for s in defaults.settings()
    )


def channel_health(purpose: ChannelPurpose, channel: discord.abc.GuildChannel | None) -> str:
    """The check for a channel just set for ``purpose``."""
    return channel_check(
        purpose.value, channel, REQUIRED_PERMISSIONS[purpose], members_reach=members_reach(purpose)
    )


def health_fields(uses: list[ChannelUse], guild: discord.Guild) -> list[str]:
    """Every declared channel's health line, packed into embed fields (1,024 characters)."""
    fields: list[str] = []
    for line in (use_check(use, guild) for use in uses):
        if fields and len(fields[-1]) + len(line) + 1 <= FIELD_LIMIT:
            fields[-1] += "\n" + line
        else:
            fields.append(line[:FIELD_LIMIT])
    return fields


@dataclass(frozen=True)
class TagProgress:
    """Where the server's tags stand, for the getting-started checklist."""

    tags: int
    waiting_suggestions: int
    picker_channel_id: int | None = None  # where the public picker was last posted


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
    if tags.picker_channel_id is None:
        lines.append(f"{todo} Picker: post one with `/setup tags picker`")
    else:
        lines.append(f"{done} Picker: posted in <#{tags.picker_channel_id}> (`/setup tags picker`)")
    waiting = tags.waiting_suggestions
    if waiting:
        lines.append(f"{todo} {_plural(waiting, 'tag suggestion')} waiting: `/setup tags review`")
    else:
        lines.append(f"{done} No tag suggestions waiting (`/setup tags review`)")
    return "\n".join(lines)


def settings_embed(
    settings: GuildSettings,
    guild: discord.Guild,
    uses: list[ChannelUse],
    tags: TagProgress | None = None,
) -> discord.Embed:
    embed = discord.Embed(title=f"Settings for {guild.name}")
    for number, value in enumerate(health_fields(uses, guild)):
        embed.add_field(name="Channels" if number == 0 else "\u200b", value=value, inline=False)
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

"""Thin adapter: parse the interaction, call SettingsService, render, respond."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.settings import ChannelPurpose, GuildDefaults, suggest_timezones
from bot.responding import respond
from cogs.setup._render import (
    channel_health,
    defaults_changed_text,
    defaults_text,
    settings_embed,
)
from cogs.tags._admin import TagsAdmin

if TYPE_CHECKING:
    from bot.client import SigBot

LIMITS = GuildDefaults.limits()


# Discord enforces the domain's limits in the client too.
_expiry, _outgoing, _daily, _incoming, _cooldown, _catch_up = (
    LIMITS[name]
    for name in (
        "intro_expiry_days",
        "max_outgoing_pending",
        "max_requests_per_day",
        "max_incoming_pending",
        "pair_cooldown_days",
        "icebreaker_catch_up_minutes",
    )
)
ExpiryDays = app_commands.Range[int, _expiry.low, _expiry.high]
OutgoingPending = app_commands.Range[int, _outgoing.low, _outgoing.high]
DailyRequests = app_commands.Range[int, _daily.low, _daily.high]
IncomingPending = app_commands.Range[int, _incoming.low, _incoming.high]
CooldownDays = app_commands.Range[int, _cooldown.low, _cooldown.high]
CatchUpMinutes = app_commands.Range[int, _catch_up.low, _catch_up.high]
PURPOSE_CHOICES = [app_commands.Choice(name=p.value, value=p.value) for p in ChannelPurpose]


def _guild(interaction: discord.Interaction[SigBot]) -> discord.Guild:
    assert interaction.guild is not None  # the group is guild-only
    return interaction.guild


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class SetupCog(commands.GroupCog, group_name="setup", group_description="Moderator settings"):
    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.settings = bot.services.settings
        super().__init__()
        assert self.app_command is not None  # a GroupCog always has its group
        self.app_command.add_command(TagsAdmin(bot))  # /setup tags …

    @app_commands.command(
        name="show", description="Every setting, and what I can do in each channel"
    )
    async def show(self, interaction: discord.Interaction[SigBot]) -> None:
        guild = _guild(interaction)
        settings = await self.settings.show(guild.id)
        await respond(interaction, embed=settings_embed(settings, guild))

    @app_commands.command(name="channel", description="Choose the channel for one of my jobs")
    @app_commands.describe(purpose="What the channel is for", channel="The channel to use")
    @app_commands.choices(purpose=PURPOSE_CHOICES)
    async def channel(
        self,
        interaction: discord.Interaction[SigBot],
        purpose: app_commands.Choice[str],
        channel: discord.TextChannel,
    ) -> None:
        chosen = await self.settings.set_channel(
            _guild(interaction).id, purpose.value, channel.id, actor_id=interaction.user.id
        )
        await respond(interaction, f"Saved. {channel_health(chosen, channel)}")

    @app_commands.command(name="defaults", description="Server defaults and member budgets")
    @app_commands.describe(
        discoverable="Are new members discoverable until they choose otherwise?",
        timezone="IANA time zone for schedules, e.g. America/Chicago",
        intro_expiry_days="Days before an unanswered introduction request expires",
        outgoing_pending="Pending introduction requests a member may have out at once",
        daily_requests="New introduction requests a member may send per day",
        incoming_pending="Pending requests a member may receive at once",
        pair_cooldown_days="Days before the same person can be asked again",
        icebreaker_catch_up_minutes="How late a missed icebreaker may still be posted",
    )
    async def defaults(
        self,
        interaction: discord.Interaction[SigBot],
        discoverable: bool | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        intro_expiry_days: ExpiryDays | None = None,
        outgoing_pending: OutgoingPending | None = None,
        daily_requests: DailyRequests | None = None,
        incoming_pending: IncomingPending | None = None,
        pair_cooldown_days: CooldownDays | None = None,
        icebreaker_catch_up_minutes: CatchUpMinutes | None = None,
    ) -> None:
        guild_id = _guild(interaction).id
        change = await self.settings.set_defaults(
            guild_id,
            actor_id=interaction.user.id,
            discoverable_by_default=discoverable,
            timezone=timezone,
            intro_expiry_days=intro_expiry_days,
            max_outgoing_pending=outgoing_pending,
            max_requests_per_day=daily_requests,
            max_incoming_pending=incoming_pending,
            pair_cooldown_days=pair_cooldown_days,
            icebreaker_catch_up_minutes=icebreaker_catch_up_minutes,
        )
        text = defaults_changed_text(change.changed)
        if not change.changed:
            text += "\n\n" + defaults_text(change.after)
        await respond(interaction, text)

    @defaults.autocomplete("timezone")
    async def _timezone_autocomplete(
        self, interaction: discord.Interaction[SigBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in suggest_timezones(current)]

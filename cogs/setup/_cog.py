"""Thin adapter: parse the interaction, call SettingsService, render, respond."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.settings import ChannelPurpose
from bot.responding import respond
from cogs.setup._defaults import defaults_command
from cogs.setup._render import TagProgress, channel_health, settings_embed
from cogs.setup._report import report_command

if TYPE_CHECKING:
    from bot.client import SigBot

PURPOSE_CHOICES = [app_commands.Choice(name=p.value, value=p.value) for p in ChannelPurpose]


def _guild(interaction: discord.Interaction[SigBot]) -> discord.Guild:
    assert interaction.guild is not None  # the group is guild-only
    return interaction.guild


async def _tag_progress(interaction: discord.Interaction[SigBot], guild_id: int) -> TagProgress:
    services = interaction.client.services
    index = await services.vocabulary.index(guild_id)
    waiting = await services.suggestions.pending_count(guild_id)
    picker = await services.member_tags.picker_channel(guild_id)
    return TagProgress(tags=len(index.tags), waiting_suggestions=waiting, picker_channel_id=picker)


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class SetupCog(commands.GroupCog, group_name="setup", group_description="Moderator settings"):
    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.settings = bot.services.settings
        super().__init__()
        assert self.app_command is not None  # a GroupCog always has its group
        self.app_command.add_command(defaults_command())
        self.app_command.add_command(report_command)

    @app_commands.command(
        name="show", description="Every setting, and what I can do in each channel"
    )
    async def show(self, interaction: discord.Interaction[SigBot]) -> None:
        guild = _guild(interaction)
        settings = await self.settings.show(guild.id)
        uses = await self.bot.services.health.channel_uses(guild.id)
        tags = await _tag_progress(interaction, guild.id)
        await respond(interaction, embed=settings_embed(settings, guild, uses, tags))

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

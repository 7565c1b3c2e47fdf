"""/rounds: members join, leave, skip a round, and see whom they were grouped with."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.responding import respond
from cogs import kit
from cogs.rounds import _render
from cogs.rounds._views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.client import SigBot

Interaction = discord.Interaction["SigBot"]


async def schedule_choices(
    interaction: Interaction, current: str
) -> list[app_commands.Choice[int]]:
    """The server's round schedules, for autocomplete (here and under /setup rounds)."""
    views = await interaction.client.services.rounds.schedules(kit.guild_id(interaction))
    guild = interaction.guild
    found = []
    for view in views:
        channel = guild.get_channel(view.schedule.channel_id) if guild else None
        label = _render.schedule_choice_label(view, channel.name if channel else "channel")
        if current.strip().lower() in label.lower():
            found.append(app_commands.Choice(name=label, value=view.schedule.id))
    return found[:25]


@app_commands.guild_only()
class RoundsCog(
    kit.WithComponents, commands.GroupCog, group_name="rounds", group_description="Intro rounds"
):
    components = DYNAMIC_ITEMS

    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.members = bot.services.round_members
        super().__init__()

    @app_commands.command(
        name="join", description="Join the intro rounds: meet someone new each round"
    )
    @app_commands.describe(schedule="Only this schedule's rounds (default: every round here)")
    async def join(self, interaction: Interaction, schedule: int | None = None) -> None:
        joined = await self.members.join(kit.guild_id(interaction), interaction.user.id, schedule)
        await respond(interaction, _render.joined_text(joined, schedule))

    @app_commands.command(name="leave", description="Leave the intro rounds")
    async def leave(self, interaction: Interaction) -> None:
        await self.members.leave(kit.guild_id(interaction), interaction.user.id)
        await respond(interaction, _render.LEFT)

    @app_commands.command(name="skip", description="Sit out the next intro round")
    async def skip(self, interaction: Interaction) -> None:
        await self.members.skip(kit.guild_id(interaction), interaction.user.id)
        await respond(interaction, _render.SKIPPED)

    @app_commands.command(name="history", description="Whom I was grouped with in intro rounds")
    async def history(self, interaction: Interaction) -> None:
        groups = await self.members.history(kit.guild_id(interaction), interaction.user.id)
        await respond(interaction, _render.history_text(groups))

    @join.autocomplete("schedule")
    async def _schedule(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        return await schedule_choices(interaction, current)

"""/icebreaker: members suggest prompts for the moderators to review."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.icebreakers import PROMPT_LIMIT
from bot.responding import respond
from cogs import kit
from cogs.icebreakers import _render
from cogs.icebreakers._views import DYNAMIC_ITEMS

if TYPE_CHECKING:
    from bot.client import SigBot

PromptText = app_commands.Range[str, 1, PROMPT_LIMIT]


@app_commands.guild_only()
class IcebreakerCog(
    kit.WithComponents,
    commands.GroupCog,
    group_name="icebreaker",
    group_description="Icebreaker prompts",
):
    components = DYNAMIC_ITEMS

    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.prompts = bot.services.icebreaker_prompts
        super().__init__()

    @app_commands.command(name="suggest", description="Suggest an icebreaker prompt")
    @app_commands.describe(text="The question you'd like the community to talk about")
    async def suggest(self, interaction: discord.Interaction[SigBot], text: PromptText) -> None:
        await self.prompts.suggest(kit.guild_id(interaction), interaction.user.id, text)
        await respond(interaction, _render.SUGGESTED)

"""/profile and the "View profile" user context menu: thin adapters over ProfileService."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.responding import respond, respond_with_modal
from cogs import kit
from cogs.profile._render import profile_embed
from cogs.profile._views import ProfileModal

if TYPE_CHECKING:
    from bot.client import SigBot


@app_commands.guild_only()
class ProfileCog(commands.GroupCog, group_name="profile", group_description="Member profiles"):
    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.profiles = bot.services.profiles
        self.view_menu = app_commands.ContextMenu(name="View profile", callback=self.view_from_menu)
        self.view_menu.guild_only = True
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.view_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.view_menu.name, type=self.view_menu.type)

    @app_commands.command(name="edit", description="Write what others see about you")
    async def edit(self, interaction: discord.Interaction[SigBot]) -> None:
        current = await self.profiles.own(kit.guild_id(interaction), interaction.user.id)
        await respond_with_modal(interaction, ProfileModal(current, self.profiles))

    @app_commands.command(name="view", description="A member's tags and profile (yours by default)")
    @app_commands.describe(member="Whose profile; leave empty for yours")
    async def view(
        self, interaction: discord.Interaction[SigBot], member: discord.Member | None = None
    ) -> None:
        await self.show(interaction, member or interaction.user)

    async def view_from_menu(
        self, interaction: discord.Interaction[SigBot], member: discord.Member
    ) -> None:
        await self.show(interaction, member)

    async def show(
        self, interaction: discord.Interaction[SigBot], member: discord.abc.User
    ) -> None:
        view = await self.profiles.view(kit.guild_id(interaction), interaction.user.id, member.id)
        await respond(interaction, embed=profile_embed(view, member))

"""/privacy: thin adapters over PrivacyService. Every answer is ephemeral."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.responding import respond
from cogs.privacy import _render

if TYPE_CHECKING:
    from bot.client import SigBot


def _guild_id(interaction: discord.Interaction[SigBot]) -> int:
    assert interaction.guild_id is not None  # guild-only for now
    return interaction.guild_id


@app_commands.guild_only()
class PrivacyCog(commands.GroupCog, group_name="privacy", group_description="Your privacy"):
    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.privacy = bot.services.privacy
        super().__init__()

    @app_commands.command(name="show", description="What I store about you and who can see you")
    async def show(self, interaction: discord.Interaction[SigBot]) -> None:
        summary = await self.privacy.show(_guild_id(interaction), interaction.user.id)
        await respond(interaction, _render.summary_text(summary))

    @app_commands.command(name="discoverable", description="Let members find you, or hide")
    @app_commands.describe(value="On: members can find you and ask to meet you")
    async def discoverable(
        self, interaction: discord.Interaction[SigBot], value: Literal["on", "off"]
    ) -> None:
        wanted = value == "on"
        changed = await self.privacy.set_discoverable(
            _guild_id(interaction), interaction.user.id, wanted
        )
        await respond(interaction, _render.discoverable_text(wanted, changed))

    @app_commands.command(name="block", description="Never be suggested to or listed for them")
    @app_commands.describe(member="Who to block (they are not told)")
    async def block(self, interaction: discord.Interaction[SigBot], member: discord.User) -> None:
        new = await self.privacy.block(_guild_id(interaction), interaction.user.id, member.id)
        await respond(interaction, _render.blocked_text(member.id, new))

    @app_commands.command(name="unblock", description="Lift a block you made")
    @app_commands.describe(member="Who to unblock")
    async def unblock(self, interaction: discord.Interaction[SigBot], member: discord.User) -> None:
        await self.privacy.unblock(_guild_id(interaction), interaction.user.id, member.id)
        await respond(interaction, _render.unblocked_text(member.id))

    @app_commands.command(name="blocks", description="The people you blocked")
    async def blocks(self, interaction: discord.Interaction[SigBot]) -> None:
        blocks = await self.privacy.blocks(_guild_id(interaction), interaction.user.id)
        await respond(interaction, _render.blocks_text(blocks))

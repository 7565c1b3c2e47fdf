"""/privacy: thin adapters over PrivacyService. Every answer is ephemeral.

show, export and delete also work in DMs with the bot, where they cover every server the bot
has data for; the rest need the server they are about.
"""

from __future__ import annotations

import json
from io import BytesIO
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.responding import respond
from cogs import kit
from cogs.privacy import _render
from cogs.privacy._views import DYNAMIC_ITEMS, confirm_view

if TYPE_CHECKING:
    from bot.client import SigBot

EXPORT_NAME = "sigbot-my-data.json"


def _guild_id(interaction: discord.Interaction[SigBot]) -> int:
    """/privacy also works in DMs, where these subcommands say which ones cover every server."""
    return kit.guild_id(interaction, outside_server=_render.SERVER_ONLY)


@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
class PrivacyCog(
    kit.WithComponents, commands.GroupCog, group_name="privacy", group_description="Your privacy"
):
    components = DYNAMIC_ITEMS

    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.privacy = bot.services.privacy
        super().__init__()

    @app_commands.command(name="show", description="What I store about you and who can see you")
    async def show(self, interaction: discord.Interaction[SigBot]) -> None:
        summary = await self.privacy.show(interaction.guild_id, interaction.user.id)
        await respond(interaction, _render.summary_text(summary))

    @app_commands.command(name="export", description="Download everything I store about you")
    async def export(self, interaction: discord.Interaction[SigBot]) -> None:
        export = await self.privacy.export(interaction.guild_id, interaction.user.id)
        data = json.dumps(export, indent=2, ensure_ascii=False).encode()
        file = discord.File(BytesIO(data), filename=EXPORT_NAME)
        in_dms = interaction.guild_id is None
        # From DMs it stays in the conversation with the bot; in a server only you see it.
        await respond(interaction, _render.export_text(export), file=file, ephemeral=not in_dms)

    @app_commands.command(name="delete", description="Delete everything I store about you")
    async def delete(self, interaction: discord.Interaction[SigBot]) -> None:
        view = confirm_view(interaction.guild_id, self.bot.services.clock.now())
        await respond(interaction, _render.confirm_text(interaction.guild_id is None), view=view)

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

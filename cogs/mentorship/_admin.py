"""/setup mentorship [require_role]: who may offer to mentor (Manage Server, via /setup)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.responding import respond
from cogs import kit
from cogs.mentorship import _render

if TYPE_CHECKING:
    from bot.client import SigBot

Interaction = discord.Interaction["SigBot"]
NAME = "mentorship"


def mentorship_command(bot: SigBot) -> app_commands.Command[Any, ..., None]:
    mentors = bot.services.mentors

    @app_commands.command(name=NAME, description="Mentorship settings: who may offer to mentor")
    @app_commands.describe(
        require_role="Only members with this role may offer to mentor",
        anyone="Let any member offer to mentor again",
    )
    async def mentorship(
        interaction: Interaction,
        require_role: discord.Role | None = None,
        anyone: bool = False,
    ) -> None:
        guild_id = kit.guild_id(interaction)
        if require_role is not None or anyone:
            role_id = None if anyone else require_role.id if require_role else None
            await mentors.set_require_role(guild_id, role_id, actor_id=interaction.user.id)
            await respond(interaction, _render.require_role_text(role_id))
            return
        await respond(interaction, _render.require_role_text(await mentors.require_role(guild_id)))

    return mentorship

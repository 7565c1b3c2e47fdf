"""What every cog and component reads off an interaction: the services and the server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import discord

from bot.domain.errors import InvalidInput

if TYPE_CHECKING:
    from bot.client import SigBot
    from bot.services import Services

SERVER_ONLY = "That only works in a server: use it there."


def services(interaction: discord.Interaction[Any]) -> Services:
    """The bot's services; discord.py types component callbacks for any client."""
    return cast("SigBot", interaction.client).services


def guild_id(interaction: discord.Interaction[Any], *, outside_server: str = SERVER_ONLY) -> int:
    """The server the interaction came from; outside one, ``outside_server`` is the answer.

    Guild-only commands never get here without a server, but a message's buttons can be pressed
    wherever the message went, so this says so kindly instead of failing an assertion.
    """
    if interaction.guild_id is None:
        raise InvalidInput(outside_server)
    return interaction.guild_id


def guild_name(interaction: discord.Interaction[Any]) -> str:
    """The server's name, for DMs that must say which community they are about."""
    return interaction.guild.name if interaction.guild is not None else ""

"""Plain helpers the sandbox tests share (fixtures live in ``conftest.py``)."""

from __future__ import annotations

from collections.abc import Callable

import discord
from discord import app_commands

from sandbox.guilds import Guild

Register = Callable[["Bot"], None]


class Bot(discord.Client):
    """A minimal bot: guilds intent only, no mentions, commands synced to one guild."""

    def __init__(self, guild: Guild, register: Register) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(intents=intents, allowed_mentions=discord.AllowedMentions.none())
        self.tree = app_commands.CommandTree(self)
        self.guild_id = guild.id
        self.errors: list[BaseException] = []
        register(self)

        @self.tree.error
        async def on_error(ix: discord.Interaction, error: app_commands.AppCommandError) -> None:
            self.errors.append(error)

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=discord.Object(self.guild_id))

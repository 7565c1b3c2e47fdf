"""One /mentor group, two cogs: the match side's commands join the request side's group."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import EXTENSIONS, SigBot
from bot.scheduling import Scheduler
from bot.services import Services
from cogs.mentorship import attach_to_mentor_group


class MatchSide(commands.Cog):
    @app_commands.command(name="stand-in", description="A stand-in for a match side's command")
    async def stand_in(self, interaction: discord.Interaction[SigBot]) -> None:
        raise NotImplementedError


async def test_a_second_cog_adds_its_commands_under_mentor(services: Services) -> None:
    bot = SigBot(services=services, scheduler=Scheduler())
    for name in EXTENSIONS:
        await bot.load_extension(name)
    await bot.add_cog(MatchSide())
    attach_to_mentor_group(bot, bot.get_cog("MatchSide"))  # type: ignore[arg-type]
    mentor = bot.tree.get_command("mentor")
    assert isinstance(mentor, app_commands.Group)
    names = {c.name for c in mentor.commands}
    expected = {"offer", "pause", "resume", "status", "request", "cancel", "stand-in"}
    assert expected | {"checkin", "close", "record"} <= names  # the match side's, really
    assert bot.tree.get_command("stand-in") is None
    assert bot.tree.get_command("record") is None
    setup = bot.tree.get_command("setup")
    assert isinstance(setup, app_commands.Group)
    assert setup.get_command("mentorship") is not None
    for name in reversed(EXTENSIONS):
        await bot.unload_extension(name)

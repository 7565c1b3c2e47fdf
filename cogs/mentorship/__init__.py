"""/mentor (offers, requests, claims; the match's commands) and /setup mentorship.

One ``/mentor`` group, two cogs: ``MentorCog`` owns the group and the request side; the match
side's cog adds its commands to that group with :func:`attach_to_mentor_group`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands
from discord.ext import commands

from cogs.mentorship._admin import NAME, mentorship_command
from cogs.mentorship._cog import MentorCog
from cogs.mentorship._match import MentorMatchCog
from cogs.setup.groups import add_setup_group, remove_setup_group

if TYPE_CHECKING:
    from bot.client import SigBot

MENTOR = "mentor"


def attach_to_mentor_group(bot: SigBot, cog: commands.Cog) -> None:
    """Move a loaded cog's top-level slash commands under /mentor."""
    group = bot.tree.get_command(MENTOR)
    if not isinstance(group, app_commands.Group):
        raise RuntimeError("add MentorCog (the /mentor group) before the cogs that join it")
    for command in cog.get_app_commands():
        bot.tree.remove_command(command.name)
        group.add_command(command)


async def setup(bot: SigBot) -> None:
    await bot.add_cog(MentorCog(bot))
    matches = MentorMatchCog(bot)
    await bot.add_cog(matches)
    attach_to_mentor_group(bot, matches)
    add_setup_group(bot, mentorship_command(bot))


async def teardown(bot: SigBot) -> None:
    remove_setup_group(bot, NAME)

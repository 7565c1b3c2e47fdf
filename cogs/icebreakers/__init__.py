"""/icebreaker (members suggest) and /setup icebreakers (moderators schedule and curate)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.icebreakers._admin import IcebreakersAdmin
from cogs.icebreakers._cog import IcebreakerCog
from cogs.setup.groups import add_setup_group, remove_setup_group

if TYPE_CHECKING:
    from bot.client import SigBot


async def setup(bot: SigBot) -> None:
    await bot.add_cog(IcebreakerCog(bot))
    add_setup_group(bot, IcebreakersAdmin(bot))


async def teardown(bot: SigBot) -> None:
    remove_setup_group(bot, IcebreakersAdmin.NAME)

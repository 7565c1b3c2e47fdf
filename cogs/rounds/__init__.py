"""/rounds (members join, leave, skip, history) and /setup rounds (moderators schedule them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.rounds._admin import RoundsAdmin
from cogs.rounds._cog import RoundsCog
from cogs.setup.groups import add_setup_group, remove_setup_group

if TYPE_CHECKING:
    from bot.client import SigBot


async def setup(bot: SigBot) -> None:
    await bot.add_cog(RoundsCog(bot))
    add_setup_group(bot, RoundsAdmin(bot))


async def teardown(bot: SigBot) -> None:
    remove_setup_group(bot, RoundsAdmin.NAME)

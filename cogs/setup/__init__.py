"""/setup: moderator configuration (Manage Server, re-checked at run time by the tree)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.setup._cog import SetupCog

if TYPE_CHECKING:
    from bot.client import SigBot


async def setup(bot: SigBot) -> None:
    await bot.add_cog(SetupCog(bot))

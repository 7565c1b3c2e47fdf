"""/find and /intro: find people who share tags and ask for double opt-in introductions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.introductions._cog import FindCog, IntroCog

if TYPE_CHECKING:
    from bot.client import SigBot


async def setup(bot: SigBot) -> None:
    await bot.add_cog(FindCog(bot))
    await bot.add_cog(IntroCog(bot))

"""/find and /intro: find people who share tags and ask for double opt-in introductions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.introductions._cog import FindCog, IntroCog
from cogs.introductions._render import event_label, find_embed
from cogs.introductions._views import find_view

# Public for other features' listings (events): the same entries and introduction select.
__all__ = ["event_label", "find_embed", "find_view", "setup"]

if TYPE_CHECKING:
    from bot.client import SigBot


async def setup(bot: SigBot) -> None:
    await bot.add_cog(FindCog(bot))
    await bot.add_cog(IntroCog(bot))

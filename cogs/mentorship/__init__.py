"""/mentor: offers, requests and the claim (``_cog``), and the match once active (``_match``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.mentorship._match import MentorMatchCog

if TYPE_CHECKING:
    from bot.client import SigBot


async def setup(bot: SigBot) -> None:
    await bot.add_cog(MentorMatchCog(bot))

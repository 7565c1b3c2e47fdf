"""/profile: edit my profile text, view a member's profile (consent permitting)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.profile._cog import ProfileCog

if TYPE_CHECKING:
    from bot.client import SigBot


async def setup(bot: SigBot) -> None:
    await bot.add_cog(ProfileCog(bot))

"""/tags: members tag themselves from the vocabulary; /setup tags (in ``_admin``) curates it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.setup.groups import add_setup_group, remove_setup_group
from cogs.tags._admin import TagsAdmin
from cogs.tags._cog import TagsCog

if TYPE_CHECKING:
    from bot.client import SigBot


async def setup(bot: SigBot) -> None:
    await bot.add_cog(TagsCog(bot))
    add_setup_group(bot, TagsAdmin(bot))


async def teardown(bot: SigBot) -> None:
    remove_setup_group(bot, TagsAdmin.NAME)

"""/event (members attend events and find other attendees) and /setup events (moderators)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.events._admin import EventsAdmin
from cogs.events._cog import EventCog
from cogs.setup.groups import add_setup_group, remove_setup_group

if TYPE_CHECKING:
    from bot.client import SigBot


async def setup(bot: SigBot) -> None:
    await bot.add_cog(EventCog(bot))
    add_setup_group(bot, EventsAdmin(bot))


async def teardown(bot: SigBot) -> None:
    remove_setup_group(bot, EventsAdmin.NAME)

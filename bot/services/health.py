"""Which channels the bot uses in a server and what it needs in each, feature by feature.

Each feature names its :data:`ChannelSource` functions in its manifest
(``Feature.channel_sources``): each lists the channels it posts in with the permissions it
needs there. ``/setup show`` checks them all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from bot.domain.health import ChannelUse, purpose_use
from bot.domain.settings import ChannelPurpose, GuildDefaults
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork

ChannelSource = Callable[[UnitOfWork, int], Awaitable[list[ChannelUse]]]


async def purpose_channels(uow: UnitOfWork, guild_id: int) -> list[ChannelUse]:
    """Every channel purpose (set or not), checked for what its feature needs."""
    settings = await uow.settings.get(guild_id, GuildDefaults())
    return [purpose_use(p, settings.channels.get(p)) for p in ChannelPurpose]


class HealthService:
    def __init__(self, db: Database, sources: Sequence[ChannelSource]) -> None:
        self.db = db
        self.sources = tuple(sources)

    async def channel_uses(self, guild_id: int) -> list[ChannelUse]:
        async with self.db.read() as uow:
            return [use for source in self.sources for use in await source(uow, guild_id)]

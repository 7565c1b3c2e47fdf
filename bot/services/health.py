"""Which channels the bot uses in a server and what it needs in each, feature by feature.

Each feature registers one :data:`ChannelSource` in :data:`CHANNEL_SOURCES`: it lists the
channels it posts in with the permissions it needs there. ``/setup show`` checks them all, so
a new feature's channels (rounds' schedule channels, say) are covered by one line here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from bot.domain.health import ChannelUse, purpose_use
from bot.domain.settings import ChannelPurpose, GuildDefaults
from bot.services.icebreakers.channels import icebreaker_channels
from bot.services.rounds.channels import round_channels
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork

ChannelSource = Callable[[UnitOfWork, int], Awaitable[list[ChannelUse]]]


async def purpose_channels(uow: UnitOfWork, guild_id: int) -> list[ChannelUse]:
    """Every channel purpose (set or not), checked for what its feature needs."""
    settings = await uow.settings.get(guild_id, GuildDefaults())
    return [purpose_use(p, settings.channels.get(p)) for p in ChannelPurpose]


CHANNEL_SOURCES: tuple[ChannelSource, ...] = (
    purpose_channels,
    icebreaker_channels,
    round_channels,
)


class HealthService:
    def __init__(self, db: Database, sources: Sequence[ChannelSource] = CHANNEL_SOURCES) -> None:
        self.db = db
        self.sources = tuple(sources)

    async def channel_uses(self, guild_id: int) -> list[ChannelUse]:
        async with self.db.read() as uow:
            return [use for source in self.sources for use in await source(uow, guild_id)]

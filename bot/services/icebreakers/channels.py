"""The channels icebreaker schedules post in, for the health check (``bot.services.health``)."""

from __future__ import annotations

from bot.domain.health import ChannelUse, icebreaker_schedule_needs
from bot.storage.unit_of_work import UnitOfWork


async def icebreaker_channels(uow: UnitOfWork, guild_id: int) -> list[ChannelUse]:
    return [
        ChannelUse(
            f"icebreaker schedule {s.id}",
            s.channel_id,
            icebreaker_schedule_needs(thread=s.thread, skip_if_quiet=s.skip_if_quiet),
        )
        for s in await uow.icebreakers.schedules(guild_id)
    ]

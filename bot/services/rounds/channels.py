"""The channels intro-round schedules open their groups' private threads in, for the health
check (``bot.services.health``)."""

from __future__ import annotations

from bot.domain.health import ChannelUse
from bot.storage.unit_of_work import UnitOfWork

# A group's private thread: made from the channel, the members added, the opening (with each
# member's card as an embed) and the "Did you meet?" buttons posted inside it.
ROUND_CHANNEL_NEEDS = (
    "view_channel",
    "send_messages",
    "embed_links",
    "create_private_threads",
    "send_messages_in_threads",
)


async def round_channels(uow: UnitOfWork, guild_id: int) -> list[ChannelUse]:
    return [
        ChannelUse(f"intro-round schedule {s.id}", s.channel_id, ROUND_CHANNEL_NEEDS)
        for s in await uow.rounds.schedules(guild_id)
    ]

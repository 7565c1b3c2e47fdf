"""Moderator actions, written to the moderation-log channel when a server has one."""

from __future__ import annotations

import hashlib
from datetime import datetime

from bot.domain.delivery import Delivery
from bot.domain.settings import ChannelPurpose
from bot.storage.unit_of_work import UnitOfWork


async def log_moderator_action(
    uow: UnitOfWork, guild_id: int, actor_id: int, text: str, *, now: datetime
) -> bool:
    """Queue ``text`` for the moderation log in the caller's transaction; False if none is set."""
    channel_id = await uow.settings.channel_for(guild_id, ChannelPurpose.MODERATION_LOG)
    if channel_id is None:
        return False
    entry = Delivery.post(
        f"modlog:{guild_id}:{actor_id}:{now.isoformat()}:{digest(text)}",
        channel_id,
        {"content": f"<@{actor_id}> {text}"},
        guild_id=guild_id,
    )
    return await uow.outbox.enqueue(entry, now=now)


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


async def log_bot_notice(uow: UnitOfWork, guild_id: int, text: str, *, now: datetime) -> bool:
    """Something moderators should know that no moderator did (a missing permission, a pool
    running low), in the moderation log; False if none is set."""
    channel_id = await uow.settings.channel_for(guild_id, ChannelPurpose.MODERATION_LOG)
    if channel_id is None:
        return False
    entry = Delivery.post(
        f"notice:{guild_id}:{now.isoformat()}:{digest(text)}",
        channel_id,
        {"content": f"ℹ️ {text}"},
        guild_id=guild_id,
    )
    return await uow.outbox.enqueue(entry, now=now)

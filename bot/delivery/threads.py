"""Creating a delivery's thread exactly once, even across a crash.

A crash (or a lost answer) between Discord creating the thread and the sender saving its id
would otherwise make a second thread on the next try. So the try is checkpointed first; a later
try that finds that checkpoint looks among the guild's active threads for the one it made before
creating another. Private threads cannot be made from a starter message, so a nonce cannot help.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bot.delivery.transport import DiscordError, DiscordTransport
from bot.storage.repositories.outbox import OutboxItem

log = logging.getLogger(__name__)

DISCORD_EPOCH_MS = 1_420_070_400_000
THREAD_TRY_STARTED = "thread_try_started_ms"  # checkpoint: a try to create the thread began

Checkpoint = Callable[[OutboxItem, dict[str, Any]], Awaitable[None]]


def snowflake_ms(snowflake: int) -> int:
    """When Discord made the object with this id (Unix milliseconds)."""
    return (snowflake >> 22) + DISCORD_EPOCH_MS


class ThreadOpener:
    def __init__(self, transport: DiscordTransport, checkpoint: Checkpoint) -> None:
        self.transport = transport
        self.checkpoint = checkpoint

    async def open(self, item: OutboxItem, result: dict[str, Any]) -> int:
        """Create the item's thread, or find the one an interrupted try already created."""
        payload = item.payload
        if THREAD_TRY_STARTED in result:
            found = await self._find(item, since_ms=result[THREAD_TRY_STARTED])
            if found is not None:
                log.warning("Delivery %s: found the thread an interrupted try made", item.key)
                return found
        else:
            # Wall-clock milliseconds, compared with Discord's snowflake times (not the
            # injected clock, which may be simulated).
            result[THREAD_TRY_STARTED] = int(time.time() * 1000)
            await self.checkpoint(item, result)
        return await self.transport.create_thread(
            item.target_id, payload["name"], private=payload["private"]
        )

    async def _find(self, item: OutboxItem, *, since_ms: int) -> int | None:
        """A thread in the item's channel, with its name, created since the first try began,
        holding nobody but its creator and the item's members: the one that try made.

        Items of one channel leave one at a time, so no other delivery made a thread there
        since; the member check keeps a member's earlier thread of the same name out.
        """
        payload = item.payload
        guild_id = item.guild_id or int((await self.transport.channel(item.target_id))["guild_id"])
        threads = await self.transport.active_threads(guild_id)
        for thread in sorted(threads, key=lambda t: int(t["id"])):
            if (
                int(thread.get("parent_id") or 0) != item.target_id
                or thread.get("name") != payload["name"]
                or snowflake_ms(int(thread["id"])) < since_ms
            ):
                continue
            allowed = {int(thread.get("owner_id") or 0), *payload["member_ids"]}
            if await self.transport.thread_member_ids(int(thread["id"])) <= allowed:
                return int(thread["id"])
        return None


UNKNOWN_MEMBER_CODE = 10007
MemberLeft = Callable[[int, int], Awaitable[None]]


async def add_members(
    transport: DiscordTransport, item: OutboxItem, thread_id: int, member_left: MemberLeft
) -> list[int]:
    """Add the item's members to its thread; one who left the server (10007 Unknown Member)
    is reported as gone and the thread goes on without them. Returns who was gone, so the
    feature can tell whoever was left alone."""
    gone = []
    for user_id in item.payload["member_ids"]:
        try:
            await transport.add_thread_member(thread_id, user_id)  # idempotent PUT
        except DiscordError as error:
            if error.code != UNKNOWN_MEMBER_CODE or item.guild_id is None:
                raise
            await member_left(item.guild_id, user_id)
            gone.append(user_id)
    return gone

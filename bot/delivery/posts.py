"""Posting a message to a channel, with the two options scheduled prompts need.

``skip_if_quiet``: ``{"channel_id": …, "last_message_id": …}``. Just before posting, the channel
(or the previous prompt's thread) is read; if its last message is still the one named (or it
has none, for a thread nobody answered in), nobody spoke since the previous prompt and the post
is skipped. Only the channel's ``last_message_id`` is read: no message content, no intent.

``thread_name``: after posting, open a public thread on the message for replies. A thread that
cannot be made (missing permission, 160006 too many active threads) leaves the post in place
and says so in the result (``thread_error``) so the feature can tell moderators.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.delivery.transport import DiscordError, DiscordTransport
from bot.domain.delivery import MAX_ACTIVE_THREADS_CODE
from bot.storage.repositories.outbox import OutboxItem

THREAD_ALREADY_MADE_CODE = 160004  # "A thread has already been created for this message"
_THREAD_REFUSALS = {50001, 50013, MAX_ACTIVE_THREADS_CODE}

Checkpoint = Callable[[OutboxItem, dict[str, Any]], Awaitable[None]]


class QuietChannel(Exception):
    """Nobody posted since the previous prompt: this slot is skipped."""


async def post_message(
    transport: DiscordTransport, item: OutboxItem, checkpoint: Checkpoint
) -> dict[str, Any]:
    payload, result = item.payload, dict(item.result)
    if "message_id" not in result:
        quiet = payload.get("skip_if_quiet")
        if quiet and await _still_quiet(transport, quiet):
            raise QuietChannel
        result["channel_id"] = item.target_id
        result["message_id"] = await transport.create_message(
            item.target_id, payload["message"], item.nonce()
        )
        if payload.get("thread_name"):
            await checkpoint(item, result)  # the post is made: a retry only opens the thread
    if payload.get("thread_name") and "thread_id" not in result and "thread_error" not in result:
        result.update(await _open_thread(transport, item, result["message_id"]))
    return result


async def _still_quiet(transport: DiscordTransport, quiet: dict[str, Any]) -> bool:
    try:
        channel = await transport.channel(int(quiet["channel_id"]))
    except DiscordError as error:
        if error.status == 404:  # the previous prompt's thread is gone: nothing to compare
            return False
        raise
    last = channel.get("last_message_id")
    expected = quiet.get("last_message_id")
    return (int(last) if last else None) == (int(expected) if expected else None)


async def _open_thread(
    transport: DiscordTransport, item: OutboxItem, message_id: int
) -> dict[str, Any]:
    try:
        thread_id = await transport.create_thread_from_message(
            item.target_id, message_id, item.payload["thread_name"]
        )
    except DiscordError as error:
        if error.code == THREAD_ALREADY_MADE_CODE:  # an interrupted try made it
            return {"thread_id": message_id}
        if error.status == 403 or error.code in _THREAD_REFUSALS:
            return {"thread_error": error.code or error.status}
        raise
    return {"thread_id": thread_id}

"""Rate limits: the sandbox answers 429 where Discord would, and delivery never earns one.

The sandbox enforces the buckets it advertises in ``X-RateLimit-*`` (per route and major
parameter) and the global 50 requests per second; the bot's transport reads those headers and
waits for the reset when a bucket is spent, so a burst of moderation-log posts gets no 429.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.clock import SystemClock
from bot.delivery.bucket import TokenBucket
from bot.delivery.sender import OutboxSender
from bot.delivery.transport import DiscordTransport
from bot.domain.delivery import Delivery
from bot.services import Services
from bot.storage.database import Database
from sandbox.server import SandboxServer
from tests.e2e.support import ManualClock

pytestmark = pytest.mark.e2e

CREATE_MESSAGE = "POST /channels/{channel_id}/messages"
DM_OPEN = "POST /users/@me/channels"


async def burst(server: SandboxServer, requests: list[tuple[str, str, Any]]) -> list[Any]:
    headers = {"Authorization": f"Bot {server.token}"}
    async with aiohttp.ClientSession(headers=headers) as http:

        async def one(method: str, path: str, body: Any) -> Any:
            async with http.request(method, server.api_base_url + path, json=body) as resp:
                return resp.status, dict(resp.headers), await resp.json()

        return await asyncio.gather(*(one(*r) for r in requests))


async def test_message_create_bucket_is_enforced_per_channel(server: SandboxServer) -> None:
    guild = server.create_guild("Busy")
    one, other = guild.add_text_channel("one"), guild.add_text_channel("other")
    server.rate_limits.set(CREATE_MESSAGE, limit=5, window=60.0)
    posts = [("POST", f"/channels/{one.id}/messages", {"content": f"m{i}"}) for i in range(7)]
    answers = await burst(
        server, [*posts, ("POST", f"/channels/{other.id}/messages", {"content": "x"})]
    )
    statuses = [status for status, _, _ in answers]
    assert statuses == [200] * 5 + [429, 429, 200]
    _, headers, body = answers[5]
    assert body["message"] == "You are being rate limited."
    assert body["global"] is False
    assert 0 < body["retry_after"] <= 60
    assert headers["X-RateLimit-Remaining"] == "0"
    assert headers["X-RateLimit-Scope"] == "user"
    assert server.rate_limited_count == 2
    assert len(one.messages) == 5


async def test_dm_open_bucket_is_enforced(server: SandboxServer) -> None:
    guild = server.create_guild("DMs")
    members = [guild.add_member(f"m{i}") for i in range(4)]
    server.rate_limits.set(DM_OPEN, limit=3, window=60.0)
    answers = await burst(
        server, [("POST", "/users/@me/channels", {"recipient_id": str(m.id)}) for m in members]
    )
    assert sorted(status for status, _, _ in answers) == [200, 200, 200, 429]


async def test_global_limit_of_50_per_second(server: SandboxServer) -> None:
    """Counted on the limiter's own clock, held still: however long the burst takes on a loaded
    machine, all 60 requests land in one window, so exactly 50 pass and the rest are refused."""
    limiter_clock = ManualClock()
    server.rate_limits.clock = limiter_clock
    guild = server.create_guild("Wide")
    channels = [guild.add_text_channel(f"c{i}") for i in range(60)]
    answers = await burst(
        server, [("POST", f"/channels/{c.id}/messages", {"content": "x"}) for c in channels]
    )
    refused = [body for status, _, body in answers if status == 429]
    assert refused
    assert all(body["global"] is True for body in refused)
    assert server.rate_limited_count == len(refused)
    assert [status for status, _, _ in answers].count(200) == 50
    assert all(body["retry_after"] == 1.0 for body in refused)

    limiter_clock.advance(1.0)  # the next second opens a new window
    again = await burst(
        server, [("POST", f"/channels/{channels[0].id}/messages", {"content": "y"})]
    )
    assert [status for status, _, _ in again] == [200]


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    db = await Database.open(f"sqlite+aiosqlite:///{tmp_path / 'outbox.sqlite3'}")
    await db.migrate()
    yield Services.build(db, SystemClock())
    await db.close()


async def test_a_burst_of_moderation_log_posts_gets_no_429(
    server: SandboxServer, services: Services
) -> None:
    """120 posts to one channel with the channel's bucket (20/s) under the sender's budget
    (45/s): only the headers can keep the sender from being told 429."""
    guild = server.create_guild("Moderated")
    mod_log = guild.add_text_channel("mod-log")
    server.rate_limits.set(CREATE_MESSAGE, limit=5, window=0.25)
    transport = DiscordTransport(
        api_base_url=server.api_base_url,
        token=server.token,
        bucket=TokenBucket(45.0, burst=5),
        dm_open_bucket=TokenBucket(2.0),
    )
    sender = OutboxSender(services.db, services.clock, transport, services.outcomes)
    async with services.db.transaction() as uow:
        outbox = uow.outbox
        for n in range(120):
            post = Delivery.post(f"log:{n}", mod_log.id, {"content": f"entry {n}"})
            await outbox.enqueue(post, now=services.clock.now())
    await sender.start()
    try:
        await sender.drain(timeout=60)
    finally:
        await sender.stop()
    statuses = [r.status for r in server.requests_for(CREATE_MESSAGE)]
    print(f"\n120 mod-log posts: {len(statuses)} requests, {statuses.count(429)} answered 429")
    assert server.rate_limited_count == 0
    assert sorted(m.content for m in mod_log.messages) == sorted(f"entry {n}" for n in range(120))

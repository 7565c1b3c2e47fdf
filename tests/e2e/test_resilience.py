"""The bot survives what Discord does to connections and rate limits."""

from __future__ import annotations

import asyncio

import pytest

from bot.client import SigBot
from sandbox.demo import DemoCommunity
from sandbox.server import SandboxServer

pytestmark = pytest.mark.e2e

CALLBACK = "POST /interactions/{interaction_id}/{interaction_token}/callback"
GUILD_COMMANDS = "PUT /applications/{application_id}/guilds/{guild_id}/commands"


async def help_works(community: DemoCommunity) -> bool:
    ix = await community.members["maria"].slash("help")
    return "How I can help" in str((await ix.final()).embeds)


async def test_reconnect_and_invalid_session_repeat_no_start_up_work(
    server: SandboxServer, bot: SigBot, community: DemoCommunity
) -> None:
    jobs_before = bot.scheduler.job_ids()
    syncs_before = len(server.requests_for(GUILD_COMMANDS))

    await server.gateway_reconnect()  # op 7: reconnect and RESUME
    await server.wait_ready()
    assert await help_works(community)

    await server.gateway_invalid_session(resumable=False)  # op 9: IDENTIFY again
    await server.wait_ready()
    assert await help_works(community)

    assert (server.identify_count, server.resume_count) == (2, 1)
    assert bot.setup_runs == 1  # migrations, extensions, scheduler, sync: once
    assert bot.scheduler.job_ids() == jobs_before
    assert len(server.requests_for(GUILD_COMMANDS)) == syncs_before == 1
    assert bot.sender is not None
    assert bot.sender.running


async def test_response_survives_a_429(
    server: SandboxServer, bot: SigBot, community: DemoCommunity
) -> None:
    server.faults.rate_limit(CALLBACK, count=1, retry_after=0.4)
    assert await help_works(community)
    statuses = [r.status for r in server.requests_for(CALLBACK)]
    assert statuses[:2] == [429, 204] or statuses[:2] == [429, 200]
    first, second = server.requests_for(CALLBACK)[:2]
    assert second.time - first.time >= 0.4  # waited retry_after before trying again


@pytest.mark.parametrize("delay", [4.0, 6.5])
async def test_slow_database_still_acknowledged_within_3_seconds(
    bot: SigBot, community: DemoCommunity, monkeypatch: pytest.MonkeyPatch, delay: float
) -> None:
    settings = bot.services.settings
    original = settings.show

    async def slow_show(guild_id: int) -> object:
        await asyncio.sleep(delay)  # a database stuck behind a long write or a slow disk
        return await original(guild_id)

    monkeypatch.setattr(settings, "show", slow_show)
    ix = await community.moderator.slash("setup show")
    assert ix.ack_latency is not None
    assert ix.ack_latency < 3.0  # acknowledged ("thinking…") in time
    message = await ix.final(timeout=delay + 5)
    assert ix.ephemeral
    assert "Settings for" in str(message.embeds)

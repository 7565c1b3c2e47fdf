"""An accepted introduction that neither a DM nor the fallback thread can deliver, through the
sandbox server: the moderators are told, both members see it in /intro pending, and the thread
opens once the bot may create private threads again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sandbox.demo import DemoCommunity
from sandbox.server import SandboxServer
from tests.e2e.test_introductions import (
    ClockedRunner,
    answer,
    asked_dm,
    clocked,
    drained,
    nothing_pings,
    prepare,
    request,
    running,
)

pytestmark = pytest.mark.e2e
__all__ = ["clocked", "nothing_pings"]  # fixtures shared with test_introductions

NOT_YET = "Introductions I couldn't deliver yet"


async def test_a_failed_fallback_thread_is_told_and_retried_when_the_permission_returns(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya")
    guild, mod = community.guild, community.moderator
    channel, log = guild.channel("introductions"), guild.channel("mod-log")
    await answer(await mod.slash("setup channel", purpose="introductions", channel=channel))
    await answer(await mod.slash("setup channel", purpose="moderation-log", channel=log))
    maria, priya = community.members["maria"], community.members["priya"]
    await request(maria, priya)
    asked = await asked_dm(server, priya)
    server.faults.close_dms(maria)
    server.faults.close_dms(priya)
    guild.set_bot_permissions(channel, deny=["create_private_threads"])
    await (await priya.click(asked, "Accept")).final()
    await drained(clocked)

    notices = [m.content for m in log.messages if "could not be delivered" in m.content]
    assert len(notices) == 1
    assert f"<#{channel.id}>" in notices[0]
    assert str(maria.id) not in notices[0]  # the notice names nobody
    assert NOT_YET in await answer(await maria.slash("intro pending"))
    assert NOT_YET in await answer(await priya.slash("intro pending"))
    assert channel.threads == []

    # Still no permission an hour later: tried again, and nobody is told twice.
    clocked.clock.advance(timedelta(hours=1, minutes=1))
    assert await running(clocked).services.introductions.fallback.retry() == 1
    await drained(clocked)
    assert len([m for m in log.messages if "could not be delivered" in m.content]) == 1

    guild.set_bot_permissions(channel, allow=["create_private_threads"])
    clocked.clock.advance(timedelta(hours=1))
    assert await running(clocked).services.introductions.fallback.retry() == 1
    await drained(clocked)
    threads = [t for t in channel.threads if t.messages]
    assert len(threads) == 1
    assert {u.id for u in threads[0].members} >= {maria.id, priya.id}
    assert NOT_YET not in await answer(await maria.slash("intro pending"))
    clocked.clock.advance(timedelta(hours=1))
    assert await running(clocked).services.introductions.fallback.retry() == 0

"""After a member deletes their data, through the sandbox server: later deliveries still arrive
(a freed id never makes a new message look like an old one), and whoever had asked them sees
what a decline shows."""

from __future__ import annotations

import pytest

from sandbox.demo import DemoCommunity
from sandbox.server import SandboxServer
from sandbox.state import Member
from tests.e2e.test_introductions import (
    ENDED,
    NEUTRAL,
    ClockedRunner,
    answer,
    asked_dm,
    clocked,
    dms,
    drained,
    expire,
    nothing_pings,
    prepare,
    request,
    running,
)
from tests.services.privacy_world import rows_naming

pytestmark = pytest.mark.e2e
__all__ = ["clocked", "nothing_pings"]  # fixtures shared with test_introductions


async def delete_my_data(member: Member) -> None:
    confirm = await (await member.slash("privacy delete")).final()
    done = await (await member.click(confirm, "Delete everything")).final()
    assert "is deleted" in done.content


async def test_a_request_after_someone_deleted_their_data_is_delivered(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "grace", "maria", "james", "priya")
    grace, maria = community.members["grace"], community.members["maria"]
    james, priya = community.members["james"], community.members["priya"]
    assert NEUTRAL in await request(grace, maria, "first")
    await asked_dm(server, maria)
    await delete_my_data(maria)  # the newest request goes with her

    assert NEUTRAL in await request(james, priya, "second")
    await drained(clocked)
    asked = await dms(server, priya)
    assert len(asked) == 1
    assert "second" in asked[0].content or any("second" in str(embed) for embed in asked[0].embeds)


async def test_the_target_deleting_their_data_looks_like_a_decline_to_the_requester(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "grace", "maria", "james", "priya")
    grace, maria = community.members["grace"], community.members["maria"]
    james, priya = community.members["james"], community.members["priya"]
    assert NEUTRAL in await request(grace, maria)
    assert NEUTRAL in await request(james, priya)
    await asked_dm(server, maria)
    await (await priya.click(await asked_dm(server, priya), "Decline")).final()
    await delete_my_data(maria)

    # Both requesters still see their request waiting, and hear nothing yet.
    assert "to @Maria Lopez, DPT, asked" in await answer(await grace.slash("intro pending"))
    assert "to @Priya" in await answer(await james.slash("intro pending"))
    await drained(clocked)
    assert server.dm_messages(grace) == server.dm_messages(james) == []

    # At expiry both hear the same neutral ending, once; then nothing about maria is left.
    assert await expire(clocked) == 2
    assert ENDED in (await dms(server, grace))[0].content
    assert ENDED in (await dms(server, james))[0].content
    assert await running(clocked).services.introductions.end_expired() == 0
    assert "You asked" not in await answer(await grace.slash("intro pending"))
    counts = await rows_naming(running(clocked).services.db, maria.id, community.guild.id)
    assert {table: n for table, n in counts.items() if n} == {}

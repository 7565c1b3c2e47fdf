"""After a member deletes their data, through the sandbox server: later deliveries still arrive
(a freed id never makes a new message look like an old one), and whoever had asked them sees
what a decline shows."""

from __future__ import annotations

import pytest

from sandbox.demo import DemoCommunity
from sandbox.server import SandboxServer
from sandbox.state import Member
from tests.e2e.test_introductions import (
    NEUTRAL,
    ClockedRunner,
    answer,
    asked_dm,
    clocked,
    dms,
    drained,
    nothing_pings,
    prepare,
    request,
)

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
    assert "second" in asked[0].content or any(
        "second" in str(embed) for embed in asked[0].embeds
    )

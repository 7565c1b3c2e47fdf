"""/privacy through the sandbox server: what is stored and who can see me, discoverability
(turning it off cancels what is pending), and blocks (private, both ways, until lifted)."""

from __future__ import annotations

import pytest

from sandbox.demo import DemoCommunity
from sandbox.server import SandboxServer
from tests.e2e.support import (
    NEUTRAL,
    ClockedRunner,
    answer,
    asked_dm,
    drained,
    prepare,
    request,
    write_card,
)

pytestmark = pytest.mark.e2e


async def test_show_states_visibility_and_what_is_stored(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    await answer(await community.moderator.slash("setup defaults", discoverable=False))
    sam = community.members["sam"]
    shown = await answer(await sam.slash("privacy show"))
    assert "**Not discoverable**" in shown

    await prepare(community, "maria", discoverable=False)
    maria = community.members["maria"]
    await write_card(maria, "maria@example.org")
    shown = await answer(await maria.slash("privacy show"))
    assert "**Not discoverable**" in shown
    assert "your membership record" in shown
    assert "your profile text and contact card" in shown
    assert "your interest tags: 3" in shown
    assert "maria@example.org" not in shown  # counted, not repeated

    turned = await answer(await maria.slash("privacy discoverable", value="on"))
    assert "You are discoverable" in turned
    assert "already discoverable" in await answer(
        await maria.slash("privacy discoverable", value="on")
    )
    assert "**Discoverable**" in await answer(await maria.slash("privacy show"))


async def test_turning_discoverability_off_hides_and_cancels_pending(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya")
    maria, priya = community.members["maria"], community.members["priya"]
    assert NEUTRAL in await request(maria, priya)
    asked = await asked_dm(server, priya)
    off = await answer(await priya.slash("privacy discoverable", value="off"))
    assert "no longer discoverable" in off

    assert "Priya" not in await answer(await maria.slash("find", tag="ortho"))
    late = await (await priya.click(asked, "Accept")).final()
    assert "This request has closed." in late.content
    await drained(clocked)
    assert server.dm_messages(maria) == []  # nobody is told

    await answer(await priya.slash("privacy discoverable", value="on"))
    assert "Priya" in await answer(await maria.slash("find", tag="ortho"))


async def test_a_block_hides_both_ways_until_lifted(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya", "grace")
    maria, priya = community.members["maria"], community.members["priya"]
    assert "Priya" in await answer(await maria.slash("find", tag="ortho"))

    blocked = await answer(await priya.slash("privacy block", member=maria))
    assert "Blocked" in blocked
    assert "they are not told" in blocked
    assert "already blocked" in await answer(await priya.slash("privacy block", member=maria))
    assert "Priya" not in await answer(await maria.slash("find", tag="ortho"))
    assert "Maria" not in await answer(await priya.slash("find", tag="ortho"))
    assert "Priya" not in await answer(await maria.slash("intro suggest"))

    listed = await answer(await priya.slash("privacy blocks"))
    assert "Maria Lopez, DPT" in listed
    assert "You have not blocked anyone" in await answer(await maria.slash("privacy blocks"))
    # The blocked person's request is held: the same answer, and no DM reaches priya.
    assert NEUTRAL in await request(maria, priya)
    await drained(clocked)
    assert server.dm_messages(priya) == []
    assert server.dm_messages(maria) == []

    assert "Unblocked" in await answer(await priya.slash("privacy unblock", member=maria))
    assert "Priya" in await answer(await maria.slash("find", tag="ortho"))
    assert "You have not blocked anyone" in await answer(await priya.slash("privacy blocks"))
    assert "You have not blocked them." in await answer(
        await priya.slash("privacy unblock", member=maria)
    )
    assert "can't block yourself" in await answer(await priya.slash("privacy block", member=priya))


async def test_after_decline_and_block_neither_can_read_the_other_s_profile(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya")
    maria, priya = community.members["maria"], community.members["priya"]
    assert "Outpatient" in await answer(await maria.slash("profile view", member=priya))
    await request(maria, priya)
    await (await priya.click(await asked_dm(server, priya), "Decline and block")).final()

    hidden = "There is no profile to show for that member."
    assert hidden in await answer(await maria.slash("profile view", member=priya))
    assert hidden in await answer(await maria.user_command("View profile", priya))
    assert hidden in await answer(await priya.slash("profile view", member=maria))
    assert hidden in await answer(await priya.user_command("View profile", maria))

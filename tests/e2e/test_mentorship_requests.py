"""Mentor offers, requests, routing and the claim through the sandbox server (PRODUCT.md
"Mentorship"), with the bot's clock moved by the tests (escalation, expiry).

The outbox sender is real: the card, the DMs, the private thread and the edits arrive as they
would on Discord. The scheduler's job (``tick``) is called directly after moving the clock.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.mentorship.requests import RequestStatus
from sandbox.channels import PRIVATE_THREAD, Channel
from sandbox.demo import DemoCommunity
from sandbox.members import Member
from sandbox.messages import Message
from sandbox.render import render_message
from sandbox.server import SandboxServer
from tests.e2e.support import ClockedRunner, answer, drained, running

pytestmark = pytest.mark.e2e
GOALS = "Pass the OCS exam in May; get confident with post-op ACL rehab."
GOALS_LABEL = "Your goals (a couple, specific)"
MENTORS = ("priya", "grace", "diego", "kofi")
MENTEE = "james"


async def setup_server(community: DemoCommunity, mentors: tuple[str, ...] = MENTORS) -> None:
    mod, guild = community.moderator, community.guild
    await answer(await mod.slash("setup defaults", discoverable=True))
    await answer(await mod.slash("setup tags preset", name="pt"))
    for purpose, name in (
        ("mentorship", "mentorship"),
        ("mentor-requests", "mentor-requests"),
        ("moderation-log", "mod-log"),
    ):
        await answer(await mod.slash("setup channel", purpose=purpose, channel=guild.channel(name)))
    for name in (MENTEE, *mentors):
        await answer(await community.members[name].slash("tags add", tag="ortho"))
    for name in mentors:
        offered = await answer(await community.members[name].slash("mentor offer", capacity=1))
        assert "Thank you for mentoring" in offered


async def ask(
    community: DemoCommunity, name: str = MENTEE, *, term: int | None = None, **fields: str
) -> str:
    member = community.members[name]
    options: dict[str, object] = {"topic": "ortho"} | ({"term": term} if term else {})
    opened = await member.slash("mentor request", **options)
    if opened.modal is None:  # refused before the form opens: nothing typed is lost
        return await answer(opened)
    return await answer(await member.submit_modal(opened, {GOALS_LABEL: GOALS, **fields}))


def cards(community: DemoCommunity) -> list[Message]:
    return community.guild.channel("mentor-requests").messages


def mentorship_threads(community: DemoCommunity) -> list[Channel]:
    return community.guild.channel("mentorship").threads


def modlog(community: DemoCommunity) -> str:
    return "\n".join(m.content for m in community.guild.channel("mod-log").messages)


def told(server: SandboxServer, community: DemoCommunity) -> list[str]:
    """Mentors holding a DM with a Claim button."""
    return [
        name
        for name in MENTORS
        if any(
            "Claim" in render_message(m) and m.iter_components()
            for m in server.dm_messages(community.members[name])
        )
    ]


def claim_dm(server: SandboxServer, member: Member) -> Message:
    """The mentor's DM about the request (the first DM they got in these tests)."""
    found = [m for m in server.dm_messages(member) if "Request 1" in render_message(m)]
    assert found, [render_message(m) for m in server.dm_messages(member)]
    return found[0]


async def test_offer_request_card_dms_claim_thread_with_both(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await setup_server(community)
    opened = await ask(community, term=12)
    assert "is open" in opened
    await drained(clocked)
    [card] = cards(community)
    shown = render_message(card)
    assert "looking for a mentor" in shown
    assert GOALS in shown
    assert "James" not in shown  # who asked is for the mentor who claims it
    assert len(told(server, community)) == 3  # up to three mentors, least loaded first

    mentor = community.members[told(server, community)[0]]
    won = await answer(await mentor.click(claim_dm(server, mentor), "Claim"))
    assert "You claimed it" in won
    late = community.members[told(server, community)[1]]
    lost = await answer(await late.click(claim_dm(server, late), "Claim"))
    assert "Another mentor claimed this request" in lost
    await drained(clocked)

    [thread] = mentorship_threads(community)
    assert thread.type == PRIVATE_THREAD
    assert thread.invitable is False
    james = community.members[MENTEE]
    assert {james.id, mentor.id} <= {u.id for u in thread.members}
    opening = render_message(thread.messages[0])
    assert GOALS in opening
    assert "moderators can see private threads" in opening
    assert "The term ends on" in opening
    assert "Matched" in render_message(cards(community)[0])
    assert cards(community)[0].iter_components() == []
    assert "Matched" in render_message(claim_dm(server, late))  # the other DMs say so too
    assert "You claimed this request" in render_message(claim_dm(server, mentor))
    assert claim_dm(server, mentor).iter_components() == []
    status = render_message(await (await mentor.slash("mentor status")).final())
    assert "1 of 1 mentee" in status


async def test_one_open_request_capacity_and_cancel(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await setup_server(community, mentors=("priya",))
    await ask(community)
    assert "already have an open mentor request" in await ask(community)
    again = await community.members[MENTEE].slash("mentor request", topic="ortho")
    assert again.modal is None  # refused before the goals are typed (issue #20 item 13)
    await answer(await community.members["lena"].slash("tags add", tag="ortho"))
    assert "is open" in await ask(community, "lena")
    await drained(clocked)
    priya = community.members["priya"]
    first, second = cards(community)
    assert "You claimed it" in await answer(await priya.click(first, "Claim"))
    assert "at your capacity" in await answer(await priya.click(second, "Claim"))

    assert "withdrawn" in await answer(await community.members["lena"].slash("mentor cancel"))
    await drained(clocked)
    assert "withdrawn by the member" in render_message(cards(community)[1])
    assert "already claimed" in await answer(await community.members[MENTEE].slash("mentor cancel"))


async def test_escalation_after_three_days_and_expiry_after_fourteen(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await setup_server(community)
    await ask(community)
    await drained(clocked)
    first = set(told(server, community))
    routing = running(clocked).services.mentor_routing
    clocked.clock.advance(timedelta(days=3, minutes=1))
    await routing.tick()
    await drained(clocked)
    assert set(told(server, community)) == set(MENTORS)  # the next mentor heard of it
    assert len(first) == 3
    assert "has waited 3 days" in modlog(community)

    clocked.clock.advance(timedelta(days=11))
    await routing.tick()
    await routing.tick()  # nothing twice
    await drained(clocked)
    kind = [m for m in server.dm_messages(community.members[MENTEE]) if "closed" in m.content]
    assert len(kind) == 1
    assert "says nothing about you" in kind[0].content
    assert "no mentor was free" in render_message(cards(community)[0])
    assert told(server, community) == []  # every Claim button is gone


async def test_a_thread_limit_leaves_the_request_claimable_and_tells_moderators(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await setup_server(community)
    await ask(community)
    await drained(clocked)
    server.faults.max_active_threads(count=1)
    priya = community.members["priya"]
    assert "You claimed it" in await answer(await priya.click(cards(community)[0], "Claim"))
    await drained(clocked)
    assert mentorship_threads(community) == []
    assert "160006" in modlog(community)
    assert "open again" in modlog(community)
    assert any("could not open the private thread" in m.content for m in server.dm_messages(priya))
    assert "Claim" in render_message(cards(community)[0])  # still claimable

    community.guild.set_bot_permissions(
        community.guild.channel("mentorship"), deny=["create_private_threads"]
    )
    grace = community.members["grace"]
    assert "You claimed it" in await answer(await grace.click(cards(community)[0], "Claim"))
    await drained(clocked)
    assert "missing a permission" in modlog(community)
    assert mentorship_threads(community) == []

    community.guild.set_bot_permissions(
        community.guild.channel("mentorship"), allow=["create_private_threads"]
    )
    assert "You claimed it" in await answer(await grace.click(cards(community)[0], "Claim"))
    await drained(clocked)
    assert len(mentorship_threads(community)) == 1


async def test_claim_buttons_work_after_a_restart_and_a_rematch_skips_the_mentor(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await setup_server(community)
    await ask(community)
    await drained(clocked)
    bot = await clocked.restart()
    mentor = community.members[told(server, community)[0]]
    assert "You claimed it" in await answer(await mentor.click(claim_dm(server, mentor), "Claim"))
    await drained(clocked)
    [thread] = mentorship_threads(community)

    # A poor fit sends the request back (mentor-b's lifecycle): open, wave 0, mentor excluded.
    services = bot.services
    async with services.db.transaction() as uow:
        request = await uow.mentor_requests.current_for(
            community.guild.id, community.members[MENTEE].id
        )
        assert request is not None
        await uow.mentor_requests.move(
            request.id, RequestStatus.MATCHED, RequestStatus.OPEN, now=clocked.clock.now()
        )
        await uow.mentor_requests.set_routed(request.id, 0)
        await uow.mentor_requests.exclude(request, mentor.id)
    assert await services.mentor_routing.route_pending() == 1
    await drained(clocked)
    new_card = cards(community)[-1]
    assert len(cards(community)) == 2
    assert "Claim" in render_message(new_card)
    refused = await answer(await mentor.click(new_card, "Claim"))
    assert "not open to you" in refused
    assert thread.id  # the first thread is mentor-b's to close
    renotified = [m for m in told(server, community) if community.members[m].id != mentor.id]
    assert renotified  # the mentor who was not told the first time


async def test_setup_mentorship_require_role(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    mod, guild = community.moderator, community.guild
    faculty = guild.role("Faculty")
    await answer(await mod.slash("setup tags preset", name="pt"))
    assert "need the" in await answer(await mod.slash("setup mentorship", require_role=faculty))
    await answer(await community.members["priya"].slash("tags add", tag="ortho"))
    await answer(await community.members["kofi"].slash("tags add", tag="ortho"))
    refused = await answer(await community.members["priya"].slash("mentor offer"))
    assert "role" in refused
    assert "Thank you" in await answer(await community.members["kofi"].slash("mentor offer"))
    assert "Any member" in await answer(await mod.slash("setup mentorship", anyone=True))
    assert "Thank you" in await answer(await community.members["priya"].slash("mentor offer"))
    shown = await answer(await community.members["priya"].slash("mentor pause"))
    assert "Paused" in shown
    assert "Welcome back" in await answer(await community.members["priya"].slash("mentor resume"))


async def test_opting_out_withdraws_the_request_everywhere_and_help_lists_mentor(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await setup_server(community)
    await ask(community)
    await drained(clocked)
    assert len(told(server, community)) == 3
    james = community.members[MENTEE]
    await answer(await james.slash("privacy discoverable", value="off"))
    await drained(clocked)
    assert "withdrawn by the member" in render_message(cards(community)[0])
    assert told(server, community) == []  # no Claim button left anywhere
    help_text = render_message(await (await james.slash("help")).final())
    for command in ("offer", "pause", "resume", "status", "request", "cancel"):
        assert f"/mentor {command}" in help_text
    assert "/setup mentorship" not in help_text

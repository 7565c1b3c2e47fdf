"""Find people and double opt-in introductions, through the sandbox server (PRODUCT.md "Find
people and introductions" and "Consent rules").

The bot runs on a :class:`FakeClock` the tests move (expiry, cool-downs); the outbox sender is
real, so DMs and threads arrive as they would on Discord. Discoverability is set explicitly in
every test: the demo server's default is off.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from sandbox.demo import DemoCommunity
from sandbox.render import render_message
from sandbox.server import SandboxServer
from tests.e2e.support import (
    ENDED,
    NEUTRAL,
    NOTE,
    ClockedRunner,
    answer,
    asked_dm,
    dms,
    drained,
    expire,
    prepare,
    request,
    running,
    write_card,
)

pytestmark = pytest.mark.e2e

# -- find → request → accept ----------------------------------------------------------------


@pytest.mark.smoke
async def test_find_request_accept_introduces_both_with_contact_cards(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya", "grace", "tom")
    maria, priya = community.members["maria"], community.members["priya"]
    profile = await priya.slash("profile edit")
    await answer(
        await priya.submit_modal(
            profile,
            {
                "About me": "OCS, 12 years outpatient.",
                "How to reach me (only for people I meet)": "priya@clinic.example",
            },
        )
    )
    profile = await maria.slash("profile edit")
    await answer(
        await maria.submit_modal(
            profile,
            {
                "About me": "Sports PT.",
                "How to reach me (only for people I meet)": "maria.lopez@pt.example",
            },
        )
    )

    ix = await maria.slash("find", tag="ortho", tag2="Outpatient")
    listing = await ix.final()
    assert ix.ephemeral
    shown = render_message(listing)
    assert "People with Orthopedics, Outpatient" in shown
    assert "@Priya Raman, PT, OCS (Priya Raman, PT, OCS) · Outpatient, Orthopedics" in shown
    assert "priya@clinic.example" not in shown  # the contact card is never listed
    assert "Maria" not in shown  # not me
    assert "Grace" not in shown  # lacks Outpatient

    chose = await maria.select(listing, "Request an introduction", [str(priya.id)])
    assert chose.modal is not None
    assert chose.modal["title"] == "Request an introduction"
    sent = await answer(await maria.submit_modal(chose, {NOTE: "Love to talk return-to-run."}))
    assert NEUTRAL in sent

    asked = (await dms(server, priya))[0]
    text = render_message(asked)
    assert "Someone would like to meet you" in text
    assert "@Maria Lopez, DPT" in text
    assert "Love to talk return-to-run." in text
    assert "Sports PT." in text
    assert "maria.lopez@pt.example" not in text  # not before she accepts

    accepted = await (await priya.click(asked, "Accept")).final()
    assert "You accepted" in accepted.content
    assert list(accepted.iter_components()) == []

    to_maria = render_message((await dms(server, maria))[0])
    assert "You've been introduced" in to_maria
    assert "priya@clinic.example" in to_maria
    to_priya = render_message((await dms(server, priya, 2))[1])
    assert "maria.lopez@pt.example" in to_priya
    assert "Orthopedics" in to_priya  # shared tags and an opener
    assert "A way to start" in to_priya

    again = await request(maria, priya)
    assert "already introduced" in again


# -- declining, blocking, reporting -------------------------------------------------------------


async def test_decline_tells_the_requester_only_at_expiry_and_once(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya")
    maria, priya = community.members["maria"], community.members["priya"]
    assert NEUTRAL in await request(maria, priya, "Hi!")
    declined = await (await priya.click(await asked_dm(server, priya), "Decline")).final()
    assert declined.content == "Declined. They won't be told."
    assert list(declined.iter_components()) == []

    await drained(clocked)
    assert server.dm_messages(maria) == []  # a decline is not told at once: timing reveals it
    assert await expire(clocked) == 1
    ended = await dms(server, maria)
    assert ENDED in ended[0].content
    assert await running(clocked).services.introductions.end_expired() == 0
    await drained(clocked)
    assert len(server.dm_messages(maria)) == 1


async def test_decline_and_block_hides_both_ways(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya", "grace")
    maria, priya = community.members["maria"], community.members["priya"]
    await request(maria, priya)
    blocked = await (await priya.click(await asked_dm(server, priya), "Decline and block")).final()
    assert "Declined and blocked" in blocked.content

    assert "Priya" not in await answer(await maria.slash("find", tag="ortho"))
    assert "Maria" not in await answer(await priya.slash("find", tag="ortho"))
    assert "Grace" in await answer(await priya.slash("find", tag="ortho"))
    assert f"<@{maria.id}>" in (await (await priya.slash("privacy blocks")).final()).content
    await drained(clocked)
    assert server.dm_messages(maria) == []


async def test_report_logs_the_request_and_tells_the_requester_nothing(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya")
    log = community.guild.channel("mod-log")
    await answer(
        await community.moderator.slash("setup channel", purpose="moderation-log", channel=log)
    )
    maria, priya = community.members["maria"], community.members["priya"]
    await request(maria, priya, "Buy my course!")
    reported = await priya.click(await asked_dm(server, priya), "Report to moderators")
    assert "reported to the moderators" in (await reported.final()).content

    entries = await server.wait_for(
        lambda: [m.content for m in log.messages if "reported" in m.content], what="the report"
    )
    assert f"<@{priya.id}> reported an introduction request from <@{maria.id}>" in entries[0]
    assert "Buy my course!" in entries[0]
    await drained(clocked)
    assert server.dm_messages(maria) == []
    assert "Maria" not in await answer(await priya.slash("find", tag="ortho"))


async def test_expiry_tells_the_requester_once_and_closes_the_buttons(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya")
    maria, priya = community.members["maria"], community.members["priya"]
    await request(maria, priya)
    asked = await asked_dm(server, priya)
    assert await expire(clocked, days=6) == 0  # not yet
    assert await expire(clocked, days=2) == 1
    assert ENDED in (await dms(server, maria))[0].content
    late = await (await priya.click(asked, "Accept")).final()
    assert "This request has closed." in late.content
    assert await running(clocked).services.introductions.end_expired() == 0
    await drained(clocked)
    assert len(server.dm_messages(maria)) == 1
    assert len(server.dm_messages(priya)) == 1  # no introduction went out


# -- DMs closed ----------------------------------------------------------------------------------


async def test_closed_dms_move_the_introduction_to_a_private_thread(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya")
    channel = community.guild.channel("introductions")
    await answer(
        await community.moderator.slash("setup channel", purpose="introductions", channel=channel)
    )
    maria, priya = community.members["maria"], community.members["priya"]
    await write_card(priya, "priya@clinic.example")
    await request(maria, priya)
    server.faults.close_dms(maria)
    await (await priya.click(await asked_dm(server, priya), "Accept")).final()

    threads = await server.wait_for(
        lambda: [t for t in channel.threads if t.messages], what="the introduction thread"
    )
    thread = threads[0]
    assert thread.type == 12  # private
    assert {u.id for u in thread.members} >= {maria.id, priya.id}
    opening = render_message(thread.messages[0])
    assert "one of you has DMs closed" in opening
    assert "priya@clinic.example" in opening


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


# -- budgets and withdrawing ---------------------------------------------------------------------


async def test_the_sixth_waiting_request_is_refused_with_the_reason(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    await prepare(community, "maria")
    maria = community.members["maria"]
    targets = ["priya", "grace", "james", "tom", "diego", "nina"]
    for name in targets[:5]:
        assert NEUTRAL in await request(maria, community.members[name])
    refused = await request(maria, community.members[targets[5]])
    assert "You have 5 requests waiting for an answer." in refused
    assert "/intro pending" in refused


async def test_withdraw_from_pending_closes_the_request(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya")
    maria, priya = community.members["maria"], community.members["priya"]
    await request(maria, priya)
    asked = await asked_dm(server, priya)

    incoming = await answer(await priya.slash("intro pending"))
    assert f"from @{'Maria Lopez, DPT'}" in incoming
    ix = await maria.slash("intro pending")
    pending = await ix.final()
    assert ix.ephemeral
    assert "You asked" in render_message(pending)
    withdrawn = await (await maria.click(pending, "Withdraw 1")).final()
    shown = render_message(withdrawn)
    assert "Withdrew your request" in shown
    assert "no introduction requests waiting" in shown
    assert "Withdraw" not in str(withdrawn.components)

    late = await (await priya.click(asked, "Accept")).final()
    assert "This request has closed." in late.content
    assert "no introduction requests waiting" in await answer(await priya.slash("intro pending"))


async def test_accept_from_pending(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya")
    maria, priya = community.members["maria"], community.members["priya"]
    await request(maria, priya, "Hello from Maria")
    pending = await (await priya.slash("intro pending")).final()
    assert "Hello from Maria" in render_message(pending)
    accepted = await (await priya.click(pending, "Accept 1")).final()
    assert "You accepted" in render_message(accepted)
    assert "You've been introduced" in render_message((await dms(server, maria))[0])


# -- snooze ---------------------------------------------------------------------------------------


async def test_snooze_hides_from_find_until_snooze_off(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    await prepare(community, "maria", "priya", "grace")
    maria, priya = community.members["maria"], community.members["priya"]
    assert "Priya" in await answer(await maria.slash("find", tag="ortho"))
    snoozed = await answer(await priya.slash("intro snooze", weeks=2))
    assert "Snoozed until" in snoozed
    found = await answer(await maria.slash("find", tag="ortho"))
    assert "Priya" not in found
    assert "Grace" in found
    assert "Snoozed" in await answer(await priya.slash("privacy show"))

    assert "snooze is off" in await answer(await priya.slash("intro snooze-off"))
    assert "Priya" in await answer(await maria.slash("find", tag="ortho"))

    await answer(await priya.slash("intro snooze", weeks=1))
    clocked.clock.advance(timedelta(weeks=1, hours=1))
    assert "Priya" in await answer(await maria.slash("find", tag="ortho"))  # it ran out


# -- the neutral answer ---------------------------------------------------------------------------


async def test_the_answer_is_the_same_whatever_the_target_would_say(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    names = ("maria", "james", "grace", "tom", "nina", "diego", "kofi", "beth")
    await prepare(community, *names)
    m = community.members
    maria = m["maria"]

    # grace declined maria once; a month later maria asks again
    await request(maria, m["grace"])
    await (await m["grace"].click(await asked_dm(server, m["grace"]), "Decline")).final()
    assert await expire(clocked, days=31) == 1
    await answer(await m["nina"].slash("privacy discoverable", value="off"))
    await answer(await m["diego"].slash("intro snooze", weeks=2))
    server.faults.close_dms(m["kofi"])
    await answer(await m["beth"].slash("privacy block", member=m["james"]))

    answers = {
        "declined before": await request(maria, m["grace"]),
        "will accept": await request(maria, m["tom"]),
        "not discoverable": await request(maria, m["nina"]),
        "snoozed": await request(maria, m["diego"]),
        "DMs closed": await request(maria, m["kofi"]),
        "blocked the requester": await request(m["james"], m["beth"]),
    }
    assert len(set(answers.values())) == 1, answers
    assert NEUTRAL in answers["will accept"]

    await (await m["tom"].click(await asked_dm(server, m["tom"]), "Accept")).final()
    await dms(server, maria, 2)  # grace's ending, then tom's introduction
    await drained(clocked)
    assert len(server.dm_messages(m["grace"])) == 1  # only the first request reached her
    for held in ("nina", "diego", "beth", "kofi"):
        assert server.dm_messages(m[held]) == [], held


# -- after a restart -------------------------------------------------------------------------------


async def test_paging_and_answer_buttons_work_after_a_restart(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, *community.members)
    maria, priya = community.members["maria"], community.members["priya"]
    first = await (await maria.slash("find", tag="ortho")).final()
    shown = render_message(first)
    assert "Page 1 of 2 · 13 people" in shown
    await request(maria, priya)
    asked = await asked_dm(server, priya)

    await clocked.restart()
    second = await (await maria.click(first, "Next")).final()
    assert "Page 2 of 2 · 13 people" in render_message(second)
    assert "**11.**" in render_message(second)
    assert "Next" not in [c.get("label") for c in second.iter_components()]
    back = await (await maria.click(second, "Previous")).final()
    assert "Page 1 of 2" in render_message(back)

    accepted = await (await priya.click(asked, "Accept")).final()
    assert "You accepted" in accepted.content
    assert "You've been introduced" in render_message((await dms(server, maria))[0])


async def test_request_from_the_user_menu_and_suggest(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya", "grace")
    maria, priya, grace = (community.members[n] for n in ("maria", "priya", "grace"))
    opened = await maria.user_command("Request introduction", priya)
    assert opened.modal is not None
    sent = await answer(await maria.submit_modal(opened, {NOTE: ""}))
    assert NEUTRAL in sent
    assert "Someone would like to meet you" in render_message(await asked_dm(server, priya))

    ix = await maria.slash("intro suggest")
    suggested = await ix.final()
    text = render_message(suggested)
    assert "People you might like to meet" in text
    assert "Grace" in text
    assert "Priya" not in text  # a request is waiting with her
    chose = await maria.select(suggested, "Request an introduction", [str(grace.id)])
    assert NEUTRAL in await answer(await maria.submit_modal(chose, {NOTE: "Sports talk?"}))


async def test_help_lists_every_new_command_whole(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    helped = await answer(await community.members["maria"].slash("help"))
    for command in (
        "`/find`",
        "`/intro request`",
        "`/intro pending`",
        "`/intro snooze-off`",
        "`/privacy show`",
        "`/privacy blocks`",
        "`Request introduction`: right-click a member",
        "`View profile`: right-click a member",
    ):
        assert command in helped, command


async def test_a_member_seen_once_is_shown_by_name(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    """Tom's only interaction is the command that creates his record: his name still sticks."""
    await prepare(community, "maria", "tom")
    tom = community.members["tom"]
    found = await answer(await community.members["maria"].slash("find", tag="ortho"))
    assert "Tom Becker" in found
    assert f"Member {tom.id}" not in found

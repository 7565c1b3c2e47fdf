"""A mentor match after the claim, through the sandbox server (PRODUCT.md "Mentorship"): fit
check, check-ins, the term's end, close with feedback, the record, extension, a poor fit.

The bot runs on a FakeClock; steps fire by moving it and calling the job's service method
(``mentor_matches.tick``), and the real outbox sender delivers to the sandbox. Matches start
as the claim leaves them: a request, a match row, and its private thread made through the
outbox, then the match turned active.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.domain.delivery import Delivery
from bot.domain.mentorship.matches import Match, MatchStatus, activate, add_months
from bot.storage.schema.mentorship import (
    mentor_feedback,
    mentor_request_mentors,
    mentor_requests,
)
from sandbox.channels import Channel
from sandbox.demo import DemoCommunity
from sandbox.members import Member
from sandbox.messages import Message
from sandbox.render import render_message
from sandbox.server import SandboxServer
from tests.e2e.support import ClockedRunner, answer, dms, drained, running

pytestmark = pytest.mark.e2e
DAY = timedelta(days=1)
GOALS = "Pass the OCS exam; publish one case report"
FEEDBACK = {"How was it? A rating from 1 to 5": "5", "A comment (only moderators see it)": ""}


@dataclass
class Pair:
    match: Match
    thread: Channel
    mentor: Member
    mentee: Member


async def prepare(community: DemoCommunity) -> None:
    mod, guild = community.moderator, community.guild
    await answer(await mod.slash("setup tags preset", name="pt"))
    for purpose, name in (("mentorship", "mentorship"), ("moderation-log", "mod-log")):
        await answer(await mod.slash("setup channel", purpose=purpose, channel=guild.channel(name)))


async def matched(
    clocked: ClockedRunner, community: DemoCommunity, mentor: str, mentee: str, months: int = 6
) -> Pair:
    """A match as the claim leaves it: the request, the match row and its private thread."""
    await prepare(community)
    mentor_m, mentee_m = community.members[mentor], community.members[mentee]
    for member in (mentor_m, mentee_m):  # the second makes their display name known
        await answer(await member.slash("tags add", tag="ortho"))
        await answer(await member.slash("tags add", tag="Sports"))
    services = running(clocked).services
    guild_id, now = community.guild.id, clocked.clock.now()
    parent = community.guild.channel("mentorship")
    async with services.db.transaction() as uow:
        tag_id = (await uow.member_tags.tag_ids(guild_id, mentee_m.id)).pop()
        result = await uow.conn.execute(
            mentor_requests.insert().values(
                guild_id=guild_id,
                mentee_id=mentee_m.id,
                tag_id=tag_id,
                goals=GOALS,
                term_months=months,
                status="matched",
                created_at=now,
                opened_at=now,
                routed_wave=1,
            )
        )
        request_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        opening = Match(
            id=0,
            guild_id=guild_id,
            request_id=request_id,
            mentor_id=mentor_m.id,
            mentee_id=mentee_m.id,
            status=MatchStatus.OPENING,
            matched_at=now,
            term_ends_at=add_months(now, months),
        )
        match = await uow.mentor_matches.insert(opening)
        await uow.outbox.enqueue(
            Delivery.thread(
                f"test:thread:{match.id}",
                parent.id,
                name="Mentorship",
                private=True,
                member_ids=(mentor_m.id, mentee_m.id),
                message={"content": f"Goals: {GOALS}"},
                guild_id=guild_id,
            ),
            now=now,
        )
    await drained(clocked)
    thread = parent.threads[-1]
    async with services.db.transaction() as uow:
        active = activate(match, thread.id)
        assert await uow.mentor_matches.save(match, active)
    return Pair(active, thread, mentor_m, mentee_m)


async def tick(clocked: ClockedRunner, days: float = 0) -> int:
    clocked.clock.advance(timedelta(days=days))
    done = await running(clocked).services.mentor_matches.tick()
    await drained(clocked)
    return done


def bot_posts(thread: Channel) -> list[Message]:
    return [m for m in thread.messages if m.author.id == thread.state.bot_user.id]


async def fit_check(server: SandboxServer, member: Member) -> Message:
    found = [
        m for m in await dms(server, member) if "How is your mentorship going?" in str(m.embeds)
    ]
    assert len(found) == 1
    return found[0]


def record_of(server: SandboxServer, member: Member) -> Message:
    found = [m for m in server.dm_messages(member) if "Your mentoring record" in str(m.embeds)]
    assert found, f"no record DM to {member}"
    return found[-1]


# -- the whole term ----------------------------------------------------------------------------


async def test_fit_check_checkins_term_end_close_feedback_record(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    pair = await matched(clocked, community, "priya", "james", months=3)
    priya, james, thread = pair.mentor, pair.mentee, pair.thread
    assert {priya.id, james.id} <= set(thread.thread_members)

    assert await tick(clocked, 13) == 0
    assert await tick(clocked, 1) == 1  # two weeks in: the fit check, by DM to each
    for member in (priya, james):
        asked = await fit_check(server, member)
        assert [c["label"] for c in asked.iter_components()] == [
            "Good fit",
            "Not sure yet",
            "Not a good fit",
        ]
    said = await answer(await james.click(await fit_check(server, james), "Good fit"))
    assert "Glad to hear it" in said
    assert await tick(clocked) == 0  # exactly once

    noted = await answer(
        await james.slash("mentor checkin", in_channel=thread, note="Plan for OCS", minutes=45)
    )
    assert "Check-in recorded (45 minutes)" in noted
    assert await tick(clocked, 14) == 1  # four weeks in: a check-in prompt in the thread
    assert "time for a check-in" in bot_posts(thread)[-1].content

    while clocked.clock.now() < pair.match.term_ends_at:
        await tick(clocked, 7)
    posts = [m.content for m in bot_posts(thread)]
    assert sum("time for a check-in" in p for p in posts) == 2
    assert any("Two weeks to go" in p for p in posts)
    prompt = bot_posts(thread)[-1]
    assert "the term of this mentorship has ended" in prompt.content

    opened = await priya.click(prompt, "Close (completed)")
    assert opened.modal is not None
    assert opened.modal["title"] == "Close the mentorship"
    feedback = dict(FEEDBACK, **{"A comment (only moderators see it)": "A keen mentee"})
    closed = await answer(await priya.submit_modal(opened, feedback))
    assert "Closed as completed" in closed
    await drained(clocked)

    assert thread.archived
    assert thread.locked
    assert "This mentorship is complete" in bot_posts(thread)[-1].content
    log = community.guild.channel("mod-log")
    assert any("5/5" in m.content and "A keen mentee" in m.content for m in log.messages)
    assert not any("A keen mentee" in m.content for m in thread.messages)
    for member in (priya, james):
        record = record_of(server, member)
        shown = render_message(record)
        assert "Plan for OCS" in shown
        assert "completed" in shown
        (file,) = record.attachments
        assert file.filename.endswith(".md")
        text = file.data.decode()
        assert GOALS in text
        assert "45 minutes" in text
        assert "Outcome: completed" in text


async def test_no_answer_at_term_end_closes_as_completed(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    pair = await matched(clocked, community, "grace", "lena", months=3)
    clocked.clock.set(pair.match.term_ends_at)
    await tick(clocked)
    assert await tick(clocked, 13) == 0
    assert await tick(clocked, 1) == 1
    assert pair.thread.archived
    assert pair.thread.locked
    assert "Outcome: completed" in record_of(server, pair.mentee).attachments[0].data.decode()


async def test_extend_needs_both_and_survives_a_restart(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    pair = await matched(clocked, community, "grace", "lena", months=3)
    clocked.clock.set(pair.match.term_ends_at)
    await tick(clocked)
    prompt = bot_posts(pair.thread)[-1]
    await clocked.restart()  # the Close / Extend buttons are DynamicItems
    first = await answer(await pair.mentor.click(prompt, "Extend 3 months"))
    assert "when the other side presses Extend too" in first
    outsider = await answer(await community.moderator.click(prompt, "Extend 3 months"))
    assert "Only the mentor and the mentee" in outsider
    both = await answer(await pair.mentee.click(prompt, "Extend 3 months"))
    assert "Extended by 3 months" in both
    await drained(clocked)
    assert "you both chose 3 more months" in bot_posts(pair.thread)[-1].content
    assert await tick(clocked, 20) == 0  # no auto-close: the term runs on
    assert not pair.thread.archived


# -- not a good fit ------------------------------------------------------------------------------


async def test_not_a_good_fit_ends_kindly_and_sends_the_request_back(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    pair = await matched(clocked, community, "priya", "james")
    await tick(clocked, 14)
    await clocked.restart()  # the fit-check buttons are DynamicItems, in DMs too
    asked = await fit_check(server, pair.mentee)
    confirm = await (await pair.mentee.click(asked, "Not a good fit")).final()
    assert "End this mentorship as not a good fit?" in confirm.content
    ended = await (await pair.mentee.click(confirm, "Yes, end it kindly")).final()
    assert "ended kindly" in ended.content
    await drained(clocked)

    thread = pair.thread
    assert thread.archived
    assert thread.locked
    closing = bot_posts(thread)[-1].content
    assert "nobody's fault" in closing
    assert "james" not in closing.lower()
    assert str(pair.mentee.id) not in closing
    log = community.guild.channel("mod-log")
    assert not any("fit" in m.content for m in log.messages)  # moderators see counts only
    services = running(clocked).services
    async with services.db.read() as uow:
        request = (await uow.conn.execute(mentor_requests.select())).one()
        excluded = (await uow.conn.execute(mentor_request_mentors.select())).all()
    assert (request.status, request.routed_wave) == ("open", 0)
    assert [(e.mentor_id, e.excluded) for e in excluded] == [(pair.mentor.id, True)]
    again = await answer(await pair.mentor.click(await fit_check(server, pair.mentor), "Good fit"))
    assert "already ended" in again


# -- commands in and out of the thread -----------------------------------------------------------


async def test_close_and_record_commands(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    pair = await matched(clocked, community, "priya", "james")
    general = community.guild.channel("general")
    elsewhere = await answer(
        await pair.mentee.slash("mentor close", in_channel=general, outcome="withdrawn")
    )
    assert "private thread" in elsewhere
    stranger = await answer(
        await community.members["sam"].slash("mentor checkin", in_channel=general, note="hi")
    )
    assert "no mentorship under way" in stranger
    nothing = await answer(await pair.mentee.slash("mentor record"))
    assert "no past mentorships" in nothing

    opened = await pair.mentee.slash("mentor close", in_channel=pair.thread, outcome="withdrawn")
    bad = await answer(
        await pair.mentee.submit_modal(
            opened, dict(FEEDBACK, **{"How was it? A rating from 1 to 5": "9"})
        )
    )
    assert "1 to 5" in bad
    assert not pair.thread.archived  # bad input changes nothing
    opened = await pair.mentee.slash("mentor close", in_channel=pair.thread, outcome="withdrawn")
    assert "Closed." in await answer(await pair.mentee.submit_modal(opened, FEEDBACK))
    await drained(clocked)
    assert pair.thread.archived
    assert pair.thread.locked
    assert "ended early" in bot_posts(pair.thread)[-1].content

    choices = await pair.mentee.autocomplete("mentor record", focused="match", value="")
    assert len(choices) == 1
    assert "with Priya" in choices[0]["name"]
    before = len(server.dm_messages(pair.mentee))
    sent = await answer(await pair.mentee.slash("mentor record", match=choices[0]["value"]))
    assert "on its way" in sent
    await drained(clocked)
    assert len(server.dm_messages(pair.mentee)) == before + 1
    assert record_of(server, pair.mentee).attachments[0].filename.endswith(".md")


async def test_a_bad_rating_keeps_the_close_comment(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    """Issue #20 item 13: the rating is asked again alone; the comment is never retyped."""
    pair = await matched(clocked, community, "priya", "james")
    comment = "Priya was great, but my new job leaves no time."
    opened = await pair.mentee.slash("mentor close", in_channel=pair.thread, outcome="withdrawn")
    bad = await pair.mentee.submit_modal(
        opened,
        {"How was it? A rating from 1 to 5": "9", "A comment (only moderators see it)": comment},
    )
    asked = await bad.final()
    assert "1 to 5" in render_message(asked)
    assert "your comment is kept" in render_message(asked)
    assert not pair.thread.archived
    picked = await pair.mentee.select(asked, 0, ["4"])
    assert "Closed." in render_message(await picked.final())
    await drained(clocked)
    assert pair.thread.archived
    async with running(clocked).services.db.read() as uow:
        rows = (await uow.conn.execute(select(mentor_feedback))).all()
    assert [(row.rating, row.comment) for row in rows] == [(4, comment)]


async def test_a_missing_thread_permission_is_told_to_moderators(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    pair = await matched(clocked, community, "priya", "james")
    parent = community.guild.channel("mentorship")
    community.guild.set_bot_permissions(parent, deny=["send_messages_in_threads"])
    assert await tick(clocked, 28) == 2  # the fit check (DMs) and a check-in prompt
    log = community.guild.channel("mod-log")
    notes = [
        m.content for m in log.messages if "could not post in the mentorship thread" in m.content
    ]
    assert len(notes) == 1
    assert "send messages in threads" in notes[0]
    assert not any("time for a check-in" in m.content for m in pair.thread.messages)


# -- the whole flow, from the offer (the requests side, merged from h-mentor-a) ------------------

REQUEST_FORM = {"Your goals (a couple, specific)": GOALS}  # the term is the command's option


def claim_dms(server: SandboxServer, member: Member) -> list[Message]:
    return [
        m
        for m in server.dm_messages(member)
        if any(c.get("label") == "Claim" for c in m.iter_components())
    ]


async def test_offer_request_claim_fit_checkin_close_record_and_a_rematch(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    mod, guild = community.moderator, community.guild
    await answer(await mod.slash("setup defaults", discoverable=True))
    await prepare(community)
    await answer(
        await mod.slash(
            "setup channel", purpose="mentor-requests", channel=guild.channel("mentor-requests")
        )
    )
    priya, grace, james = (community.members[n] for n in ("priya", "grace", "james"))
    for member in (priya, grace, james):
        await answer(await member.slash("tags add", tag="ortho"))
    await answer(await priya.slash("mentor offer", capacity=1))

    opened = await james.slash("mentor request", topic="ortho", term=3)
    assert opened.modal is not None
    await answer(await james.submit_modal(opened, REQUEST_FORM))
    await drained(clocked)
    card = guild.channel("mentor-requests").messages[-1]
    assert any(c.get("label") == "Claim" for c in card.iter_components())
    (offered,) = claim_dms(server, priya)
    await answer(await priya.click(offered, "Claim"))
    await drained(clocked)
    (first,) = guild.channel("mentorship").threads
    assert {priya.id, james.id} <= set(first.thread_members)

    await answer(await grace.slash("mentor offer", capacity=1))  # after the first claim
    assert await tick(clocked, 14) == 1
    asked = await fit_check(server, james)
    confirm = await (await james.click(asked, "Not a good fit")).final()
    await (await james.click(confirm, "Yes, end it kindly")).final()
    await drained(clocked)
    assert first.archived
    assert first.locked
    (rematch,) = await server.wait_for(lambda: claim_dms(server, grace) or None, what="rematch")
    await drained(clocked)
    assert claim_dms(server, priya) == []  # never offered back to the same mentor
    await answer(await grace.click(rematch, "Claim"))
    await drained(clocked)
    second = next(t for t in guild.channel("mentorship").threads if t is not first)
    assert {grace.id, james.id} <= set(second.thread_members)

    await answer(
        await james.slash(
            "mentor checkin", in_channel=second, note="Case report outline", minutes=30
        )
    )
    assert await tick(clocked, 28) == 2  # the fit check (DMs) and the first check-in prompt
    assert "time for a check-in" in bot_posts(second)[-1].content
    while not any("term of this mentorship has ended" in m.content for m in bot_posts(second)):
        await tick(clocked, 7)
    prompt = bot_posts(second)[-1]
    opened = await grace.click(prompt, "Close (completed)")
    assert "Closed as completed" in await answer(await grace.submit_modal(opened, FEEDBACK))
    await drained(clocked)
    assert second.archived
    assert second.locked
    text = record_of(server, james).attachments[0].data.decode()
    assert "Case report outline" in text
    assert "Mentor: Grace Chen, PT, SCS" in text
    assert "Outcome: completed" in text
    mine = await answer(await grace.slash("mentor status"))
    assert "James" not in mine  # capacity freed


async def test_closed_dms_get_the_fit_check_in_the_thread(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    pair = await matched(clocked, community, "priya", "james")
    server.faults.close_dms(pair.mentee)
    await tick(clocked, 14)
    here = await server.wait_for(
        lambda: [m for m in bot_posts(pair.thread) if "couldn't reach you by DM" in m.content],
        what="the fit check in the thread",
    )
    assert len(here) == 1
    assert str(pair.mentor.id) not in here[0].content  # asked of the mentee only
    said = await answer(await pair.mentee.click(here[0], "Not sure yet"))  # ephemeral
    assert "give it time" in said
    assert len(await dms(server, pair.mentor)) == 1  # the mentor's own fit check, by DM

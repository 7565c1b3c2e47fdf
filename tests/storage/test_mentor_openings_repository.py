"""The claim's side of a match (``MatchOpenings``, part of the mentor requests repository) on
the real migrated database: opening, activating or dropping a match, capacity held, and the
report's counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.mentorship.matches import MatchOutcome, MatchStatus
from bot.domain.mentorship.requests import MentorRequest
from bot.storage.database import Database
from bot.storage.repositories.mentor_openings import MatchStub
from bot.storage.unit_of_work import UnitOfWork
from tests.storage.repository_support import request_from
from tests.storage.world import ALICE, BOB, CARL, DAN, DAY, GUILD, HOUR, NOW, OTHER

TERM = timedelta(days=90)


async def claimed(
    uow: UnitOfWork, request: MentorRequest, mentor: int, *, at: datetime, thread: int | None
) -> MatchStub:
    """A match opened for ``request``, made active when it has a thread."""
    match = await uow.mentor_requests.open_match(request, mentor, now=at, term_ends_at=at + TERM)
    if thread is not None:
        assert await uow.mentor_requests.activate_match(match.id, thread, next_checkin_at=at + DAY)
    return match


async def test_open_then_activate_once(database: Database) -> None:
    async with database.transaction() as uow:
        request = await request_from(uow, ALICE)
        opened = await uow.mentor_requests.open_match(
            request, BOB, now=NOW + HOUR, term_ends_at=NOW + TERM
        )
        assert opened == MatchStub(
            id=opened.id,
            guild_id=GUILD,
            request_id=request.id,
            mentor_id=BOB,
            mentee_id=ALICE,
            status="opening",
            matched_at=NOW + HOUR,
            term_ends_at=NOW + TERM,
            thread_id=None,
        )
        openings = uow.mentor_requests
        assert await openings.activate_match(opened.id, 900, next_checkin_at=NOW + DAY)
        assert not await openings.activate_match(opened.id, 901, next_checkin_at=NOW + DAY)
        assert not await openings.drop_opening_match(opened.id)  # active: not dropped
        active = await openings.match(opened.id)
        assert active is not None
        assert (active.status, active.thread_id) == ("active", 900)
        assert await openings.match(opened.id + 1) is None


async def test_a_match_whose_thread_failed_is_dropped(database: Database) -> None:
    async with database.transaction() as uow:
        request = await request_from(uow, ALICE)
        opened = await claimed(uow, request, BOB, at=NOW, thread=None)
        assert await uow.mentor_requests.drop_opening_match(opened.id)
        assert not await uow.mentor_requests.drop_opening_match(opened.id)
        assert await uow.mentor_requests.match(opened.id) is None


async def test_what_holds_a_mentors_capacity(database: Database) -> None:
    async with database.transaction() as uow:
        first = await claimed(uow, await request_from(uow, ALICE), BOB, at=NOW, thread=1)
        second = await claimed(uow, await request_from(uow, CARL), BOB, at=NOW - HOUR, thread=None)
        await claimed(uow, await request_from(uow, DAN), ALICE, at=NOW, thread=2)
        await claimed(uow, await request_from(uow, DAN, guild=OTHER), BOB, at=NOW, thread=3)
        closed = await claimed(uow, await request_from(uow, CARL), BOB, at=NOW, thread=4)
        await close(uow, closed.id)
    async with database.read() as uow:
        openings = uow.mentor_requests
        assert await openings.holding_counts(GUILD) == {BOB: 2, ALICE: 1}
        assert await openings.holding_counts(OTHER) == {BOB: 1}
        held = await openings.holding(GUILD, BOB)
        assert [m.id for m in held] == [second.id, first.id]  # oldest claim first
        as_either = await openings.holding(GUILD, ALICE)  # mentee of one, mentor of another
        assert sorted(m.mentee_id for m in as_either) == [ALICE, DAN]
        assert await openings.holding(OTHER, ALICE) == []


async def close(uow: UnitOfWork, match_id: int) -> None:
    """The later life of a match (``mentor_matches``): it ended and holds no place any more."""
    match = await uow.mentor_matches.by_id(match_id)
    assert match is not None
    ended = replace(match, status=MatchStatus.CLOSED, closed_at=NOW, outcome=MatchOutcome.WITHDRAWN)
    assert await uow.mentor_matches.save(match, ended)


async def test_report_counts_leave_out_failed_threads_and_other_servers(
    database: Database,
) -> None:
    async with database.transaction() as uow:
        asked = await request_from(uow, ALICE, at=NOW - DAY)
        await claimed(uow, asked, BOB, at=NOW, thread=1)
        await claimed(uow, await request_from(uow, CARL, at=NOW), BOB, at=NOW + HOUR, thread=2)
        await claimed(uow, await request_from(uow, DAN), BOB, at=NOW, thread=None)  # opening
        late = await request_from(uow, DAN, at=NOW)
        await claimed(uow, late, ALICE, at=NOW + DAY, thread=3)  # the window's end
        await claimed(uow, await request_from(uow, DAN, guild=OTHER), BOB, at=NOW, thread=4)
    async with database.read() as uow:
        openings = uow.mentor_requests
        since, until = NOW, NOW + DAY
        assert await openings.count_matched(GUILD, since, until) == 2
        assert await openings.count_matched(OTHER, since, until) == 1
        assert sorted(await openings.matched_times(GUILD, since, until)) == [NOW, NOW + HOUR]
        durations = sorted(await openings.match_durations(GUILD, since, until))
        assert durations == [HOUR, DAY]
        assert await openings.match_durations(OTHER, NOW + HOUR, until) == []

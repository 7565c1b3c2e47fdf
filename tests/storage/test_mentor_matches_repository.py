"""The mentor matches repository on the real migrated database: matches and their guarded
saves, the request behind a match, fit answers, check-ins, feedback, report counts and the
member-data contract."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from bot.domain.mentorship.matches import FitAnswer, Match, MatchOutcome, MatchStatus
from bot.domain.mentorship.requests import RequestStatus
from bot.storage.database import Database
from bot.storage.repositories.mentor_matches import MentorMatchesRepository, RequestBrief
from bot.storage.schema.mentorship import mentor_checkins, mentor_feedback, mentor_fit_answers
from bot.storage.unit_of_work import UnitOfWork
from tests.storage.repository_support import (
    count_rows,
    declares_member_data,
    member_rows,
    request_from,
)
from tests.storage.world import ALICE, BOB, CARL, DAN, DAY, GUILD, HOUR, NOW, OTHER, WEEK


async def matched(
    uow: UnitOfWork,
    mentor: int,
    mentee: int,
    *,
    at: datetime = NOW,
    guild: int = GUILD,
    status: MatchStatus = MatchStatus.ACTIVE,
    thread: int | None = None,
) -> Match:
    """A match (and the request it came from) in any state."""
    request = await request_from(uow, mentee, at=at - DAY, guild=guild)
    match = Match(0, guild, request.id, mentor, mentee, status, at, at + 12 * WEEK, thread)
    return await uow.mentor_matches.insert(match)


def closed(match: Match, outcome: MatchOutcome, at: datetime) -> Match:
    return replace(match, status=MatchStatus.CLOSED, outcome=outcome, closed_at=at, closed_by=BOB)


async def test_insert_and_read_back(database: Database) -> None:
    async with database.transaction() as uow:
        made = await matched(uow, BOB, ALICE, thread=900)
        await matched(uow, BOB, ALICE, guild=OTHER, thread=900)
        assert (made.mentor_id, made.mentee_id, made.status) == (BOB, ALICE, MatchStatus.ACTIVE)
        assert (made.matched_at, made.term_ends_at) == (NOW, NOW + 12 * WEEK)
        assert made.extensions == 0
        assert made.outcome is None
    async with database.read() as uow:
        matches = uow.mentor_matches
        assert await matches.by_id(made.id) == made
        assert await matches.get(GUILD, made.id) == made
        assert await matches.get(OTHER, made.id) is None  # never across servers
        assert await matches.in_thread(GUILD, 900) == made
        assert await matches.in_thread(GUILD, 901) is None


async def test_a_members_matches_newest_first_and_active_pairs(database: Database) -> None:
    async with database.transaction() as uow:
        old = await matched(uow, BOB, ALICE, at=NOW - WEEK, status=MatchStatus.CLOSED)
        new = await matched(uow, ALICE, CARL, at=NOW)
        other_pair = await matched(uow, BOB, CARL, at=NOW)
        elsewhere = await matched(uow, BOB, ALICE, guild=OTHER)
        await matched(uow, DAN, CARL, status=MatchStatus.OPENING)
    async with database.read() as uow:
        matches = uow.mentor_matches
        assert [m.id for m in await matches.of_member(GUILD, ALICE)] == [new.id, old.id]
        closed_ones = await matches.of_member(GUILD, ALICE, status=MatchStatus.CLOSED)
        assert [m.id for m in closed_ones] == [old.id]
        assert [m.id for m in await matches.of_member(OTHER, ALICE)] == [elsewhere.id]
        assert await matches.active_between(GUILD, ALICE, BOB) == []  # that one is closed
        assert [m.id for m in await matches.active_between(GUILD, CARL, BOB)] == [other_pair.id]
        everywhere = [m.id for m in await matches.active()]
        assert everywhere == [new.id, other_pair.id, elsewhere.id]


async def test_save_changes_a_match_only_from_the_state_it_was_read_in(
    database: Database,
) -> None:
    async with database.transaction() as uow:
        match = await matched(uow, BOB, ALICE)
        matches = uow.mentor_matches
        asked = replace(match, fit_check_sent_at=NOW + WEEK, thread_id=5)
        assert await matches.save(match, asked)
        assert not await matches.save(match, replace(match, extensions=1))  # read before: stale
        extended = replace(asked, extend_by_mentor=True, extensions=1)
        assert await matches.save(asked, extended)
        assert not await matches.save(asked, extended)  # someone got there first
        moved = replace(extended, mentor_id=CARL, guild_id=OTHER)  # who and where never change
        assert await matches.save(extended, moved)
        found = await matches.by_id(match.id)
    assert found == replace(extended, id=match.id)


async def test_the_request_behind_a_match(database: Database) -> None:
    async with database.transaction() as uow:
        match = await matched(uow, BOB, ALICE)
        requests = uow.mentor_requests
        await requests.move(match.request_id, RequestStatus.OPEN, RequestStatus.MATCHED, now=NOW)
        matches = uow.mentor_matches
        assert await matches.request_brief(match.request_id) == RequestBrief(11, "learn", 3, None)
        assert await matches.request_brief(match.request_id + 100) is None
        await matches.reopen_request(match.request_id, GUILD, BOB, NOW + DAY)
        reopened = await requests.get(match.request_id)
        assert reopened is not None
        assert (reopened.status, reopened.routed_wave) == (RequestStatus.OPEN, 0)
        assert (reopened.opened_at, reopened.escalated_at, reopened.ended_at) == (
            NOW + DAY,
            None,
            None,
        )
        assert await requests.told(match.request_id) == {BOB: True}  # never to Bob again
        await matches.reopen_request(match.request_id, GUILD, BOB, NOW + DAY)  # no clash
        await matches.close_request(match.request_id, NOW + WEEK)
        ended = await requests.get(match.request_id)
    assert ended is not None
    assert (ended.status, ended.ended_at) == (RequestStatus.CLOSED, NOW + WEEK)


async def test_fit_answers_checkins_and_feedback(database: Database) -> None:
    async with database.transaction() as uow:
        match = await matched(uow, BOB, ALICE)
        another = await matched(uow, CARL, DAN)
        matches = uow.mentor_matches
        await matches.record_fit(match, ALICE, FitAnswer.UNSURE, NOW)
        await matches.record_fit(match, ALICE, FitAnswer.GOOD, NOW + HOUR)  # a later click wins
        await matches.record_fit(match, BOB, FitAnswer.POOR, NOW)
        await matches.record_fit(another, CARL, FitAnswer.GOOD, NOW)
        late = await matches.add_checkin(match, BOB, "second", 30, NOW + DAY)
        early = await matches.add_checkin(match, ALICE, "first", None, NOW)
        await matches.add_checkin(another, CARL, "elsewhere", 5, NOW)
        await matches.add_feedback(match, ALICE, 3, None, NOW)
        await matches.add_feedback(match, ALICE, 5, "great", NOW + HOUR)
    async with database.read() as uow:
        matches = uow.mentor_matches
        assert await matches.fit_answers(match.id) == {ALICE: FitAnswer.GOOD, BOB: FitAnswer.POOR}
        assert await matches.checkins(match.id) == [early, late]  # in the order recorded
        assert (late.user_id, late.note, late.minutes) == (BOB, "second", 30)
        assert await matches.has_feedback(match.id, ALICE)
        assert not await matches.has_feedback(match.id, BOB)
        assert not await matches.has_feedback(another.id, ALICE)
    assert await count_rows(database, mentor_feedback) == 1
    found = await member_rows(database, MentorMatchesRepository.member_columns, ALICE, GUILD)
    assert [(r["rating"], r["comment"]) for r in found["mentor_feedback"]] == [(5, "great")]


async def test_report_counts(database: Database) -> None:
    async with database.transaction() as uow:
        matches = uow.mentor_matches
        done = await matched(uow, BOB, ALICE, at=NOW - WEEK)
        poor = await matched(uow, BOB, CARL, at=NOW + DAY)
        late = await matched(uow, CARL, DAN, at=NOW)
        elsewhere = await matched(uow, BOB, ALICE, guild=OTHER)
        await matches.save(done, closed(done, MatchOutcome.COMPLETED, NOW + DAY))
        await matches.save(poor, closed(poor, MatchOutcome.POOR_FIT, NOW + 2 * DAY))
        await matches.save(late, closed(late, MatchOutcome.COMPLETED, NOW + 2 * WEEK))
        await matches.save(elsewhere, closed(elsewhere, MatchOutcome.COMPLETED, NOW + DAY))
    async with database.read() as uow:
        matches = uow.mentor_matches
        since, until = NOW, NOW + WEEK
        assert await matches.count_completed(GUILD, since, until) == 1
        assert await matches.count_rematches(GUILD, since, until) == 1
        assert await matches.count_completed(OTHER, since, until) == 1
        assert await matches.count_rematches(OTHER, since, until) == 0
        weekly = await matches.weekly_matches(GUILD, NOW - WEEK, NOW + 2 * WEEK)
    assert weekly == [(date(2027, 2, 22), 1), (date(2027, 3, 1), 2), (date(2027, 3, 8), 0)]


async def test_member_data_export_and_delete(database: Database) -> None:
    async with database.transaction() as uow:
        assert declares_member_data(uow, uow.mentor_matches)
        matches = uow.mentor_matches
        mine = await matched(uow, BOB, ALICE)
        theirs = await matched(uow, BOB, CARL)
        elsewhere = await matched(uow, BOB, ALICE, guild=OTHER)
        for match in (mine, theirs, elsewhere):
            await matches.record_fit(match, BOB, FitAnswer.GOOD, NOW)
            await matches.add_checkin(match, BOB, "met", 30, NOW)
        await matches.add_feedback(mine, ALICE, 4, None, NOW)
        await matches.add_feedback(theirs, BOB, 4, None, NOW)
    declared = MentorMatchesRepository.member_columns
    found = await member_rows(database, declared, ALICE, GUILD)
    assert [r["id"] for r in found["mentor_matches"]] == [mine.id]
    assert [r["match_id"] for r in found["mentor_feedback"]] == [mine.id]
    assert found["mentor_checkins"] == []  # Bob's check-in in her match is his row

    async with database.transaction() as uow:
        # her feedback, then in her match: Bob's fit answer and check-in, and the match itself
        assert await uow.mentor_matches.delete_member(GUILD, ALICE) == 4
        assert await uow.mentor_matches.delete_member(GUILD, ALICE) == 0
    assert all(
        rows == [] for rows in (await member_rows(database, declared, ALICE, GUILD)).values()
    )
    async with database.read() as uow:
        assert await uow.mentor_matches.by_id(mine.id) is None
        assert await uow.mentor_matches.by_id(theirs.id) == theirs
        assert await uow.mentor_matches.by_id(elsewhere.id) == elsewhere
        assert await uow.mentor_matches.fit_answers(theirs.id) == {BOB: FitAnswer.GOOD}
    assert await count_rows(database, mentor_fit_answers) == 2
    assert await count_rows(database, mentor_checkins) == 2
    assert await count_rows(database, mentor_feedback) == 1

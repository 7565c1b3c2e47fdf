"""MentorMatches and MentorRecords with real repositories, a real database and a fake clock.

Matches are made here as the claim makes them (a request row, then a match row), so these tests
do not depend on the requests side.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from bot.domain.mentorship.matches import (
    FitAnswer,
    Match,
    MatchOutcome,
    MatchStatus,
    add_months,
)
from bot.domain.privacy import OTHER_MEMBER, YOU
from bot.domain.profiles import could_ping
from bot.services import Services
from bot.storage.schema.mentorship import (
    mentor_checkins,
    mentor_feedback,
    mentor_request_mentors,
    mentor_requests,
)
from bot.storage.schema.outbox import outbox
from tests.services.support import hostile
from tests.services.support.matches import (
    DAY,
    GUILD,
    MENTEE,
    MENTOR,
    MODLOG,
    OTHER,
    THREAD,
    make_match,
)


async def queued(services: Services) -> list[tuple[str, str, str, dict[str, object]]]:
    async with services.db.read() as uow:
        rows = (await uow.conn.execute(select(outbox).order_by(outbox.c.id))).all()
    return [(r.idempotency_key, r.kind, r.recipient, json.loads(r.payload)) for r in rows]


async def keys(services: Services) -> list[str]:
    return [key for key, *_ in await queued(services)]


async def match_now(services: Services, match_id: int) -> Match:
    async with services.db.read() as uow:
        found = await uow.mentor_matches.by_id(match_id)
    assert found is not None
    return found


@pytest.fixture
async def match(services: Services, clock: FakeClock) -> Match:
    return await make_match(services, clock)


async def test_the_term_runs_each_step_once(services: Services, clock: FakeClock, match: Match):
    m = services.mentor_matches
    assert await m.tick() == 0
    clock.advance(14 * DAY)
    assert await m.tick() == 1
    assert await m.tick() == 0  # exactly once
    fit = [k for k in await keys(services) if "fit-check" in k]
    assert fit == [
        f"mentor-match:{match.id}:fit-check:{MENTOR}",
        f"mentor-match:{match.id}:fit-check:{MENTEE}",
    ]
    clock.advance(14 * DAY)  # four weeks in
    assert await m.tick() == 1
    assert any(":checkin:" in k for k in await keys(services))
    while clock.now() < match.term_ends_at:
        clock.advance(min(7 * DAY, match.term_ends_at - clock.now()))
        await m.tick()
    assert sum(":checkin:" in k for k in await keys(services)) == 5
    assert any(":end-reminder:" in k for k in await keys(services))
    assert any(":term-end:" in k for k in await keys(services))
    clock.advance(14 * DAY)
    await m.tick()
    ended = await match_now(services, match.id)
    assert (ended.status, ended.outcome, ended.closed_by) == (
        MatchStatus.CLOSED,
        MatchOutcome.COMPLETED,
        None,
    )
    found = await queued(services)
    lock = [p for k, kind, _, p in found if kind == "update_thread"]
    assert lock == [{"archived": True, "locked": True}]
    records = [p for k, _, r, p in found if ":record:" in k]
    assert len(records) == 2
    file = records[0]["message"]["files"][0]  # type: ignore[index]
    assert "Pass the OCS exam" in file["content"]
    assert file["filename"].endswith(".md")
    async with services.db.read() as uow:
        status = (await uow.conn.execute(select(mentor_requests.c.status))).scalar_one()
    assert status == "closed"


async def test_fit_answers_good_and_unsure_change_nothing(
    services: Services, clock: FakeClock, match: Match
):
    with pytest.raises(Conflict):  # not asked yet
        await services.mentor_matches.answer_fit(match.id, MENTOR, FitAnswer.GOOD)
    clock.advance(14 * DAY)
    await services.mentor_matches.tick()
    assert "Glad" in await services.mentor_matches.answer_fit(match.id, MENTOR, FitAnswer.GOOD)
    assert "give it time" in await services.mentor_matches.answer_fit(
        match.id, MENTEE, FitAnswer.UNSURE
    )
    with pytest.raises(Conflict):
        await services.mentor_matches.answer_fit(match.id, OTHER, FitAnswer.GOOD)
    assert (await match_now(services, match.id)).status is MatchStatus.ACTIVE


async def test_not_a_good_fit_ends_kindly_and_routes_again(
    services: Services, clock: FakeClock, match: Match
):
    rerouted = []

    async def reroute() -> None:
        rerouted.append(True)

    services.mentor_matches.reroute = reroute
    clock.advance(14 * DAY)
    await services.mentor_matches.tick()
    await services.mentor_matches.answer_fit(match.id, MENTEE, FitAnswer.POOR)
    ended = await match_now(services, match.id)
    assert (ended.status, ended.outcome, ended.closed_by) == (
        MatchStatus.CLOSED,
        MatchOutcome.POOR_FIT,
        None,
    )
    assert rerouted == [True]
    async with services.db.read() as uow:
        request = (await uow.conn.execute(select(mentor_requests))).one()
        told = (await uow.conn.execute(select(mentor_request_mentors))).all()
        rematches = await uow.mentor_matches.count_rematches(
            GUILD, ended.matched_at, clock.now() + DAY
        )
    assert (request.status, request.routed_wave) == ("open", 0)
    assert [(t.mentor_id, t.excluded) for t in told] == [(MENTOR, True)]
    assert rematches == 1
    found = await queued(services)
    closing = next(p for k, _, _, p in found if ":closing:" in k)
    text = closing["message"]["content"]  # type: ignore[index]
    assert "nobody's fault" in text
    assert str(MENTEE) not in text
    assert not [k for k, _, r, _ in found if r == f"channel:{MODLOG}"]  # counts only, in reports
    with pytest.raises(Conflict):
        await services.mentor_matches.answer_fit(match.id, MENTOR, FitAnswer.POOR)


async def test_close_with_feedback(services: Services, clock: FakeClock, match: Match):
    m = services.mentor_matches
    with pytest.raises(NotFound):
        await m.in_channel(GUILD, 1234, MENTOR)
    assert (await m.in_channel(GUILD, THREAD, MENTEE)).id == match.id
    with pytest.raises(InvalidInput):
        await m.close(match.id, MENTEE, MatchOutcome.WITHDRAWN, "9", None)
    with pytest.raises(Conflict):
        await m.close(match.id, OTHER, MatchOutcome.COMPLETED, "3", None)
    await m.close(match.id, MENTEE, MatchOutcome.WITHDRAWN, "4", "Kind, but busy")
    ended = await match_now(services, match.id)
    assert (ended.outcome, ended.closed_by) == (MatchOutcome.WITHDRAWN, MENTEE)
    found = await queued(services)
    modlog = [p for _, _, r, p in found if r == f"channel:{MODLOG}"]
    assert len(modlog) == 1
    assert "4/5" in modlog[0]["message"]["content"]
    assert "Kind, but busy" in modlog[0]["message"]["content"]  # type: ignore[index]
    with pytest.raises(Conflict):
        await m.close(match.id, MENTOR, MatchOutcome.COMPLETED, "5", None)


async def test_extend_needs_both(services: Services, clock: FakeClock, match: Match):
    m = services.mentor_matches
    with pytest.raises(Conflict):
        await m.press_extend(match.id, MENTOR)
    clock.set(match.term_ends_at)
    await m.tick()
    assert "other side" in await m.press_extend(match.id, MENTOR)
    assert "already" in await m.press_extend(match.id, MENTOR)
    assert "Extended" in await m.press_extend(match.id, MENTEE)
    extended = await match_now(services, match.id)
    assert extended.term_ends_at == add_months(match.term_ends_at, 3)
    assert extended.term_end_prompted_at is None
    clock.advance(14 * DAY)
    await m.tick()
    assert (await match_now(services, match.id)).status is MatchStatus.ACTIVE


async def test_checkins_go_into_the_record(services: Services, clock: FakeClock, match: Match):
    m = services.mentor_matches
    await m.checkin(GUILD, THREAD, MENTOR, "Reviewed the study plan", 45)
    clock.advance(DAY)
    await m.checkin(GUILD, 42, MENTEE, "Mock exam questions", None)  # outside: their only match
    with pytest.raises(NotFound):
        await m.checkin(GUILD, THREAD, OTHER, "hi", None)
    await m.close(match.id, MENTOR, MatchOutcome.COMPLETED, "5", None)
    records = [p for k, _, _, p in await queued(services) if ":record:" in k]
    content = records[0]["message"]["files"][0]["content"]  # type: ignore[index]
    assert "Reviewed the study plan" in content
    assert "45 minutes" in content
    assert "Mock exam questions" in content
    assert "Check-ins: 2 (45 minutes in all)" in content


async def test_the_record_file_keeps_the_text_as_typed(
    services: Services, clock: FakeClock, match: Match
):
    """Issue #20 item 14: "@everyone" in a note is text in a file, not a mangled ＠."""
    m = services.mentor_matches
    await m.checkin(GUILD, THREAD, MENTOR, "Told @everyone at the clinic about it", 30)
    await m.close(match.id, MENTOR, MatchOutcome.COMPLETED, "5", None)
    records = [p for k, _, _, p in await queued(services) if ":record:" in k]
    message = dict(records[0]["message"])  # type: ignore[call-overload]
    content = message.pop("files")[0]["content"]
    assert "Told @everyone at the clinic about it" in content
    assert "\uff20" not in content
    assert not could_ping(member_text_shown(message))  # the embed beside it still cannot ping


def member_text_shown(message: dict[str, object]) -> str:
    """The message's content and embed fields: where member text appears (the description
    names the other party with a mention on purpose; embeds never ping)."""
    embeds = message.get("embeds") or []
    fields = [e.get("fields") for e in embeds]  # type: ignore[attr-defined, union-attr]
    return json.dumps([message.get("content"), fields])


async def test_record_resend(services: Services, clock: FakeClock, match: Match):
    records = services.mentor_records
    with pytest.raises(NotFound):
        await records.resend(GUILD, MENTEE, None)
    await services.mentor_matches.close(match.id, MENTOR, MatchOutcome.COMPLETED, "5", None)
    past = await records.past(GUILD, MENTEE)
    assert [p.match_id for p in past] == [match.id]
    clock.advance(DAY)
    assert "on its way" in await records.resend(GUILD, MENTEE, None)
    with pytest.raises(NotFound):
        await records.resend(GUILD, OTHER, match.id)
    sent = [k for k in await keys(services) if f":record:{MENTEE}" in k]
    assert len(sent) == 2


async def test_a_block_between_them_ends_the_match(
    services: Services, clock: FakeClock, match: Match
):
    await services.privacy.set_discoverable(GUILD, MENTEE, False)  # already agreed: stays
    assert (await match_now(services, match.id)).status is MatchStatus.ACTIVE
    await services.privacy.block(GUILD, MENTEE, MENTOR)
    ended = await match_now(services, match.id)
    assert (ended.status, ended.outcome) == (MatchStatus.CLOSED, MatchOutcome.WITHDRAWN)


async def test_export_and_delete(services: Services, clock: FakeClock, match: Match):
    await services.mentor_matches.checkin(GUILD, THREAD, MENTOR, "Met for coffee", 30)
    exported = (await services.privacy.export(GUILD, MENTEE))["servers"][str(GUILD)]
    (mine,) = exported["mentor_matches"]
    assert (mine["mentee_id"], mine["mentor_id"]) == (YOU, OTHER_MEMBER)
    assert "mentor_checkins" not in exported  # the mentor's check-in, about the mentorship
    await services.privacy.delete(GUILD, MENTOR)
    async with services.db.read() as uow:
        assert await uow.mentor_matches.of_member(GUILD, MENTEE) == []


async def test_report_counts(services: Services, clock: FakeClock, match: Match):
    start = clock.now() - 7 * DAY
    await services.mentor_matches.close(match.id, MENTOR, MatchOutcome.COMPLETED, "5", None)
    async with services.db.read() as uow:
        repo = uow.mentor_matches
        assert await repo.count_completed(GUILD, start, clock.now() + DAY) == 1
        weeks = await repo.weekly_matches(GUILD, start, clock.now() + DAY)
    assert sum(n for _, n in weeks) == 1
    assert all(w.weekday() == 0 for w, _ in weeks)


async def test_a_racing_tick_does_nothing_twice(services: Services, clock: FakeClock, match: Match):
    clock.advance(14 * DAY)
    async with services.db.transaction() as uow:
        stale = replace(match)
        assert await uow.mentor_matches.save(stale, replace(stale, fit_check_sent_at=clock.now()))
        assert not await uow.mentor_matches.save(
            stale, replace(stale, fit_check_sent_at=clock.now())
        )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,  # 10,000-character inputs are the point
    ],
)
@given(note=hostile, comment=hostile, rating=st.text(max_size=8))
async def test_hostile_text_in_checkins_and_feedback(
    services: Services, clock: FakeClock, note: str, comment: str, rating: str
) -> None:
    """No crash, every refusal explains itself, nothing stored or sent that could ping."""
    async with services.db.read() as uow:
        active = await uow.mentor_matches.of_member(GUILD, MENTEE, status=MatchStatus.ACTIVE)
    match = active[0] if active else await make_match(services, clock)
    refusals = []
    for call in (
        services.mentor_matches.checkin(GUILD, THREAD, MENTOR, note, None),
        services.mentor_matches.close(match.id, MENTEE, MatchOutcome.WITHDRAWN, rating, comment),
    ):
        try:
            await call
        except DomainError as error:
            refusals.append(error.message)
    assert all(refusals)
    assert not any(could_ping(message) for message in refusals)
    async with services.db.read() as uow:
        notes = (await uow.conn.execute(select(mentor_checkins.c.note))).scalars().all()
        comments = (await uow.conn.execute(select(mentor_feedback.c.comment))).scalars().all()
    assert not any(could_ping(text or "") for text in [*notes, *comments])
    for _, _, _, payload in await queued(services):
        message = dict(payload.get("message") or {})  # type: ignore[call-overload]
        # Issue #20 item 14: an attached file never pings, so it keeps the text as typed; all
        # the member text the message itself shows (content, embed fields) stays neutralised.
        message.pop("files", None)
        assert not could_ping(member_text_shown(message))


async def test_both_say_not_a_good_fit_at_once(
    services: Services, clock: FakeClock, match: Match
) -> None:
    """Two clicks at the same instant: one close, one set of records, the other told politely."""
    clock.advance(14 * DAY)
    await services.mentor_matches.tick()
    answers = await asyncio.gather(
        services.mentor_matches.answer_fit(match.id, MENTOR, FitAnswer.POOR),
        services.mentor_matches.answer_fit(match.id, MENTEE, FitAnswer.POOR),
        return_exceptions=True,
    )
    refused = [a for a in answers if isinstance(a, Conflict)]
    assert len(refused) == 1
    assert sum(isinstance(a, str) for a in answers) == 1
    found = await keys(services)
    assert sum(":record:" in k for k in found) == 2  # one for each party, once
    assert sum(":lock" in k for k in found) == 1

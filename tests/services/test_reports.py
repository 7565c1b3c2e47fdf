"""Report sources on a real database: window edges and cross-server isolation."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.domain.errors import InvalidInput
from bot.domain.introductions import RequestState
from bot.domain.reports import SUPPRESSED, Contribution, Measure, Window
from bot.services import Services
from bot.services.reports import ReportService
from bot.services.reports.sources import (
    icebreakers_source,
    introductions_source,
    snoozes_source,
    tags_source,
)
from bot.storage.unit_of_work import UnitOfWork

A, B = 1001, 2002
NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)
WINDOW = Window.last(30, now=NOW)
INSIDE = [WINDOW.start, NOW - timedelta(days=3), NOW - timedelta(microseconds=1)]
OUTSIDE = [WINDOW.start - timedelta(microseconds=1), NOW]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


async def add_request(
    uow: UnitOfWork, guild: int, at: datetime, state: RequestState | None, user: int
) -> None:
    request = await uow.intro_requests.add(
        guild, user, user + 1, note=None, delivered=True, now=at, expires_at=at + timedelta(7)
    )
    if state is not None:
        await uow.intro_requests.decide(request.id, state, now=at)


async def contribution_of(services: Services, source: object, guild: int) -> Contribution:
    async with services.db.read() as uow:
        return await source(uow, guild, WINDOW)  # type: ignore[operator, no-any-return]


async def test_introductions_count_inside_the_window_and_only_this_server(
    services: Services,
) -> None:
    async with services.db.transaction() as uow:
        for n, at in enumerate(INSIDE + OUTSIDE):
            await add_request(uow, A, at, RequestState.ACCEPTED, 10 + 2 * n)
            await add_request(uow, A, at, RequestState.REPORTED, 50 + 2 * n)
            await add_request(uow, A, at, None, 90 + 2 * n)
        for n in range(5):  # server B is busier; none of it may show in A
            await add_request(uow, B, INSIDE[1], RequestState.ACCEPTED, 200 + 2 * n)
            await add_request(uow, B, INSIDE[1], RequestState.REPORTED, 300 + 2 * n)
    part = await contribution_of(services, introductions_source, A)
    assert part.lines["intros_requested"].count == 3 * len(INSIDE)
    assert part.lines["intros_accepted"].count == len(INSIDE)
    assert part.lines["intro_reports"].count == len(INSIDE)
    # the window's start is 2 days before the first whole week, so it is in no bucket
    assert part.weekly["intros_accepted"] == [0, 0, 0, 2]
    other = await contribution_of(services, introductions_source, B)
    assert other.lines["intros_accepted"].count == 5


async def test_icebreaker_posts_count_posted_slots_only(services: Services) -> None:
    ids = {}
    for guild in (A, B):
        view = await services.icebreaker_schedules.add(
            guild,
            500 + guild,
            cadence="daily",
            time="09:00",
            weekday=None,
            timezone="UTC",
            thread=False,
            skip_if_quiet=False,
            actor_id=7,
        )
        ids[guild] = view.schedule.id
    async with services.db.transaction() as uow:
        for n, slot in enumerate(INSIDE + OUTSIDE):
            await uow.icebreakers.claim_slot(
                ids[A], slot, prompt_id=None, cycle=0, state="posted", now=slot
            )
            quiet = slot + timedelta(hours=1)
            await uow.icebreakers.claim_slot(
                ids[A], quiet, prompt_id=None, cycle=0, state="quiet" if n else "failed", now=quiet
            )
        for day in range(4):
            slot = NOW - timedelta(days=day + 1)
            await uow.icebreakers.claim_slot(
                ids[B], slot, prompt_id=None, cycle=0, state="posted", now=slot
            )
    part = await contribution_of(services, icebreakers_source, A)
    assert part.lines["icebreakers_posted"].count == len(INSIDE)
    assert sum(part.weekly["prompts_posted"]) == 2  # the window's first instant is no whole week
    assert (await contribution_of(services, icebreakers_source, B)).lines[
        "icebreakers_posted"
    ].count == 4


async def test_snoozes_count_when_they_started(services: Services, clock: FakeClock) -> None:
    for n, at in enumerate([*INSIDE, *OUTSIDE]):
        clock.set(at)
        await services.introductions.snooze(A, 10 + n, 2)
    clock.set(INSIDE[1])
    await services.introductions.snooze_off(A, 11)  # ended early: it still started in the window
    for n in range(4):
        await services.introductions.snooze(B, 10 + n, 2)
    part = await contribution_of(services, snoozes_source, A)
    assert part.lines["snoozes"].count == len(INSIDE)
    assert (await contribution_of(services, snoozes_source, B)).lines["snoozes"].count == 4


async def test_tags_count_members_and_top_tags_per_server(services: Services) -> None:
    async with services.db.transaction() as uow:
        for guild in (A, B):
            category = await uow.vocabulary.add_category(guild, "Clinical", "clinical", now=NOW)
            ortho = await uow.vocabulary.add_tag(guild, category, "Ortho", "ortho", now=NOW, by=7)
            neuro = await uow.vocabulary.add_tag(guild, category, "Neuro", "neuro", now=NOW, by=7)
            members = range(10, 16) if guild == A else range(10, 30)
            for n, user in enumerate(members):
                await uow.members.ensure(guild, user, discoverable=True, now=NOW)
                at = INSIDE[1] if n < 2 else WINDOW.start - timedelta(days=1)
                held = {ortho, neuro} if n % 2 == 0 or guild == B else {ortho}
                await uow.member_tags.add(guild, user, held, now=at)
    part = await contribution_of(services, tags_source, A)
    assert part.lines["members_tagged"].count == 6
    assert part.lines["members_newly_tagged"].count == 2
    assert list(part.top_tags) == [("Ortho", 6), ("Neuro", 3)]
    other = await contribution_of(services, tags_source, B)
    assert list(other.top_tags) == [("Neuro", 20), ("Ortho", 20)]


async def test_the_report_suppresses_and_leaves_unregistered_lines_out(
    services: Services, clock: FakeClock
) -> None:
    async with services.db.transaction() as uow:
        await add_request(uow, A, INSIDE[1], RequestState.ACCEPTED, 10)
    only = (tags_source, introductions_source, icebreakers_source, snoozes_source)
    report = await ReportService(services.db, clock, sources=only).report(A, 30)
    shown = {line.spec.key: line.shown for line in report.lines}
    assert shown["intros_accepted"] == SUPPRESSED
    assert shown["intros_requested"] == SUPPRESSED
    assert "mentor_requests_opened" not in shown  # mentorship's source is not in this registry
    assert "round_groups" not in shown
    assert {s.spec.key for s in report.series} == {"intros_accepted", "prompts_posted"}


async def test_a_new_source_is_one_function(services: Services, clock: FakeClock) -> None:
    async def rounds(_uow: UnitOfWork, _guild: int, window: Window) -> Contribution:
        return Contribution(
            lines={"round_groups": Measure(5)}, weekly={"round_meetings": [3] * len(window.weeks)}
        )

    service = ReportService(services.db, clock, sources=(rounds,))
    report = await service.report(A, 90)
    assert [(line.label, line.shown) for line in report.lines] == [("Intro-round groups", "5")]
    assert report.series[0].values == (3,) * 12


async def test_only_30_or_90_days(services: Services) -> None:
    with pytest.raises(InvalidInput):
        await services.reports.report(A, 7)


_guilds = itertools.count(10_000, 2)
_rows = st.lists(
    st.tuples(
        st.booleans(),  # server A (True) or B
        st.integers(min_value=-35 * 86400, max_value=2 * 86400),  # seconds from the window
        st.sampled_from([None, RequestState.ACCEPTED, RequestState.REPORTED]),
    ),
    max_size=25,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=_rows)
async def test_counts_are_exactly_this_servers_rows_in_the_window(
    services: Services, rows: list[tuple[bool, int, RequestState | None]]
) -> None:
    a = next(_guilds)  # fresh servers for every example, in the same database
    b = a + 1
    async with services.db.transaction() as uow:
        for n, (in_a, seconds, state) in enumerate(rows):
            at = NOW - timedelta(days=30) + timedelta(seconds=seconds)
            await add_request(uow, a if in_a else b, at, state, 10 + 2 * n)
    for guild, mine in ((a, True), (b, False)):
        ours = [
            (NOW - timedelta(days=30) + timedelta(seconds=s), state)
            for in_a, s, state in rows
            if in_a is mine
        ]
        inside = [(at, state) for at, state in ours if WINDOW.contains(at)]
        part = await contribution_of(services, introductions_source, guild)
        assert part.lines["intros_requested"].count == len(inside)
        accepted = [at for at, state in inside if state is RequestState.ACCEPTED]
        assert part.lines["intros_accepted"].count == len(accepted)
        assert part.lines["intro_reports"].count == sum(
            1 for _, state in inside if state is RequestState.REPORTED
        )
        assert list(part.weekly["intros_accepted"]) == WINDOW.weekly_counts(accepted)


async def test_mentorship_and_events_lines_come_from_their_repositories(
    services: Services, clock: FakeClock
) -> None:
    """One match made 2 hours after its request, then completed; one attendee of one event."""
    from bot.domain.mentorship.matches import MatchOutcome
    from bot.services.reports.sources import events_source, mentorship_source
    from tests.services.support.matches import GUILD, MENTOR, make_match

    clock.set(NOW - timedelta(days=3))
    match = await make_match(services, clock)
    await services.mentor_matches.close(match.id, MENTOR, MatchOutcome.COMPLETED, "5", None)
    event = await services.events.add(GUILD, "CSM 2027", "2026-12-20", "2026-12-22", actor_id=7)
    await services.events.attend(GUILD, 300, event.id)
    clock.set(NOW)
    mentoring = await contribution_of(services, mentorship_source, GUILD)
    assert mentoring.lines["mentor_requests_opened"].count == 1
    assert mentoring.lines["mentor_requests_matched"].count == 1
    assert mentoring.lines["mentorships_completed"].count == 1
    assert mentoring.lines["fit_check_rematches"].count == 0
    assert mentoring.lines["median_time_to_match"].count == 1
    assert mentoring.weekly["mentor_matches"] == [0, 0, 0, 1]
    assert (await contribution_of(services, mentorship_source, B)).lines[
        "mentor_requests_opened"
    ].count == 0
    events = await contribution_of(services, events_source, GUILD)
    assert events.lines["event_attendance"].count == 1

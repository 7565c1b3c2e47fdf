"""Slots across daylight-saving changes: one per selected local day, at the right instant."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.schedules import Cadence, Recurrence, catch_up, next_slot, slots_between

ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "Europe/London",
]
# The weeks around each change (US: 2nd Sunday of March, 1st of November; UK: last Sundays).
CHANGE_WEEKS = [
    date(2026, 3, 5),
    date(2026, 3, 26),
    date(2026, 10, 22),
    date(2026, 10, 29),
    date(2027, 3, 11),
    date(2027, 3, 25),
    date(2027, 10, 28),
    date(2027, 11, 4),
]
ANCHOR = date(2026, 1, 5)  # a Monday


def expected_instant(zone: ZoneInfo, day: date, at: time) -> datetime:
    """Independent of fold: try the day's offsets before and after any change that day."""
    wall = datetime.combine(day, at)
    offsets = {
        datetime.combine(day, time(0, 0), tzinfo=zone).utcoffset(),
        datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone).utcoffset(),
    }
    before = datetime.combine(day, time(0, 0), tzinfo=zone).utcoffset()
    assert before is not None
    real = sorted(
        (wall - off).replace(tzinfo=UTC)
        for off in offsets
        if off is not None
        and (wall - off).replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None) == wall
    )
    if real:
        return real[0]  # exists once, or twice (the first)
    return (wall - before).replace(tzinfo=UTC)  # in the gap: the offset before the change


def selected(rec: Recurrence, day: date) -> bool:
    """The cadence's days, written out independently of the implementation."""
    if rec.cadence is Cadence.DAILY:
        return True
    if rec.cadence is Cadence.WEEKDAYS:
        return day.isoweekday() <= 5
    if rec.cadence is Cadence.WEEKLY:
        return day.weekday() == rec.weekday
    if rec.cadence is Cadence.BIWEEKLY:
        return day.weekday() == rec.weekday and ((day - ANCHOR).days // 7) % 2 == 0
    first = day.replace(day=1)
    return day == first + timedelta(days=(rec.weekday - first.weekday()) % 7)  # type: ignore[operator]


times = st.one_of(
    st.builds(time, st.integers(0, 3), st.sampled_from([0, 15, 30, 45, 59])),
    st.builds(time, st.integers(0, 23), st.integers(0, 59)),
)


@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    cadence=st.sampled_from(list(Cadence)),
    week=st.sampled_from(CHANGE_WEEKS),
    at=times,
    weekday=st.integers(0, 6),
)
def test_exactly_one_slot_per_selected_day_at_the_right_instant(
    zone: str, cadence: Cadence, week: date, at: time, weekday: int
) -> None:
    rec = Recurrence(cadence, at, zone, weekday=weekday, anchor=ANCHOR)
    if cadence is Cadence.MONTHLY:
        week = week.replace(day=1)  # a monthly slot needs the month's first days
    tz = ZoneInfo(zone)
    days = [week + timedelta(days=n) for n in range(-1, 16)]
    start = datetime.combine(days[1], time(0, 0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(days[-2], time(0, 0), tzinfo=tz).astimezone(UTC)
    wanted = [
        instant
        for day in days
        if selected(rec, day)
        for instant in [expected_instant(tz, day, at)]
        if start < instant <= end
    ]
    assert slots_between(rec, start, end) == wanted


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    cadence=st.sampled_from(list(Cadence)),
    at=times,
    start=st.datetimes(datetime(2026, 1, 1), datetime(2028, 1, 1), timezones=st.just(UTC)),
    span=st.integers(1, 90),
)
def test_walking_next_slot_never_skips_or_repeats(
    zone: str, cadence: Cadence, at: time, start: datetime, span: int
) -> None:
    rec = Recurrence(cadence, at, zone, weekday=2, anchor=ANCHOR)
    end = start + timedelta(days=span)
    found = slots_between(rec, start, end)
    assert found == sorted(set(found))
    local_days = [s.astimezone(ZoneInfo(zone)).date() for s in found]
    assert len(local_days) == len(set(local_days))  # one per local day at most
    for earlier, later in itertools.pairwise(found):
        assert next_slot(rec, earlier) == later
        assert next_slot(rec, later - timedelta(seconds=1)) == later  # ±1 s around fire times


def test_the_documented_instants_on_change_days() -> None:
    ny = "America/New_York"
    gap = Recurrence(Cadence.DAILY, time(2, 30), ny)
    spring = slots_between(
        gap, datetime(2026, 3, 7, 12, tzinfo=UTC), datetime(2026, 3, 9, tzinfo=UTC)
    )
    assert spring == [datetime(2026, 3, 8, 7, 30, tzinfo=UTC)]  # 03:30 EDT, one gap later
    twice = Recurrence(Cadence.DAILY, time(1, 30), ny)
    fall = slots_between(
        twice, datetime(2026, 10, 31, 12, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC)
    )
    assert fall == [datetime(2026, 11, 1, 5, 30, tzinfo=UTC)]  # the first 01:30 (EDT)


def test_monthly_on_the_31st_clamps_and_weekdays_skip_weekends() -> None:
    monthly = Recurrence(Cadence.MONTHLY, time(9), "UTC", anchor=date(2026, 1, 31))
    got = slots_between(monthly, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC))
    assert [s.date() for s in got] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    weekdays = Recurrence(Cadence.WEEKDAYS, time(9), "UTC")
    week = slots_between(
        weekdays, datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 9, tzinfo=UTC)
    )
    assert [s.isoweekday() for s in week] == [1, 2, 3, 4, 5]


def test_biweekly_keeps_its_parity_across_the_year_end() -> None:
    rec = Recurrence(
        Cadence.BIWEEKLY, time(9), "Europe/London", weekday=0, anchor=date(2026, 12, 7)
    )
    got = slots_between(rec, datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC))
    assert {(b - a).days for a, b in itertools.pairwise(got)} == {14}
    assert got[0].date() == date(2026, 12, 7)


def test_catch_up_posts_the_latest_within_the_window_and_skips_the_rest() -> None:
    rec = Recurrence(Cadence.DAILY, time(9), "UTC")
    last = datetime(2026, 3, 1, 9, tzinfo=UTC)
    post, skip = catch_up(rec, last, datetime(2026, 3, 4, 10, tzinfo=UTC), timedelta(hours=2))
    assert post == datetime(2026, 3, 4, 9, tzinfo=UTC)
    assert skip == [datetime(2026, 3, 2, 9, tzinfo=UTC), datetime(2026, 3, 3, 9, tzinfo=UTC)]
    post, skip = catch_up(rec, last, datetime(2026, 3, 2, 12, tzinfo=UTC), timedelta(hours=2))
    assert post is None
    assert skip == [datetime(2026, 3, 2, 9, tzinfo=UTC)]
    # A wake a few seconds late is on time even with no catch-up window at all.
    post, _ = catch_up(rec, last, datetime(2026, 3, 2, 9, 0, 1, tzinfo=UTC), timedelta(0))
    assert post == datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_bad_recurrences_are_explained() -> None:
    with pytest.raises(InvalidInput, match="time zone"):
        Recurrence(Cadence.DAILY, time(9), "Mars/Olympus").validate()
    with pytest.raises(InvalidInput, match="needs a weekday"):
        Recurrence(Cadence.WEEKLY, time(9), "UTC").validate()

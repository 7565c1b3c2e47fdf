"""Events: field validation and when an event is over and its attendance fades."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.events import (
    LOCATION_MAX,
    MAX_DAYS,
    check_not_over,
    draft,
    draft_from_text,
    imported_dates,
    is_faded,
    is_over,
    local_today,
    oldest_live_end,
)
from bot.domain.text import could_ping

FEB_11, FEB_13 = date(2027, 2, 11), date(2027, 2, 13)


def test_a_good_event_is_kept_as_typed() -> None:
    checked = draft_from_text(
        "  CSM   2027 ", "2027-02-11", "2027-02-13", " San Diego ", "https://apta.org/csm"
    )
    assert (checked.name, checked.start_date, checked.end_date) == ("CSM 2027", FEB_11, FEB_13)
    assert (checked.location, checked.url) == ("San Diego", "https://apta.org/csm")
    assert draft("One day", FEB_11, FEB_11).location is None  # optional fields


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2027-02-13", "2027-02-11", "before the start date"),
        ("11/02/2027", "2027-02-13", "start date should look like"),
        ("2027-02-11", "2027-02-30", "end date 2027-02-30 does not exist: February 2027 has 28"),
        ("2028-02-30", "2028-03-01", "start date 2028-02-30 does not exist: February 2028 has 29"),
        ("2027-13-01", "2027-13-02", "start date 2027-13-01 does not exist: there is no month 13"),
        ("2027-2-11", "2027-02-13", "start date should look like"),
        ("2027-02-11", "2027-04-11", f"at most {MAX_DAYS} days"),
    ],
)
def test_bad_dates_are_explained(start: str, end: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        draft_from_text("CSM 2027", start, end)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://apta.org/csm",
        "https://",
        "https://localhost/x",
        "https://apta.org/a b",
        "https://apta.org/<@&1>",
        "https://apta.org/@everyone",
        "https://apta.org/" + "x" * 300,
    ],
)
def test_links_must_be_web_addresses(url: str) -> None:
    with pytest.raises(InvalidInput, match="web address"):
        draft("CSM", FEB_11, FEB_13, url=url)


@pytest.mark.parametrize("name", ["", "x", "   ", "\u200b\u200b", "y" * 101])
def test_names_need_two_to_a_hundred_characters(name: str) -> None:
    with pytest.raises(InvalidInput, match="2 to 100 characters"):
        draft(name, FEB_11, FEB_13)


def test_locations_are_bounded() -> None:
    with pytest.raises(InvalidInput, match=f"at most {LOCATION_MAX}"):
        draft("CSM", FEB_11, FEB_13, location="z" * (LOCATION_MAX + 1))


@pytest.mark.slow
@given(st.text(max_size=300), st.text(max_size=300))
def test_names_and_locations_never_ping(name: str, location: str) -> None:
    try:
        checked = draft(name, FEB_11, FEB_13, location=location[:LOCATION_MAX])
    except InvalidInput:
        return
    assert not could_ping(checked.name)
    assert not could_ping(checked.location or "")


def test_an_event_already_over_cannot_be_added() -> None:
    check_not_over(FEB_13, today=FEB_13)  # its last day: still on
    check_not_over(FEB_13, today=FEB_11)
    with pytest.raises(InvalidInput, match=r"already over .*ended on 2027-02-13"):
        check_not_over(FEB_13, today=FEB_13 + timedelta(days=1))


def test_over_the_day_after_the_last_day() -> None:
    assert not is_over(FEB_13, FEB_13)
    assert is_over(FEB_13, FEB_13 + timedelta(days=1))


@pytest.mark.parametrize("retention", [0, 1, 30, 365])
def test_attendance_fades_retention_days_after_the_end(retention: int) -> None:
    last_live = FEB_13 + timedelta(days=retention)
    assert not is_faded(FEB_13, last_live, retention)
    assert is_faded(FEB_13, last_live + timedelta(days=1), retention)
    assert oldest_live_end(last_live, retention) == FEB_13


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)),
    st.integers(0, 400),
    st.integers(0, 365),
)
def test_fading_is_monotonic_and_never_before_the_end(end: date, offset: int, keep: int) -> None:
    today = end + timedelta(days=offset)
    if is_faded(end, today, keep):
        assert is_over(end, today)
        assert offset > keep
        assert is_faded(end, today + timedelta(days=1), keep)
    else:
        assert offset <= keep


def test_local_today_follows_the_server_time_zone() -> None:
    late_evening_chicago = datetime(2027, 2, 14, 3, 0, tzinfo=UTC)  # 13 Feb, 21:00 in Chicago
    assert local_today(late_evening_chicago, "America/Chicago") == FEB_13
    assert local_today(late_evening_chicago, "UTC") == date(2027, 2, 14)


def test_imported_times_become_local_dates() -> None:
    start = datetime(2027, 2, 11, 14, 0, tzinfo=UTC)
    end = datetime(2027, 2, 14, 2, 0, tzinfo=UTC)  # evening of the 13th in Chicago
    assert imported_dates(start, end, "America/Chicago") == (FEB_11, FEB_13)
    assert imported_dates(start, None, "UTC") == (FEB_11, FEB_11)  # no end: one day

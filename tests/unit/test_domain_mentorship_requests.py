"""Mentor requests: limits, terms, and every allowed and refused move of a request's state."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import Conflict, InvalidInput
from bot.domain.mentorship.requests import (
    GOALS_LIMIT,
    TRANSITIONS,
    MentorRequest,
    RequestStatus,
    add_months,
    check_capacity,
    check_not_open_already,
    clean_goals,
    may_move,
    parse_term,
)

S = RequestStatus
ALLOWED = {
    (S.OPEN, S.MATCHED),  # a mentor claims it
    (S.OPEN, S.CANCELLED),  # the mentee withdraws it
    (S.OPEN, S.EXPIRED),  # 14 days unclaimed
    (S.MATCHED, S.OPEN),  # the thread could not be made, or a poor fit sends it back
    (S.MATCHED, S.CLOSED),  # the match ended for good
}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("new", list(S))
def test_every_transition_and_every_refused_one(current: S, new: S) -> None:
    assert may_move(current, new) is ((current, new) in ALLOWED)


def test_the_table_names_every_state() -> None:
    assert set(TRANSITIONS) == set(S)


@pytest.mark.parametrize(("text", "months"), [("", 6), (None, 6), ("3", 3), (" 12 months", 12)])
def test_terms(text: str | None, months: int) -> None:
    assert parse_term(text) == months


@pytest.mark.parametrize("text", ["7", "six", "0", "-3", "6.5"])
def test_bad_terms_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_term(text)


@pytest.mark.parametrize("capacity", [0, 6, -1])
def test_capacity_is_one_to_five(capacity: int) -> None:
    with pytest.raises(InvalidInput):
        check_capacity(capacity)


def test_goals_are_required_and_short() -> None:
    with pytest.raises(InvalidInput):
        clean_goals("\u200b  ")
    with pytest.raises(InvalidInput):
        clean_goals("x" * (GOALS_LIMIT + 1))
    assert clean_goals("Pass @everyone <@123>") == "Pass \uff20everyone <\uff20123>"


def test_one_open_request() -> None:
    now = datetime(2026, 1, 5, tzinfo=UTC)
    request = MentorRequest(1, 1, 2, 3, "g", 6, None, S.OPEN, now, now, 1)
    with pytest.raises(Conflict):
        check_not_open_already(request)
    check_not_open_already(None)
    check_not_open_already(MentorRequest(1, 1, 2, 3, "g", 6, None, S.MATCHED, now, now, 1))


def test_add_months_keeps_the_day_or_takes_the_last() -> None:
    assert add_months(datetime(2026, 8, 31, tzinfo=UTC), 6) == datetime(2027, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2026, 1, 5, 9, tzinfo=UTC), 12) == datetime(
        2027, 1, 5, 9, tzinfo=UTC
    )


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)),
    st.sampled_from([3, 6, 12]),
)
def test_add_months_always_lands_later_within_the_month(start: datetime, months: int) -> None:
    end = add_months(start.replace(tzinfo=UTC), months)
    assert end > start.replace(tzinfo=UTC)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months

"""The mentor match's state machine and schedule: every transition, every refused one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.errors import Conflict, InvalidInput
from bot.domain.mentorship.matches import (
    AUTO_CLOSE_AFTER,
    CHECKIN_EVERY,
    FIT_CHECK_AFTER,
    FitAnswer,
    Match,
    MatchOutcome,
    MatchStatus,
    Step,
    activate,
    add_months,
    answer_fit,
    check_checkin,
    check_feedback,
    close,
    close_by_member,
    due_steps,
    next_due_at,
    press_extend,
    step_done,
)

T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
MENTOR, MENTEE, STRANGER = 10, 20, 30


def opening(months: int = 6) -> Match:
    return Match(
        id=1,
        guild_id=1,
        request_id=1,
        mentor_id=MENTOR,
        mentee_id=MENTEE,
        status=MatchStatus.OPENING,
        matched_at=T0,
        term_ends_at=add_months(T0, months),
    )


def active(months: int = 6) -> Match:
    return activate(opening(months), thread_id=99)


def closed() -> Match:
    return close(active(), MatchOutcome.COMPLETED, by=MENTOR, now=T0 + timedelta(days=1))


def run_schedule(match: Match, until: datetime, step: timedelta) -> list[tuple[datetime, Step]]:
    """Tick every ``step`` until ``until``; what happened when."""
    done = []
    now = match.matched_at
    while now <= until and match.status is MatchStatus.ACTIVE:
        for due in due_steps(match, now):
            match = step_done(match, due, now)
            done.append((now, due))
        now += step
    return done


# -- transitions -------------------------------------------------------------------------------


def test_activation_starts_the_schedule() -> None:
    match = active()
    assert match.status is MatchStatus.ACTIVE
    assert match.thread_id == 99
    assert match.next_checkin_at == T0 + CHECKIN_EVERY


@pytest.mark.parametrize("match", [active(), closed()], ids=["active", "closed"])
def test_activation_is_refused_unless_opening(match: Match) -> None:
    with pytest.raises(Conflict):
        activate(match, thread_id=5)


def test_close_by_a_party() -> None:
    now = T0 + timedelta(days=30)
    for who in (MENTOR, MENTEE):
        for outcome in (MatchOutcome.COMPLETED, MatchOutcome.WITHDRAWN):
            ended = close_by_member(active(), who, outcome, now)
            assert (ended.status, ended.outcome, ended.closed_by, ended.closed_at) == (
                MatchStatus.CLOSED,
                outcome,
                who,
                now,
            )


@pytest.mark.parametrize(
    ("match", "who", "outcome", "error"),
    [
        (active(), STRANGER, MatchOutcome.COMPLETED, Conflict),
        (closed(), MENTOR, MatchOutcome.COMPLETED, Conflict),
        (opening(), MENTEE, MatchOutcome.WITHDRAWN, Conflict),
        (active(), MENTOR, MatchOutcome.POOR_FIT, InvalidInput),
    ],
    ids=["stranger", "already-closed", "still-opening", "poor-fit-is-not-a-choice"],
)
def test_close_refused(match: Match, who: int, outcome: MatchOutcome, error: type) -> None:
    with pytest.raises(error):
        close_by_member(match, who, outcome, T0)


def test_the_bot_closes_as_nobody() -> None:
    ended = close(active(), MatchOutcome.POOR_FIT, by=None, now=T0)
    assert ended.closed_by is None
    assert ended.outcome is MatchOutcome.POOR_FIT


def test_fit_answers() -> None:
    sent = replace(active(), fit_check_sent_at=T0 + FIT_CHECK_AFTER)
    for who in (MENTOR, MENTEE):
        for answer in FitAnswer:
            assert answer_fit(sent, who, answer) == sent


@pytest.mark.parametrize(
    ("match", "who"),
    [
        (active(), MENTOR),  # not sent yet
        (replace(active(), fit_check_sent_at=T0), STRANGER),
        (replace(closed(), fit_check_sent_at=T0), MENTEE),
        (opening(), MENTOR),
    ],
    ids=["not-sent", "stranger", "closed", "opening"],
)
def test_fit_answer_refused(match: Match, who: int) -> None:
    with pytest.raises(Conflict):
        answer_fit(match, who, FitAnswer.POOR)


def test_extend_needs_both_after_the_term_end_prompt() -> None:
    end = active().term_ends_at
    prompted = replace(active(), term_end_prompted_at=end, end_reminder_sent_at=end)
    once, extended = press_extend(prompted, MENTOR, end)
    assert not extended
    assert once.extend_by_mentor
    assert not once.extend_by_mentee
    again, extended = press_extend(once, MENTOR, end)  # pressing twice changes nothing
    assert not extended
    assert again == once
    both, extended = press_extend(once, MENTEE, end + timedelta(days=1))
    assert extended
    assert both.term_ends_at == add_months(end, 3)
    assert both.extensions == 1
    assert not (both.extend_by_mentor)
    assert not (both.extend_by_mentee)
    assert both.term_end_prompted_at is None
    assert both.end_reminder_sent_at is None
    assert both.next_checkin_at == end + timedelta(days=1) + CHECKIN_EVERY


@pytest.mark.parametrize(
    ("match", "who"),
    [
        (active(), MENTOR),  # the term has not ended
        (replace(active(), term_end_prompted_at=T0), STRANGER),
        (replace(closed(), term_end_prompted_at=T0), MENTEE),
    ],
    ids=["term-running", "stranger", "closed"],
)
def test_extend_refused(match: Match, who: int) -> None:
    with pytest.raises(Conflict):
        press_extend(match, who, T0)


def test_checkin_cleans_its_note() -> None:
    assert check_checkin(active(), MENTEE, "  Talked about\u200b @everyone goals ", 30) == (
        "Talked about \uff20everyone goals"
    )


@pytest.mark.parametrize(
    ("match", "who", "note", "minutes", "error"),
    [
        (active(), STRANGER, "hi", None, Conflict),
        (closed(), MENTOR, "hi", None, Conflict),
        (active(), MENTOR, " \u200b ", None, InvalidInput),
        (active(), MENTOR, "x" * 1001, None, InvalidInput),
        (active(), MENTOR, "hi", 0, InvalidInput),
        (active(), MENTOR, "hi", 1441, InvalidInput),
    ],
)
def test_checkin_refused(
    match: Match, who: int, note: str, minutes: int | None, error: type
) -> None:
    with pytest.raises(error):
        check_checkin(match, who, note, minutes)


@pytest.mark.parametrize("text", ["0", "6", "five", "", "3.5"])
def test_feedback_rating_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        check_feedback(text, None)


def test_feedback() -> None:
    assert check_feedback(" 4 ", "  ") == (4, None)
    assert check_feedback("5", "Great <@123>") == (5, "Great <\uff20123>")


# -- the schedule ------------------------------------------------------------------------------


def test_a_six_month_term_in_order() -> None:
    match = active(6)
    end = match.term_ends_at
    done = run_schedule(match, end + timedelta(days=30), timedelta(hours=1))
    steps = [s for _, s in done]
    assert steps[0] is Step.FIT_CHECK
    assert done[0][0] == T0 + FIT_CHECK_AFTER
    checkins = [at for at, s in done if s is Step.CHECKIN_PROMPT]
    assert checkins == [T0 + CHECKIN_EVERY * n for n in range(1, len(checkins) + 1)]
    assert all(at < end - timedelta(days=14) for at in checkins)
    assert len(checkins) == 5  # 28 … 140 days; the end reminder (day 167) comes before 168
    assert steps[-3:] == [Step.END_REMINDER, Step.TERM_END_PROMPT, Step.AUTO_CLOSE]
    assert done[-3][0] == end - timedelta(days=14)
    assert done[-2][0] == end
    assert done[-1][0] == end + AUTO_CLOSE_AFTER
    assert len(steps) == len(set(done))  # each step once


def test_a_long_outage_does_each_step_once() -> None:
    match = active(3)
    late = match.term_ends_at + timedelta(days=1)
    steps = due_steps(match, late)
    assert steps == [Step.FIT_CHECK, Step.END_REMINDER, Step.TERM_END_PROMPT]
    for step in steps:
        match = step_done(match, step, late)
    assert due_steps(match, late) == []
    assert match.next_checkin_at is None  # the term is over: no more check-in prompts


def test_nothing_is_due_unless_active() -> None:
    far = T0 + timedelta(days=1000)
    assert due_steps(opening(), far) == []
    assert due_steps(closed(), far) == []
    assert next_due_at(opening()) is None
    assert next_due_at(closed()) is None


def test_step_done_refused_when_closed() -> None:
    with pytest.raises(Conflict):
        step_done(closed(), Step.FIT_CHECK, T0)


@settings(deadline=None, max_examples=50)  # a shared machine: no timing
@given(
    months=st.sampled_from([3, 6, 12]),
    extend_after=st.integers(min_value=0, max_value=10),  # pressed before the auto-close
    tick_hours=st.integers(min_value=1, max_value=72),
)
def test_schedule_properties(months: int, extend_after: int, tick_hours: int) -> None:
    """Whatever the tick rate: each step once per term, nothing before it is due, nothing
    after the close, and next_due_at never later than the next step."""
    match = active(months)
    now = T0
    seen: list[tuple[Step, int]] = []
    while match.status is MatchStatus.ACTIVE:
        upcoming = next_due_at(match)
        assert upcoming is not None
        steps = due_steps(match, now)
        assert (upcoming <= now) == bool(steps)
        for step in steps:
            seen.append((step, match.extensions))
            match = step_done(match, step, now)
        prompted = match.term_end_prompted_at
        if match.extensions == 0 and prompted and now >= prompted + timedelta(days=extend_after):
            match, _ = press_extend(match, MENTOR, now)
            match, _ = press_extend(match, MENTEE, now)
        now += timedelta(hours=tick_hours)
    once = [s for s in seen if s[0] is not Step.CHECKIN_PROMPT]
    assert len(once) == len(set(once))
    assert match.outcome is MatchOutcome.COMPLETED
    assert match.extensions == 1

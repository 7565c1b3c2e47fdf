"""The life of a mentor match once it is active: its state machine and its schedule.

A match is ``opening`` while the claim creates its private thread, ``active`` once the thread
exists, and ``closed`` at the end (completed, withdrawn, or a poor fit). Every transition is a
pure function here that returns the changed match or raises :class:`Conflict` with the sentence
the member should read; the service persists what it returns.

The schedule is read from the match's ``*_at`` columns, never from the scheduler: a step is due
when its time has come and its column says it has not happened, so one tick does each due step
exactly once, after a restart too (:func:`due_steps`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.domain.errors import Conflict, InvalidInput
from bot.domain.text import clean_free_text

FIT_CHECK_AFTER = timedelta(days=14)
CHECKIN_EVERY = timedelta(weeks=4)
END_REMINDER_BEFORE = timedelta(days=14)
AUTO_CLOSE_AFTER = timedelta(days=14)
EXTENSION_MONTHS = 3
CHECKIN_NOTE_LIMIT = 1000
CHECKIN_MAX_MINUTES = 1440
FEEDBACK_COMMENT_LIMIT = 1000


class MatchStatus(enum.StrEnum):
    OPENING = "opening"
    ACTIVE = "active"
    CLOSED = "closed"


class MatchOutcome(enum.StrEnum):
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    POOR_FIT = "poor_fit"


class FitAnswer(enum.StrEnum):
    GOOD = "good"
    UNSURE = "unsure"
    POOR = "poor"


class Step(enum.StrEnum):
    """The scheduled steps of an active match, in the order a tick does them."""

    FIT_CHECK = "fit_check"
    CHECKIN_PROMPT = "checkin_prompt"
    END_REMINDER = "end_reminder"
    TERM_END_PROMPT = "term_end_prompt"
    AUTO_CLOSE = "auto_close"


class Party(enum.StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"


@dataclass(frozen=True)
class Match:
    id: int
    guild_id: int
    request_id: int
    mentor_id: int
    mentee_id: int
    status: MatchStatus
    matched_at: datetime
    term_ends_at: datetime
    thread_id: int | None = None
    fit_check_sent_at: datetime | None = None
    next_checkin_at: datetime | None = None
    end_reminder_sent_at: datetime | None = None
    term_end_prompted_at: datetime | None = None
    extend_by_mentor: bool = False
    extend_by_mentee: bool = False
    extensions: int = 0
    closed_at: datetime | None = None
    outcome: MatchOutcome | None = None
    closed_by: int | None = None

    @property
    def parties(self) -> tuple[int, int]:
        return (self.mentor_id, self.mentee_id)

    def party(self, user_id: int) -> Party | None:
        if user_id == self.mentor_id:
            return Party.MENTOR
        if user_id == self.mentee_id:
            return Party.MENTEE
        return None

    def other(self, user_id: int) -> int:
        return self.mentee_id if user_id == self.mentor_id else self.mentor_id


# -- the schedule --------------------------------------------------------------------------------


def add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later (the month's last day if it is shorter), same time."""
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    for day in range(moment.day, 0, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a first day")


def first_checkin_at(matched_at: datetime) -> datetime:
    return matched_at + CHECKIN_EVERY


def due_steps(match: Match, now: datetime) -> list[Step]:
    """What a tick should do for ``match`` at ``now``, each step once (see the module doc)."""
    if match.status is not MatchStatus.ACTIVE:
        return []
    steps = []
    if match.fit_check_sent_at is None and now >= match.matched_at + FIT_CHECK_AFTER:
        steps.append(Step.FIT_CHECK)
    reminder_at = match.term_ends_at - END_REMINDER_BEFORE
    checkin = match.next_checkin_at
    # Inside the last two weeks the end reminder speaks instead of a check-in prompt.
    if checkin is not None and checkin <= now < reminder_at:
        steps.append(Step.CHECKIN_PROMPT)
    if match.end_reminder_sent_at is None and now >= reminder_at:
        steps.append(Step.END_REMINDER)
    if match.term_end_prompted_at is None and now >= match.term_ends_at:
        steps.append(Step.TERM_END_PROMPT)
    elif (
        match.term_end_prompted_at is not None
        and now >= match.term_end_prompted_at + AUTO_CLOSE_AFTER
    ):
        steps.append(Step.AUTO_CLOSE)
    return steps


def next_due_at(match: Match) -> datetime | None:
    """When the next step of ``match`` falls due (None: nothing is scheduled)."""
    if match.status is not MatchStatus.ACTIVE:
        return None
    times = []
    if match.fit_check_sent_at is None:
        times.append(match.matched_at + FIT_CHECK_AFTER)
    reminder_at = match.term_ends_at - END_REMINDER_BEFORE
    if match.next_checkin_at is not None and match.next_checkin_at < reminder_at:
        times.append(match.next_checkin_at)
    if match.end_reminder_sent_at is None:
        times.append(reminder_at)
    if match.term_end_prompted_at is None:
        times.append(match.term_ends_at)
    else:
        times.append(match.term_end_prompted_at + AUTO_CLOSE_AFTER)
    return min(times)


def step_done(match: Match, step: Step, now: datetime) -> Match:
    """``match`` after ``step`` happened at ``now`` (the auto-close closes it as completed)."""
    _require_active(match)
    if step is Step.FIT_CHECK:
        return replace(match, fit_check_sent_at=now)
    if step is Step.CHECKIN_PROMPT:
        assert match.next_checkin_at is not None
        following = match.next_checkin_at + CHECKIN_EVERY
        while following <= now:  # after a long outage: one prompt, not a burst of them
            following += CHECKIN_EVERY
        return replace(match, next_checkin_at=following)
    if step is Step.END_REMINDER:  # no more check-in prompts this term
        return replace(match, end_reminder_sent_at=now, next_checkin_at=None)
    if step is Step.TERM_END_PROMPT:
        return replace(match, term_end_prompted_at=now)
    return close(match, MatchOutcome.COMPLETED, by=None, now=now)


# -- transitions ---------------------------------------------------------------------------------


def _require_active(match: Match) -> None:
    if match.status is MatchStatus.OPENING:
        raise Conflict("This mentorship is still being set up: try again in a moment.")
    if match.status is MatchStatus.CLOSED:
        raise Conflict("This mentorship has already ended.")


def _require_party(match: Match, user_id: int) -> Party:
    party = match.party(user_id)
    if party is None:
        raise Conflict("Only the mentor and the mentee of this mentorship can do that.")
    return party


def activate(match: Match, thread_id: int) -> Match:
    """The claim made the private thread: the term's schedule starts."""
    if match.status is not MatchStatus.OPENING:
        raise Conflict("This mentorship is already under way.")
    return replace(
        match,
        status=MatchStatus.ACTIVE,
        thread_id=thread_id,
        next_checkin_at=first_checkin_at(match.matched_at),
    )


def answer_fit(match: Match, user_id: int, answer: FitAnswer) -> Match:
    """A party answered the fit check: "not a good fit" from either side ends the match."""
    _require_party(match, user_id)
    _require_active(match)
    if match.fit_check_sent_at is None:
        raise Conflict("The fit check for this mentorship has not started yet.")
    return match


def close(match: Match, outcome: MatchOutcome, *, by: int | None, now: datetime) -> Match:
    """End the match. ``by`` is the party who closed it; None when the bot did."""
    if by is not None:
        _require_party(match, by)
    _require_active(match)
    return replace(match, status=MatchStatus.CLOSED, closed_at=now, outcome=outcome, closed_by=by)


def close_by_member(match: Match, user_id: int, outcome: MatchOutcome, now: datetime) -> Match:
    """``/mentor close``: a party ends it as completed or withdrawn (a poor fit is the fit
    check's answer, never a closing choice, so nobody is named for it)."""
    if outcome is MatchOutcome.POOR_FIT:
        raise InvalidInput("Close a mentorship as completed or withdrawn.")
    return close(match, outcome, by=user_id, now=now)


def press_extend(match: Match, user_id: int, now: datetime) -> tuple[Match, bool]:
    """A party pressed "Extend 3 months"; True when both have, and the term was extended."""
    party = _require_party(match, user_id)
    _require_active(match)
    if match.term_end_prompted_at is None:
        raise Conflict("You can extend a mentorship once its term has ended.")
    pressed = replace(
        match,
        extend_by_mentor=match.extend_by_mentor or party is Party.MENTOR,
        extend_by_mentee=match.extend_by_mentee or party is Party.MENTEE,
    )
    if not (pressed.extend_by_mentor and pressed.extend_by_mentee):
        return pressed, False
    return (
        replace(
            pressed,
            term_ends_at=add_months(match.term_ends_at, EXTENSION_MONTHS),
            extensions=match.extensions + 1,
            extend_by_mentor=False,
            extend_by_mentee=False,
            end_reminder_sent_at=None,
            term_end_prompted_at=None,
            next_checkin_at=now + CHECKIN_EVERY,
        ),
        True,
    )


def check_checkin(match: Match, user_id: int, note: str, minutes: int | None) -> str:
    """A check-in a party records; the cleaned note."""
    _require_party(match, user_id)
    _require_active(match)
    cleaned = clean_free_text(note)
    if not cleaned:
        raise InvalidInput("Write a few words about the check-in.")
    if len(cleaned) > CHECKIN_NOTE_LIMIT:
        raise InvalidInput(f"Keep the note under {CHECKIN_NOTE_LIMIT} characters.")
    if minutes is not None and not 1 <= minutes <= CHECKIN_MAX_MINUTES:
        raise InvalidInput(f"Minutes go from 1 to {CHECKIN_MAX_MINUTES}.")
    return cleaned


class BadRating(InvalidInput):
    """The form's rating is not 1–5: the adapter asks again without losing the comment."""


def check_feedback(rating_text: str, comment: str | None) -> tuple[int, str | None]:
    """The closing feedback form: a rating 1–5 and an optional comment (moderators only)."""
    try:
        rating = int(rating_text.strip())
    except ValueError:
        raise BadRating("Rate the mentorship with a number from 1 to 5.") from None
    if not 1 <= rating <= 5:
        raise BadRating("Rate the mentorship with a number from 1 to 5.")
    cleaned = clean_free_text(comment) if comment else ""
    if len(cleaned) > FEEDBACK_COMMENT_LIMIT:
        raise InvalidInput(f"Keep the comment under {FEEDBACK_COMMENT_LIMIT} characters.")
    return rating, cleaned or None

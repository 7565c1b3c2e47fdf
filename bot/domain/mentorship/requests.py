"""Mentor offers and mentee requests: limits, terms, and the states of a request.

A request is ``open`` until a mentor claims it (``matched``), the mentee cancels it, it expires
(14 days unclaimed) or its match ends for good (``closed``). A match that ends as a poor fit
sends it back to ``open`` with ``routed_wave`` 0, so routing picks it up again.
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.errors import Conflict, InvalidInput
from bot.domain.text import clean_free_text

MIN_CAPACITY, MAX_CAPACITY, DEFAULT_CAPACITY = 1, 5, 2
NOTE_LIMIT = 300
GOALS_LIMIT = 500
BACKGROUND_LIMIT = 1000
TERMS = (3, 6, 12)
DEFAULT_TERM = 6
ESCALATE_AFTER = timedelta(days=3)
EXPIRE_AFTER = timedelta(days=14)
FIRST_CHECKIN_AFTER = timedelta(weeks=4)


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    MATCHED = "matched"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    CLOSED = "closed"


# Where a request may go from each state (the claim, cancel, expiry, a failed thread, a rematch).
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.OPEN: frozenset(
        {RequestStatus.MATCHED, RequestStatus.CANCELLED, RequestStatus.EXPIRED}
    ),
    RequestStatus.MATCHED: frozenset({RequestStatus.OPEN, RequestStatus.CLOSED}),
    RequestStatus.CANCELLED: frozenset(),
    RequestStatus.EXPIRED: frozenset(),
    RequestStatus.CLOSED: frozenset(),
}


def may_move(current: RequestStatus, new: RequestStatus) -> bool:
    return new in TRANSITIONS[current]


@dataclass(frozen=True)
class MentorProfile:
    guild_id: int
    user_id: int
    capacity: int
    note: str | None
    paused: bool
    created_at: datetime
    topics: frozenset[int] = frozenset()  # chosen tag ids; empty: all the mentor's tags


@dataclass(frozen=True)
class MentorRequest:
    id: int
    guild_id: int
    mentee_id: int
    tag_id: int
    goals: str
    term_months: int
    background: str | None
    status: RequestStatus
    created_at: datetime
    opened_at: datetime
    routed_wave: int
    escalated_at: datetime | None = None
    ended_at: datetime | None = None
    card_key: str | None = None  # the outbox key of its card in the mentor-requests channel

    @property
    def escalates_at(self) -> datetime:
        return self.opened_at + ESCALATE_AFTER

    @property
    def expires_at(self) -> datetime:
        return self.opened_at + EXPIRE_AFTER


def check_capacity(capacity: int) -> int:
    if not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
        raise InvalidInput(
            f"Capacity is how many mentees you take at once: {MIN_CAPACITY} to {MAX_CAPACITY} "
            f"(you gave {capacity})."
        )
    return capacity


def check_term(months: int) -> int:
    if months not in TERMS:
        raise InvalidInput(
            f"A mentorship term is {', '.join(map(str, TERMS[:-1]))} or {TERMS[-1]} months "
            f"(you gave {months})."
        )
    return months


def parse_term(text: str | None) -> int:
    """The modal's term field: blank means the default; "6", "6 months" and "six" do not."""
    cleaned = (text or "").strip().lower().removesuffix("months").removesuffix("month").strip()
    if not cleaned:
        return DEFAULT_TERM
    if not cleaned.isdigit():
        raise InvalidInput("Give the term as a number of months: 3, 6 or 12.")
    return check_term(int(cleaned))


def clean_text(text: str | None, limit: int, what: str) -> str | None:
    """Free text as written (mentions inert, hidden characters dropped), at most ``limit``."""
    cleaned = clean_free_text((text or "")[: limit * 4])
    if len(cleaned) > limit:
        raise InvalidInput(f"{what} can be at most {limit} characters (that has {len(cleaned)}).")
    return cleaned or None


def clean_goals(text: str | None) -> str:
    goals = clean_text(text, GOALS_LIMIT, "Goals")
    if not goals:
        raise InvalidInput("Write a goal or two for the mentorship: that is what mentors read.")
    return goals


def check_not_open_already(existing: MentorRequest | None) -> None:
    if existing is not None and existing.status is RequestStatus.OPEN:
        raise Conflict(
            "You already have an open mentor request. Cancel it with /mentor cancel first if "
            "you want to ask about something else."
        )


def add_months(start: datetime, months: int) -> datetime:
    """The same day and time ``months`` later (the month's last day if it is shorter)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)

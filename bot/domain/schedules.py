"""Recurring schedules (icebreakers, rounds, and the next features): what every one of them
shares, and its slots in a local time zone across daylight-saving changes.

A schedule is a wall-clock time in an IANA zone on the days its cadence selects: every day,
Monday to Friday, one weekday every week or every other week, or once a month. Slots are
computed here, not by APScheduler's triggers (whose DST handling has stalled jobs: its issues
#1021 and #1036); the scheduler is only asked to wake the bot at the instant computed here.

Daylight saving gives exactly one slot per selected day:
- a local time that does not exist (inside the spring-forward gap, e.g. 02:30 on the US change
  day) is the first instant after the gap, shifted by the gap's length (02:30 → 03:30 local);
- a local time that occurs twice (the fall-back hour) is its first occurrence (``fold=0``).

Biweekly keeps the parity of the week of ``anchor`` (the day the schedule was created); monthly
is the first ``weekday`` of each month when one is given, otherwise ``anchor``'s day of the month
(the 31st becomes the last day of shorter months).
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.errors import InvalidInput

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SEARCH_DAYS = 62  # every cadence has a slot within two months
# A wake-up this late is simply on time (the scheduler, a busy event loop); the catch-up window
# is about slots missed while the bot was down, and may be set to 0.
ON_TIME = timedelta(minutes=5)


class Cadence(enum.StrEnum):
    DAILY = "daily"
    WEEKDAYS = "weekdays"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class Recurrence:
    cadence: Cadence
    time: time
    timezone: str
    weekday: int | None = None
    anchor: date | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def validate(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(f"{self.timezone} is not a time zone I know.") from None
        if self.weekday is not None and not 0 <= self.weekday <= 6:
            raise InvalidInput("The weekday must be Monday to Sunday.")
        if self.cadence in (Cadence.WEEKLY, Cadence.BIWEEKLY) and self.weekday is None:
            raise InvalidInput(f"A {self.cadence.value} schedule needs a weekday.")
        if self.cadence in (Cadence.BIWEEKLY, Cadence.MONTHLY) and self.anchor is None:
            raise InvalidInput(f"A {self.cadence.value} schedule needs the date it started.")

    def selects(self, day: date) -> bool:
        """Does the cadence have a slot on this local date?"""
        match self.cadence:
            case Cadence.DAILY:
                return True
            case Cadence.WEEKDAYS:
                return day.weekday() < 5
            case Cadence.WEEKLY:
                return day.weekday() == self.weekday
            case Cadence.BIWEEKLY:
                assert self.anchor is not None
                weeks = (_monday(day) - _monday(self.anchor)).days // 7
                return day.weekday() == self.weekday and weeks % 2 == 0
            case Cadence.MONTHLY:
                return day == _monthly_day(self, day.year, day.month)
        return False


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _monthly_day(rec: Recurrence, year: int, month: int) -> date:
    if rec.weekday is not None:
        first = date(year, month, 1)
        return first + timedelta(days=(rec.weekday - first.weekday()) % 7)
    assert rec.anchor is not None
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(rec.anchor.day, last))


def slot_on(rec: Recurrence, day: date) -> datetime:
    """The instant (UTC) of the slot on local date ``day``, by the daylight-saving rules above."""
    # fold=0 picks the first of a repeated local time; for a time inside the spring-forward
    # gap it applies the offset from before the change, which lands exactly one gap later.
    wall = datetime.combine(day, rec.time).replace(tzinfo=rec.zone, fold=0)
    return wall.astimezone(UTC)


def next_slot(rec: Recurrence, after: datetime) -> datetime:
    """The first slot strictly after ``after``."""
    zone = rec.zone
    day = after.astimezone(zone).date() - timedelta(days=1)  # a slot today may still be ahead
    for _ in range(_SEARCH_DAYS + 2):
        if rec.selects(day):
            slot = slot_on(rec, day)
            if slot > after:
                return slot
        day += timedelta(days=1)
    raise AssertionError(f"no slot within {_SEARCH_DAYS} days for {rec}")


def slots_between(rec: Recurrence, start: datetime, end: datetime) -> list[datetime]:
    """Slots with ``start < slot <= end``, in order."""
    found: list[datetime] = []
    slot = next_slot(rec, start)
    while slot <= end:
        found.append(slot)
        slot = next_slot(rec, slot)
    return found


def catch_up(
    rec: Recurrence, last_done: datetime | None, now: datetime, grace: timedelta
) -> tuple[datetime | None, list[datetime]]:
    """After ``last_done`` up to ``now``: the slot to post now (the latest, if it is less than
    ``grace`` late), and the slots to skip (older, or too late), which the caller logs."""
    if last_done is None:
        return None, []
    missed = slots_between(rec, last_done, now)
    if not missed:
        return None, []
    latest = missed[-1]
    if now - latest < max(grace, ON_TIME):
        return latest, missed[:-1]
    return None, missed


def local_label(rec: Recurrence, slot: datetime) -> str:
    """``Mon 2 Mar 2026, 09:00 America/Chicago``, for moderators."""
    local = slot.astimezone(rec.zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {rec.timezone}"


def parse_time(text: str) -> time:
    """``HH:MM`` (24-hour) or a clear error."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInput(
            f"Give the time as HH:MM in 24-hour form, e.g. 09:30 (not {text!r})."
        ) from None


def recurrence(
    cadence: Cadence | str, local_time: str, timezone: str, weekday: int | None, anchor: date
) -> Recurrence:
    """A schedule's recurrence from what a moderator typed (or a row holds), or a clear error."""
    try:
        chosen = Cadence(cadence)
    except ValueError:
        names = ", ".join(c.value for c in Cadence)
        raise InvalidInput(f"{cadence} is not a cadence. Choose one of: {names}.") from None
    rec = Recurrence(chosen, parse_time(local_time), timezone, weekday=weekday, anchor=anchor)
    rec.validate()
    return rec


@dataclass(frozen=True)
class RecurringSchedule:
    """What every feature's schedule holds: where, when it recurs, and where it stands.
    A feature's schedule extends it with its own options."""

    id: int
    guild_id: int
    channel_id: int
    cadence: Cadence
    local_time: str  # HH:MM
    weekday: int | None
    timezone: str
    anchor: date
    paused: bool
    next_slot_at: datetime
    last_slot_at: datetime | None
    created_at: datetime

    @property
    def recurrence(self) -> Recurrence:
        return recurrence(self.cadence, self.local_time, self.timezone, self.weekday, self.anchor)

"""Events (conference mode): what an event is, how its fields are checked, and when it fades.

Dates are calendar days in the server's time zone. An event is *over* once its end date has
passed there (it can no longer be attended). An attendance *fades* ``retention_days`` after
that: from then it is left out of every listing and of the member's own list, and
housekeeping deletes the row (data minimisation). Both are pure functions of the local date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.domain.errors import InvalidInput
from bot.domain.text import could_ping, neutralise_mentions, one_line

NAME_MIN, NAME_MAX = 2, 100
LOCATION_MAX = 100
URL_MAX = 300
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
MAX_DAYS = 31  # a conference, not a season: longer is almost surely a typo in the year


@dataclass(frozen=True)
class Event:
    id: int
    guild_id: int
    name: str
    start_date: date
    end_date: date
    location: str | None
    url: str | None
    discord_event_id: int | None  # set when imported from the server's scheduled events


@dataclass(frozen=True)
class EventDraft:
    """Checked fields of an event to add or (on re-import) to update."""

    name: str
    start_date: date
    end_date: date
    location: str | None
    url: str | None


def parse_date(text: str, what: str) -> date:
    cleaned = text.strip()
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    shape = ISO_DATE.fullmatch(cleaned)
    if shape is None:
        raise InvalidInput(f"The {what} date should look like 2027-02-11 (year-month-day).")
    # Written right, but no such day: saying "should look like" would only confuse.
    year, month, day = (int(part) for part in shape.groups())
    if not 1 <= month <= 12:
        raise InvalidInput(f"The {what} date {cleaned} does not exist: there is no month {month}.")
    days_in_month = calendar.monthrange(year, month)[1]
    month_name = calendar.month_name[month]
    raise InvalidInput(
        f"The {what} date {cleaned} does not exist: {month_name} {year} has {days_in_month} "
        f"days (day {day} asked)."
    )


def check_not_over(end: date, today: date) -> None:
    """Events are added ahead (or while they run): one already over is almost surely a typo."""
    if is_over(end, today):
        raise InvalidInput(
            f"That event is already over (it ended on {end.isoformat()}; today is "
            f"{today.isoformat()} in the server's time zone). Check the year?"
        )


def check_name(text: str) -> str:
    name = neutralise_mentions(one_line(text))
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise InvalidInput(
            f"An event name needs {NAME_MIN} to {NAME_MAX} characters (it has {len(name)})."
        )
    return name


def check_location(text: str | None) -> str | None:
    location = neutralise_mentions(one_line(text or ""))
    if len(location) > LOCATION_MAX:
        raise InvalidInput(f"A location can have at most {LOCATION_MAX} characters.")
    return location or None


def check_url(text: str | None) -> str | None:
    url = (text or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or "." not in parts.hostname
        or any(c.isspace() or c in '<>"`' for c in url)
        or could_ping(url)
        or len(url) > URL_MAX
    ):
        raise InvalidInput("The link should be a web address starting with https:// (or http://).")
    return url


def draft(
    name: str, start: date, end: date, location: str | None = None, url: str | None = None
) -> EventDraft:
    """All the checks, in the order a moderator would want to hear about them."""
    checked = check_name(name)
    if end < start:
        raise InvalidInput("The end date is before the start date.")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(f"An event can last at most {MAX_DAYS} days.")
    return EventDraft(checked, start, end, check_location(location), check_url(url))


def draft_from_text(
    name: str, start: str, end: str, location: str | None = None, url: str | None = None
) -> EventDraft:
    return draft(name, parse_date(start, "start"), parse_date(end, "end"), location, url)


def local_today(now: datetime, timezone: str) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


def is_over(end_date: date, today: date) -> bool:
    """The event's last day has passed (attending it is no longer possible)."""
    return today > end_date


def oldest_live_end(today: date, retention_days: int) -> date:
    """Attendances of events that ended before this date have faded.

    An event ending on day E is over from E + 1; its attendance fades ``retention_days`` later,
    on E + 1 + retention: live while ``today <= E + retention``, that is ``E >= today - retention``.
    """
    return today - timedelta(days=retention_days)


def is_faded(end_date: date, today: date, retention_days: int) -> bool:
    return end_date < oldest_live_end(today, retention_days)


def imported_dates(start: datetime, end: datetime | None, timezone: str) -> tuple[date, date]:
    """A scheduled event's times as local dates (no end time: a one-day event)."""
    zone = ZoneInfo(timezone)
    first = start.astimezone(zone).date()
    last = end.astimezone(zone).date() if end is not None else first
    return first, max(first, last)

"""Texts for /event and /setup events. Event names are moderators' words: shown escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain.events import Event
from bot.domain.text import escape_markdown, plural
from bot.services.event_rounds import EventRound
from bot.services.events import Attending, EventLine, ImportResult

NOBODY_THERE = (
    "Nobody discoverable is marked as attending that yet (or nobody with that tag). "
    "Check back closer to the day."
)
NO_EVENTS = "No events here yet. Moderators add them with `/setup events add` or `import`."
MINE_NONE = "You are not marked as attending any event. Find one with `/event attend`."


def day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def dates(event: Event) -> str:
    if event.start_date == event.end_date:
        return day(event.start_date)
    return f"{day(event.start_date)} to {day(event.end_date)}"


def summary(event: Event) -> str:
    """``**CSM 2027** (11 Feb 2027 to 14 Feb 2027, Houston)``; a link stays plain."""
    where = f", {escape_markdown(event.location)}" if event.location else ""
    link = f" <{event.url}>" if event.url else ""
    return f"**{escape_markdown(event.name)}** ({dates(event)}{where}){link}"


def added_text(event: Event) -> str:
    return (
        f"Added event {event.id}: {summary(event)}. Members can mark they attend with "
        "`/event attend` and find each other with `/event people`."
    )


def imported_text(result: ImportResult) -> str:
    if not (result.added or result.updated or result.skipped):
        return "This server has no scheduled events to import."
    lines = [
        f"Imported the server's scheduled events: {len(result.added)} added, "
        f"{len(result.updated)} updated."
    ]
    lines += [f"- added {e.id}: {summary(e)}" for e in result.added]
    lines += [f"- updated {e.id}: {summary(e)}" for e in result.updated]
    lines += [f"- skipped {escape_markdown(s)}" for s in result.skipped]
    return "\n".join(lines)[:2000]


def _state(line: EventLine) -> str:
    if line.faded:
        return " · ended, attendance faded"
    return " · ended" if line.over else ""


def list_text(lines: Sequence[EventLine]) -> str:
    if not lines:
        return NO_EVENTS
    rows = [f"`{line.event.id}` {summary(line.event)}{_state(line)}" for line in lines]
    return ("**Events**\n" + "\n".join(rows))[:2000]


def confirm_remove_text(event: Event) -> str:
    return (
        f"Remove event {event.id}: {summary(event)}? Its attendance list goes with it; "
        "attendees are not told. This cannot be undone."
    )


def removed_text(event: Event) -> str:
    return f"Removed event {event.id}: {summary(event)}."


def attend_text(attending: Attending) -> str:
    event = attending.event
    first = (
        f"You're marked as attending {summary(event)}."
        if attending.new
        else f"You were already marked as attending {summary(event)}."
    )
    if attending.discoverable:
        seen = "Other attendees who share your interests can find you with `/event people`."
    else:
        seen = (
            "You are not discoverable, so other attendees won't see you in listings; "
            "turn it on with `/privacy discoverable`."
        )
    return f"{first} {seen} Your attendance fades a while after the event ends."


def left_text(event: Event) -> str:
    return f"You're no longer marked as attending {summary(event)}."


def mine_text(events: Sequence[Event]) -> str:
    if not events:
        return MINE_NONE
    lines = [f"- {summary(e)}" for e in events]
    return f"**Your events** ({plural(len(events), 'event')})\n" + "\n".join(lines)


def choice_label(event: Event) -> str:
    return f"{event.id} · {event.name} · {day(event.start_date)}"[:100]


def event_round_text(ran: EventRound) -> str:
    result = ran.result
    placed = (
        f"{plural(result.groups, 'group')} of attendees who had not met, each in a private thread"
        if result.groups
        else "no groups: no two attendees could be grouped (not discoverable, blocked, or met)"
    )
    told = (
        f" {plural(result.unplaced, 'attendee')} could not be grouped." if (result.unplaced) else ""
    )
    return (
        f"Intro round for **{escape_markdown(ran.event.name)}** "
        f"({plural(ran.attendees, 'attendee')}): {placed}.{told}"
    )

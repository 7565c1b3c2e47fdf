"""Embeds and texts for /find and /intro. Names are members' words: shown inert (no pings)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.domain.events import Event
from bot.domain.introductions import IntroRequest
from bot.domain.text import escape_markdown, plural, show_member_text
from bot.services.introductions import FindResult, PendingRequests, Person

COLOUR = 0x2E8B57
OPTION_LIMIT = 100  # Discord's limit on a select option's label and description
FIELD_LIMIT = 1024

NOBODY_FOUND = (
    "Nobody discoverable here has all of those tags yet. Try fewer tags, or /intro suggest."
)
NO_SUGGESTIONS = (
    "No suggestions right now. Add more tags with /tags pick to find people who share them, "
    "or look for a tag with /find."
)
NO_PENDING = "You have no introduction requests waiting, in or out."


def display_name(person: Person) -> str:
    """The stored display name, or a neutral fallback when the bot never saw one."""
    return person.name or f"Member {person.user_id}"


def _entry(number: int, person: Person) -> str:
    # The mention shows the member's name in Discord; the stored name helps where it doesn't.
    name = f" ({show_member_text(person.name)})" if person.name else ""
    shared = ", ".join(person.shared) if person.shared else "no tags in common yet"
    return f"**{number}.** <@{person.user_id}>{name} · {shared}"


def people_embed(title: str, people: Sequence[Person], *, first_number: int = 1) -> discord.Embed:
    lines = [_entry(first_number + n, p) for n, p in enumerate(people)]
    return discord.Embed(title=title[:256], description="\n".join(lines)[:4096], colour=COLOUR)


def find_embed(result: FindResult, *, at: str | None = None) -> discord.Embed:
    """A /find page; ``at``: the event whose attendees were searched (``/find event:``)."""
    names = ", ".join(tag.name for tag in result.tags)
    title = f"People with {names}" if names else "People"
    title = f"{title} at {escape_markdown(at)}" if at else title
    embed = people_embed(title, result.people, first_number=result.page * 10 + 1)
    counted = plural(result.total, "person", "people")
    embed.set_footer(
        text=f"Page {result.page + 1} of {result.pages} · {counted} · "
        "choose someone below to ask for an introduction"
    )
    return embed


def event_label(event: Event) -> str:
    """An event as an autocomplete choice: its name and first day."""
    day = event.start_date
    return f"{event.name} · {day.day} {day:%b %Y}"[:OPTION_LIMIT]


def suggest_embed(people: Sequence[Person]) -> discord.Embed:
    embed = people_embed("People you might like to meet", people)
    embed.set_footer(text="Ranked by the tags you share; choose someone to ask for an introduction")
    return embed


def option_label(person: Person) -> str:
    return display_name(person)[:OPTION_LIMIT]


def option_description(person: Person) -> str | None:
    if not person.shared:
        return None
    return f"Shares {', '.join(person.shared)}"[:OPTION_LIMIT]


def _when(moment: datetime, style: str = "d") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def _incoming_line(number: int, request: IntroRequest) -> str:
    note = f" · “{show_member_text(request.note)}”" if request.note else ""
    return f"**{number}.** from <@{request.requester_id}>, {_when(request.created_at)}{note}"


def _outgoing_line(number: int, request: IntroRequest) -> str:
    return (
        f"**{number}.** to <@{request.target_id}>, asked {_when(request.created_at)}, "
        f"closes {_when(request.expires_at)}"
    )


UNDELIVERED = (
    "You both said yes, but DMs are closed on one side and I couldn't open a private thread "
    "for you two. The moderators know; I try again every hour, or open your DMs from this "
    "server to me."
)


def pending_embed(pending: PendingRequests, note: str | None = None) -> discord.Embed:
    embed = discord.Embed(title="Your introduction requests", description=note, colour=COLOUR)
    if pending.incoming:
        lines = [_incoming_line(n, r) for n, r in enumerate(pending.incoming, 1)]
        embed.add_field(
            name="Asking to meet you", value="\n".join(lines)[:FIELD_LIMIT], inline=False
        )
    if pending.outgoing:
        lines = [_outgoing_line(n, r) for n, r in enumerate(pending.outgoing, 1)]
        embed.add_field(name="You asked", value="\n".join(lines)[:FIELD_LIMIT], inline=False)
    if pending.undelivered:
        embed.add_field(
            name="Introductions I couldn't deliver yet", value=UNDELIVERED, inline=False
        )
    if not pending.incoming and not pending.outgoing and not pending.undelivered:
        embed.description = f"{note}\n\n{NO_PENDING}" if note else NO_PENDING
    return embed


def withdrawn_text(request: IntroRequest) -> str:
    return f"Withdrew your request to <@{request.target_id}>. They won't be told."


def snoozed_text(until: datetime) -> str:
    return (
        f"Snoozed until {_when(until, 'D')}. Until then you are left out of /find, suggestions "
        "and intro rounds, and new requests to you are held. Nothing already agreed is "
        "cancelled. End it early with /intro snooze-off."
    )


SNOOZE_OFF = "Your snooze is off: you appear in /find and suggestions again (if discoverable)."

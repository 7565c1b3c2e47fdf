"""The mentoring record: what each party keeps of a mentorship (for CE or volunteer hours).

At close each party gets a DM with a summary (topic, goals, start and end dates, check-ins with
their notes and minutes, outcome) and the same as an attached Markdown file; ``/mentor record``
sends it again for any past match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain.delivery import Delivery, Message
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.mentorship.matches import Match, MatchStatus
from bot.domain.tags import server_label
from bot.domain.text import as_typed, plural, show_member_text
from bot.services.members import MemberDirectory
from bot.services.mentorship.match_messages import COLOUR, OUTCOME_WORDS
from bot.storage.database import Database
from bot.storage.repositories.mentor_matches import Checkin
from bot.storage.unit_of_work import UnitOfWork

EMBED_TEXT_LIMIT = 4000
UNKNOWN_TOPIC = "(a topic since removed)"


@dataclass(frozen=True)
class MatchRecord:
    match: Match
    guild_name: str
    topic: str
    goals: str
    names: dict[int, str]  # mentor and mentee → display name
    checkins: tuple[Checkin, ...]

    @property
    def minutes(self) -> int:
        return sum(c.minutes or 0 for c in self.checkins)

    @property
    def outcome(self) -> str:
        match = self.match
        return OUTCOME_WORDS[match.outcome] if match.outcome else "ongoing"


@dataclass(frozen=True)
class PastMatch:
    """One line of ``/mentor record``'s autocomplete."""

    match_id: int
    label: str


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def markdown(record: MatchRecord, user_id: int) -> str:
    """The attached file: plain Markdown, readable anywhere, with the text as typed (stored text
    is neutralised against pings; an attachment never pings, so the file undoes it)."""
    return as_typed(_markdown(record, user_id))


def _markdown(record: MatchRecord, user_id: int) -> str:
    match = record.match
    role = "mentor" if user_id == match.mentor_id else "mentee"
    ended = _day(match.closed_at) if match.closed_at else "ongoing"
    lines = [
        f"# Mentoring record: {record.topic}",
        "",
        f"- Server: {record.guild_name}",
        f"- Mentor: {record.names[match.mentor_id]}",
        f"- Mentee: {record.names[match.mentee_id]}",
        f"- Your role: {role}",
        f"- Started: {_day(match.matched_at)}",
        f"- Ended: {ended}",
        f"- Outcome: {record.outcome}",
        f"- Check-ins: {len(record.checkins)} ({record.minutes} minutes in all)",
        "",
        "## Goals",
        "",
        record.goals,
        "",
        "## Check-ins",
        "",
    ]
    if not record.checkins:
        lines.append("No check-ins were recorded.")
    for checkin in record.checkins:
        minutes = f", {checkin.minutes} minutes" if checkin.minutes else ""
        who = record.names.get(checkin.user_id, "a member")
        lines.append(f"- {_day(checkin.recorded_at)} ({who}{minutes}): {checkin.note}")
    return "\n".join(lines) + "\n"


def record_dm(record: MatchRecord, user_id: int) -> Message:
    match = record.match
    checkins = "\n".join(
        f"• {_day(c.recorded_at)}"
        + (f" ({c.minutes} min)" if c.minutes else "")
        + f": {show_member_text(c.note)}"
        for c in record.checkins
    )
    if len(checkins) > 1000:
        checkins = checkins[:990].rsplit("\n", 1)[0] + "\n… (all of them in the file)"
    ended = _day(match.closed_at) if match.closed_at else "ongoing"
    fields = [
        {"name": "Topic", "value": record.topic, "inline": True},
        {"name": "Outcome", "value": record.outcome, "inline": True},
        {"name": "Dates", "value": f"{_day(match.matched_at)} to {ended}", "inline": True},
        {"name": "Goals", "value": show_member_text(record.goals)[:1024], "inline": False},
        {
            "name": f"Check-ins: {len(record.checkins)}, {record.minutes} minutes",
            "value": checkins or "None recorded.",
            "inline": False,
        },
    ]
    other = match.other(user_id)
    embed = {
        "type": "rich",
        "title": "Your mentoring record",
        "description": (
            f"Your mentorship with <@{other}> in **{server_label(record.guild_name)}**. The same "
            "record is attached as a Markdown file, for CE or volunteer-hours records."
        ),
        "color": COLOUR,
        "fields": fields,
    }
    filename = f"mentoring-record-{match.id}-{_day(match.matched_at)}.md"
    return {
        "embeds": [embed],
        "files": [{"filename": filename, "content": markdown(record, user_id)}],
    }


class MentorRecords:
    def __init__(self, db: Database, clock: Clock, directory: MemberDirectory) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory

    async def build(self, uow: UnitOfWork, match: Match) -> MatchRecord:
        brief = await uow.mentor_matches.request_brief(match.request_id)
        tags = await uow.vocabulary.tags_by_ids(match.guild_id, {brief.tag_id} if brief else set())
        members = await uow.members.many(match.guild_id, match.parties)
        names = {
            user_id: (members[user_id].display_name if user_id in members else None)
            or f"member {user_id}"
            for user_id in match.parties
        }
        return MatchRecord(
            match=match,
            guild_name=self.directory.guild_name(match.guild_id),
            topic=tags[0].name if tags else UNKNOWN_TOPIC,
            goals=brief.goals if brief else "",
            names=names,
            checkins=tuple(await uow.mentor_matches.checkins(match.id)),
        )

    async def enqueue(self, uow: UnitOfWork, match: Match, *, now: datetime, key: str) -> None:
        """The record DM for each party, in the caller's transaction."""
        record = await self.build(uow, match)
        for user_id in match.parties:
            await uow.outbox.enqueue(
                Delivery.dm(
                    f"{key}:{user_id}",
                    user_id,
                    record_dm(record, user_id),
                    guild_id=match.guild_id,
                    # The record tells of the other party (their name, goals, check-ins): it
                    # is about them, so a privacy export withholds its text.
                    subject_user_id=match.other(user_id),
                ),
                now=now,
            )

    async def past(self, guild_id: int, user_id: int, current: str = "") -> list[PastMatch]:
        """The member's ended mentorships, newest first, for autocomplete."""
        async with self.db.read() as uow:
            matches = await uow.mentor_matches.of_member(
                guild_id, user_id, status=MatchStatus.CLOSED
            )
            found = []
            for match in matches:
                record = await self.build(uow, match)
                other = record.names[match.other(user_id)]
                label = f"{record.topic} with {other}, from {_day(match.matched_at)}"
                if current.lower() in label.lower():
                    found.append(PastMatch(match.id, label[:100]))
        return found[:25]

    async def resend(self, guild_id: int, user_id: int, match_id: int | None) -> str:
        """``/mentor record``: the record of one past mentorship, by DM again."""
        now = self.clock.now()
        async with self.db.transaction() as uow:
            matches = await uow.mentor_matches.of_member(
                guild_id, user_id, status=MatchStatus.CLOSED
            )
            if not matches:
                raise NotFound("You have no past mentorships in this server yet.")
            if match_id is None:
                if len(matches) > 1:
                    raise InvalidInput(
                        f"You have {plural(len(matches), 'past mentorship')}: pick one from the "
                        "list in the `match` option."
                    )
                match = matches[0]
            else:
                chosen = [m for m in matches if m.id == match_id]
                if not chosen:
                    raise NotFound("That is not one of your past mentorships here.")
                match = chosen[0]
            record = await self.build(uow, match)
            await uow.outbox.enqueue(
                Delivery.dm(
                    f"mentor-match:{match.id}:record:{user_id}:{now.isoformat()}",
                    user_id,
                    record_dm(record, user_id),
                    guild_id=guild_id,
                    subject_user_id=match.other(user_id),  # about the other party (see above)
                ),
                now=now,
            )
        return "Your mentoring record is on its way by DM, with the Markdown file attached."

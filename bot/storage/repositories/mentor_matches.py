"""Mentor matches after the claim: their schedule, fit answers, check-ins and feedback.

The claim (``mentor_requests`` repository) creates the ``mentor_matches`` row; this repository
reads and updates it. It also reads the request a match came from (goals, topic, term), and
sends a request back to routing after a poor fit, since that is part of ending the match.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.mentorship.matches import FitAnswer, Match, MatchOutcome, MatchStatus
from bot.storage.schema.mentorship import (
    mentor_checkins,
    mentor_feedback,
    mentor_fit_answers,
    mentor_matches,
    mentor_request_mentors,
    mentor_requests,
)
from bot.storage.sql import upsert
from bot.storage.types import as_utc

_TIMES = ("fit_check_sent_at", "next_checkin_at", "end_reminder_sent_at", "term_end_prompted_at")
OTHER = "another member"  # exports never name anyone else


@dataclass(frozen=True)
class RequestBrief:
    """What the match's request said: the record and the messages quote it."""

    tag_id: int
    goals: str
    term_months: int
    background: str | None


@dataclass(frozen=True)
class Checkin:
    id: int
    user_id: int
    note: str
    minutes: int | None
    recorded_at: datetime


def _at(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def _match(row: Any) -> Match:
    return Match(
        id=row.id,
        guild_id=row.guild_id,
        request_id=row.request_id,
        mentor_id=row.mentor_id,
        mentee_id=row.mentee_id,
        status=MatchStatus(row.status),
        matched_at=as_utc(row.matched_at),
        term_ends_at=as_utc(row.term_ends_at),
        thread_id=row.thread_id,
        fit_check_sent_at=_at(row.fit_check_sent_at),
        next_checkin_at=_at(row.next_checkin_at),
        end_reminder_sent_at=_at(row.end_reminder_sent_at),
        term_end_prompted_at=_at(row.term_end_prompted_at),
        extend_by_mentor=bool(row.extend_by_mentor),
        extend_by_mentee=bool(row.extend_by_mentee),
        extensions=row.extensions,
        closed_at=_at(row.closed_at),
        outcome=MatchOutcome(row.outcome) if row.outcome else None,
        closed_by=row.closed_by,
    )


def _values(match: Match) -> dict[str, Any]:
    values = {f.name: getattr(match, f.name) for f in fields(match) if f.name != "id"}
    values["status"] = match.status.value
    values["outcome"] = match.outcome.value if match.outcome else None
    return values


def _involving(guild_id: int, user_id: int) -> Any:
    c = mentor_matches.c
    return and_(c.guild_id == guild_id, or_(c.mentor_id == user_id, c.mentee_id == user_id))


def _closed_between(guild_id: int, since: datetime, until: datetime) -> Any:
    c = mentor_matches.c
    return and_(
        c.guild_id == guild_id,
        c.status == MatchStatus.CLOSED.value,
        c.closed_at >= since,
        c.closed_at < until,
    )


class MentorMatchesRepository:
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "mentor_matches": ("mentor_id", "mentee_id", "closed_by"),
        "mentor_fit_answers": ("user_id",),
        "mentor_checkins": ("user_id",),
        "mentor_feedback": ("user_id",),
    }
    table_descriptions: ClassVar[Mapping[str, str]] = {
        "mentor_matches": "mentorships you took part in, as mentor or mentee, and how they ended",
        "mentor_fit_answers": "your answers to the early 'is this a good fit?' check",
        "mentor_checkins": "check-ins you recorded in a mentorship",
        "mentor_feedback": "feedback you gave when a mentorship ended",
    }

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- matches ----------------------------------------------------------------------------------

    async def insert(self, match: Match) -> Match:
        """A new match row (the claim's; tests use it to start from any state)."""
        result = await self.conn.execute(mentor_matches.insert().values(**_values(match)))
        match_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        found = await self.by_id(match_id)
        assert found is not None
        return found

    async def by_id(self, match_id: int) -> Match | None:
        """For buttons in DMs, which carry no server; callers check who may act on it."""
        query = select(mentor_matches).where(mentor_matches.c.id == match_id)
        row = (await self.conn.execute(query)).first()
        return _match(row) if row else None

    async def get(self, guild_id: int, match_id: int) -> Match | None:
        found = await self.by_id(match_id)
        return found if found is not None and found.guild_id == guild_id else None

    async def in_thread(self, guild_id: int, thread_id: int) -> Match | None:
        c = mentor_matches.c
        query = select(mentor_matches).where(c.guild_id == guild_id, c.thread_id == thread_id)
        row = (await self.conn.execute(query.order_by(c.id.desc()).limit(1))).first()
        return _match(row) if row else None

    async def of_member(
        self, guild_id: int, user_id: int, *, status: MatchStatus | None = None
    ) -> list[Match]:
        """The member's matches in this server, newest first."""
        c = mentor_matches.c
        query = select(mentor_matches).where(_involving(guild_id, user_id))
        if status is not None:
            query = query.where(c.status == status.value)
        rows = await self.conn.execute(query.order_by(c.matched_at.desc(), c.id.desc()))
        return [_match(r) for r in rows]

    async def active_between(self, guild_id: int, a: int, b: int) -> list[Match]:
        c = mentor_matches.c
        pair = or_(
            and_(c.mentor_id == a, c.mentee_id == b), and_(c.mentor_id == b, c.mentee_id == a)
        )
        query = select(mentor_matches).where(
            c.guild_id == guild_id, c.status == MatchStatus.ACTIVE.value, pair
        )
        return [_match(r) for r in await self.conn.execute(query.order_by(c.id))]

    async def active(self) -> list[Match]:
        """Every active match, in every server (the tick filters what is due)."""
        c = mentor_matches.c
        query = select(mentor_matches).where(c.status == MatchStatus.ACTIVE.value)
        return [_match(r) for r in await self.conn.execute(query.order_by(c.id))]

    async def save(self, before: Match, after: Match) -> bool:
        """Write ``after`` only if the row still is ``before`` (status and step columns), so two
        clicks or ticks racing each other change it once; False if someone else got there."""
        c = mentor_matches.c
        guard = [c.id == before.id, c.status == before.status.value]
        for name in (*_TIMES, "extend_by_mentor", "extend_by_mentee", "extensions"):
            value = getattr(before, name)
            guard.append(c[name].is_(None) if value is None else c[name] == value)
        values = _values(after)
        for name in ("guild_id", "request_id", "mentor_id", "mentee_id", "matched_at"):
            values.pop(name)
        result = await self.conn.execute(update(mentor_matches).where(*guard).values(**values))
        return bool(result.rowcount)

    # -- the request behind a match ---------------------------------------------------------------

    async def request_brief(self, request_id: int) -> RequestBrief | None:
        c = mentor_requests.c
        query = select(c.tag_id, c.goals, c.term_months, c.background).where(c.id == request_id)
        row = (await self.conn.execute(query)).first()
        return RequestBrief(row.tag_id, row.goals, row.term_months, row.background) if row else None

    async def reopen_request(
        self, request_id: int, guild_id: int, mentor_id: int, now: datetime
    ) -> None:
        """After a poor fit: the request is open again, to be routed now (wave 0), never to
        ``mentor_id`` again. The mentors told of it before are forgotten (their offers closed
        when it was claimed), so routing may tell them afresh."""
        c = mentor_requests.c
        await self.conn.execute(
            update(mentor_requests)
            .where(c.id == request_id)
            .values(status="open", routed_wave=0, opened_at=now, escalated_at=None, ended_at=None)
        )
        told = mentor_request_mentors.c
        await self.conn.execute(
            delete(mentor_request_mentors).where(
                told.request_id == request_id, told.excluded.is_(False)
            )
        )
        await upsert(
            self.conn,
            mentor_request_mentors,
            {
                "request_id": request_id,
                "guild_id": guild_id,
                "mentor_id": mentor_id,
                "wave": 0,
                "notified_at": None,
                "excluded": True,
            },
            ("request_id", "mentor_id"),
        )

    async def close_request(self, request_id: int, now: datetime) -> None:
        c = mentor_requests.c
        await self.conn.execute(
            update(mentor_requests).where(c.id == request_id).values(status="closed", ended_at=now)
        )

    # -- fit answers, check-ins, feedback ---------------------------------------------------------

    async def record_fit(
        self, match: Match, user_id: int, answer: FitAnswer, now: datetime
    ) -> None:
        values = {
            "match_id": match.id,
            "guild_id": match.guild_id,
            "user_id": user_id,
            "answer": answer.value,
            "answered_at": now,
        }
        await upsert(self.conn, mentor_fit_answers, values, ("match_id", "user_id"))

    async def fit_answers(self, match_id: int) -> dict[int, FitAnswer]:
        c = mentor_fit_answers.c
        rows = await self.conn.execute(select(c.user_id, c.answer).where(c.match_id == match_id))
        return {r.user_id: FitAnswer(r.answer) for r in rows}

    async def add_checkin(
        self, match: Match, user_id: int, note: str, minutes: int | None, now: datetime
    ) -> Checkin:
        values = {
            "match_id": match.id,
            "guild_id": match.guild_id,
            "user_id": user_id,
            "note": note,
            "minutes": minutes,
            "recorded_at": now,
        }
        result = await self.conn.execute(mentor_checkins.insert().values(**values))
        return Checkin(int(result.inserted_primary_key[0]), user_id, note, minutes, now)  # type: ignore[index]

    async def checkins(self, match_id: int) -> list[Checkin]:
        c = mentor_checkins.c
        rows = await self.conn.execute(
            select(mentor_checkins).where(c.match_id == match_id).order_by(c.recorded_at, c.id)
        )
        return [Checkin(r.id, r.user_id, r.note, r.minutes, as_utc(r.recorded_at)) for r in rows]

    async def add_feedback(
        self, match: Match, user_id: int, rating: int, comment: str | None, now: datetime
    ) -> None:
        values = {
            "match_id": match.id,
            "guild_id": match.guild_id,
            "user_id": user_id,
            "rating": rating,
            "comment": comment,
            "created_at": now,
        }
        await upsert(self.conn, mentor_feedback, values, ("match_id", "user_id"))

    async def has_feedback(self, match_id: int, user_id: int) -> bool:
        c = mentor_feedback.c
        query = select(func.count()).where(c.match_id == match_id, c.user_id == user_id)
        return bool((await self.conn.execute(query)).scalar_one())

    # -- reports (counts only) --------------------------------------------------------------------

    async def count_completed(self, guild_id: int, since: datetime, until: datetime) -> int:
        c = mentor_matches.c
        query = select(func.count()).where(
            _closed_between(guild_id, since, until), c.outcome == MatchOutcome.COMPLETED.value
        )
        return int((await self.conn.execute(query)).scalar_one())

    async def count_rematches(self, guild_id: int, since: datetime, until: datetime) -> int:
        """Matches that ended at the fit check as a poor fit (each sent its request back)."""
        c = mentor_matches.c
        query = select(func.count()).where(
            _closed_between(guild_id, since, until), c.outcome == MatchOutcome.POOR_FIT.value
        )
        return int((await self.conn.execute(query)).scalar_one())

    async def weekly_matches(
        self, guild_id: int, since: datetime, until: datetime
    ) -> list[tuple[date, int]]:
        """Matches made per week (weeks start on Monday), every week in the range listed."""
        c = mentor_matches.c
        query = select(c.matched_at).where(
            c.guild_id == guild_id, c.matched_at >= since, c.matched_at < until
        )
        counts: dict[date, int] = {}
        for (matched_at,) in await self.conn.execute(query):
            day = as_utc(matched_at).date()
            week = day - timedelta(days=day.weekday())
            counts[week] = counts.get(week, 0) + 1
        first = since.date() - timedelta(days=since.weekday())
        weeks = []
        while first < until.date() or (first == until.date() and first in counts):
            weeks.append((first, counts.get(first, 0)))
            first += timedelta(weeks=1)
        return weeks

    # -- the member-data contract -----------------------------------------------------------------

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """The member's matches go with everything recorded in them (the other party's
        check-ins and answers too: they are about the pair)."""
        touched = 0
        for table in (mentor_fit_answers, mentor_checkins, mentor_feedback):
            c = table.c
            result = await self.conn.execute(
                table.delete().where(c.guild_id == guild_id, c.user_id == user_id)
            )
            touched += int(result.rowcount)
        ids = [m.id for m in await self.of_member(guild_id, user_id)]
        if ids:
            for table in (mentor_fit_answers, mentor_checkins, mentor_feedback):
                result = await self.conn.execute(table.delete().where(table.c.match_id.in_(ids)))
                touched += int(result.rowcount)
            result = await self.conn.execute(
                mentor_matches.delete().where(mentor_matches.c.id.in_(ids))
            )
            touched += int(result.rowcount)
        return touched

"""The claim's side of a match, for ``MentorRequestsRepository``.

The claim creates the ``mentor_matches`` row (``opening``: capacity taken, the request not
claimable), turns it ``active`` once its thread exists, or deletes it when the thread cannot be
made; everything after that belongs to ``mentor_matches.py``. The counts feed ``/setup report``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.mentorship.requests import MentorRequest
from bot.storage.schema.mentorship import mentor_matches, mentor_requests
from bot.storage.types import as_utc

HOLDING = ("opening", "active")  # a match that takes a place in the mentor's capacity


@dataclass(frozen=True)
class MatchStub:
    """A match as the claim side sees it."""

    id: int
    guild_id: int
    request_id: int
    mentor_id: int
    mentee_id: int
    status: str
    matched_at: datetime
    term_ends_at: datetime
    thread_id: int | None


def _match(row: Any) -> MatchStub:
    return MatchStub(
        id=int(row.id),
        guild_id=int(row.guild_id),
        request_id=int(row.request_id),
        mentor_id=int(row.mentor_id),
        mentee_id=int(row.mentee_id),
        status=row.status,
        matched_at=as_utc(row.matched_at),
        term_ends_at=as_utc(row.term_ends_at),
        thread_id=int(row.thread_id) if row.thread_id else None,
    )


class MatchOpenings:
    conn: AsyncConnection

    # -- the claim's side of a match ------------------------------------------------------------

    async def holding_counts(self, guild_id: int) -> dict[int, int]:
        """Mentor → matches that take a place in their capacity (opening or active)."""
        c = mentor_matches.c
        rows = await self.conn.execute(
            select(c.mentor_id, func.count())
            .where(c.guild_id == guild_id, c.status.in_(HOLDING))
            .group_by(c.mentor_id)
        )
        return {int(mentor): int(n) for mentor, n in rows.all()}

    async def holding(self, guild_id: int, user_id: int) -> list[MatchStub]:
        """Matches (opening or active) in which the member is mentor or mentee."""
        c = mentor_matches.c
        rows = await self.conn.execute(
            select(mentor_matches)
            .where(
                c.guild_id == guild_id,
                c.status.in_(HOLDING),
                (c.mentor_id == user_id) | (c.mentee_id == user_id),
            )
            .order_by(c.matched_at, c.id)
        )
        return [_match(row) for row in rows]

    async def open_match(
        self, request: MentorRequest, mentor_id: int, *, now: datetime, term_ends_at: datetime
    ) -> MatchStub:
        result = await self.conn.execute(
            mentor_matches.insert().values(
                guild_id=request.guild_id,
                request_id=request.id,
                mentor_id=mentor_id,
                mentee_id=request.mentee_id,
                status="opening",
                matched_at=now,
                term_ends_at=term_ends_at,
                extend_by_mentor=False,
                extend_by_mentee=False,
                extensions=0,
            )
        )
        found = await self.match(int(result.inserted_primary_key[0]))  # type: ignore[index]
        assert found is not None
        return found

    async def match(self, match_id: int) -> MatchStub | None:
        row = (
            await self.conn.execute(select(mentor_matches).where(mentor_matches.c.id == match_id))
        ).first()
        return _match(row) if row else None

    async def activate_match(
        self, match_id: int, thread_id: int, *, next_checkin_at: datetime
    ) -> bool:
        c = mentor_matches.c
        result = await self.conn.execute(
            update(mentor_matches)
            .where(c.id == match_id, c.status == "opening")
            .values(status="active", thread_id=thread_id, next_checkin_at=next_checkin_at)
        )
        return bool(result.rowcount)

    async def drop_opening_match(self, match_id: int) -> bool:
        """The thread could not be made: the match never started."""
        c = mentor_matches.c
        result = await self.conn.execute(
            mentor_matches.delete().where(c.id == match_id, c.status == "opening")
        )
        return bool(result.rowcount)

    # -- reports --------------------------------------------------------------------------------

    async def count_matched(self, guild_id: int, since: datetime, until: datetime) -> int:
        """Matches whose thread opened (a failed thread is no match), claimed in the window."""
        c = mentor_matches.c
        query = select(func.count()).where(
            c.guild_id == guild_id,
            c.status != "opening",
            c.matched_at >= since,
            c.matched_at < until,
        )
        return int((await self.conn.execute(query)).scalar_one())

    async def matched_times(
        self, guild_id: int, since: datetime, until: datetime
    ) -> list[datetime]:
        """When each match counted by :meth:`count_matched` was made (the report's weekly line)."""
        c = mentor_matches.c
        query = select(c.matched_at).where(
            c.guild_id == guild_id,
            c.status != "opening",
            c.matched_at >= since,
            c.matched_at < until,
        )
        return [as_utc(at) for at in (await self.conn.execute(query)).scalars()]

    async def match_durations(
        self, guild_id: int, since: datetime, until: datetime
    ) -> list[timedelta]:
        """Claim minus request creation, for each match claimed in the window."""
        m, r = mentor_matches.c, mentor_requests.c
        rows = await self.conn.execute(
            select(m.matched_at, r.created_at)
            .join(mentor_requests, r.id == m.request_id)
            .where(
                m.guild_id == guild_id,
                m.status != "opening",
                m.matched_at >= since,
                m.matched_at < until,
            )
        )
        return [as_utc(matched) - as_utc(created) for matched, created in rows.all()]

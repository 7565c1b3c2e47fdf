"""Mentor requests and who was told of each (the claim's side of a match: ``mentor_openings``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.mentorship.requests import MentorRequest, RequestStatus
from bot.storage.repositories.mentor_openings import MatchOpenings
from bot.storage.schema.mentorship import mentor_request_mentors, mentor_requests
from bot.storage.sql import insert_ignore, upsert
from bot.storage.types import as_utc

OTHER = "another member"  # exports never name anyone else


def _request(row: Any) -> MentorRequest:
    return MentorRequest(
        id=int(row.id),
        guild_id=int(row.guild_id),
        mentee_id=int(row.mentee_id),
        tag_id=int(row.tag_id),
        goals=row.goals,
        term_months=int(row.term_months),
        background=row.background,
        status=RequestStatus(row.status),
        created_at=as_utc(row.created_at),
        opened_at=as_utc(row.opened_at),
        routed_wave=int(row.routed_wave),
        escalated_at=as_utc(row.escalated_at) if row.escalated_at else None,
        ended_at=as_utc(row.ended_at) if row.ended_at else None,
        card_key=row.card_key,
    )


class MentorRequestsRepository(MatchOpenings):
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "mentor_requests": ("mentee_id",),
        "mentor_request_mentors": ("mentor_id",),
    }
    table_descriptions: ClassVar[Mapping[str, str]] = {
        "mentor_requests": "mentorship requests you made: topic, goals, term and background",
        "mentor_request_mentors": "mentorship requests the bot sent you as a mentor, and when",
    }

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- requests -------------------------------------------------------------------------------

    async def add(
        self,
        guild_id: int,
        mentee_id: int,
        *,
        tag_id: int,
        goals: str,
        term_months: int,
        background: str | None,
        now: datetime,
    ) -> MentorRequest:
        result = await self.conn.execute(
            mentor_requests.insert().values(
                guild_id=guild_id,
                mentee_id=mentee_id,
                tag_id=tag_id,
                goals=goals,
                term_months=term_months,
                background=background,
                status=RequestStatus.OPEN.value,
                created_at=now,
                opened_at=now,
                routed_wave=0,
            )
        )
        found = await self.get(int(result.inserted_primary_key[0]))  # type: ignore[index]
        assert found is not None
        return found

    async def get(self, request_id: int) -> MentorRequest | None:
        """By id alone: Claim buttons in DMs carry no server; callers check who may act."""
        query = select(mentor_requests).where(mentor_requests.c.id == request_id)
        row = (await self.conn.execute(query)).first()
        return _request(row) if row else None

    async def current_for(self, guild_id: int, mentee_id: int) -> MentorRequest | None:
        """The mentee's request that is open or matched, if any (at most one is open)."""
        c = mentor_requests.c
        row = (
            await self.conn.execute(
                select(mentor_requests)
                .where(
                    c.guild_id == guild_id,
                    c.mentee_id == mentee_id,
                    c.status.in_([RequestStatus.OPEN.value, RequestStatus.MATCHED.value]),
                )
                .order_by(c.id.desc())
                .limit(1)
            )
        ).first()
        return _request(row) if row else None

    async def _where(self, *conditions: Any) -> list[MentorRequest]:
        c = mentor_requests.c
        rows = await self.conn.execute(
            select(mentor_requests).where(*conditions).order_by(c.opened_at, c.id)
        )
        return [_request(row) for row in rows]

    async def to_route(self) -> list[MentorRequest]:
        c = mentor_requests.c
        return await self._where(c.status == RequestStatus.OPEN.value, c.routed_wave == 0)

    async def due_escalation(self, *, opened_before: datetime) -> list[MentorRequest]:
        c = mentor_requests.c
        return await self._where(
            c.status == RequestStatus.OPEN.value,
            c.routed_wave > 0,
            c.escalated_at.is_(None),
            c.opened_at <= opened_before,
        )

    async def due_expiry(self, *, opened_before: datetime) -> list[MentorRequest]:
        c = mentor_requests.c
        return await self._where(c.status == RequestStatus.OPEN.value, c.opened_at <= opened_before)

    async def open_in(self, guild_id: int) -> list[MentorRequest]:
        c = mentor_requests.c
        return await self._where(c.guild_id == guild_id, c.status == RequestStatus.OPEN.value)

    async def move(
        self,
        request_id: int,
        current: RequestStatus,
        new: RequestStatus,
        *,
        now: datetime,
    ) -> bool:
        """Change the status only if it still is ``current``: the claim's atomic step."""
        c = mentor_requests.c
        values: dict[str, Any] = {"status": new.value}
        if new in (RequestStatus.CANCELLED, RequestStatus.EXPIRED, RequestStatus.CLOSED):
            values["ended_at"] = now
        result = await self.conn.execute(
            update(mentor_requests)
            .where(c.id == request_id, c.status == current.value)
            .values(**values)
        )
        return bool(result.rowcount)

    async def set_routed(
        self, request_id: int, wave: int, *, escalated_at: datetime | None = None
    ) -> None:
        values: dict[str, Any] = {"routed_wave": wave}
        if escalated_at is not None:
            values["escalated_at"] = escalated_at
        await self.conn.execute(
            update(mentor_requests).where(mentor_requests.c.id == request_id).values(**values)
        )

    async def set_card(self, request_id: int, channel_id: int, key: str) -> None:
        await self.conn.execute(
            update(mentor_requests)
            .where(mentor_requests.c.id == request_id)
            .values(card_channel_id=channel_id, card_message_id=None, card_key=key)
        )

    # -- who was told ---------------------------------------------------------------------------

    async def told(self, request_id: int) -> dict[int, bool]:
        """Every mentor told of the request (or excluded from it) → excluded?"""
        c = mentor_request_mentors.c
        rows = await self.conn.execute(
            select(c.mentor_id, c.excluded).where(c.request_id == request_id)
        )
        return {int(mentor): bool(excluded) for mentor, excluded in rows.all()}

    async def tell(
        self, request: MentorRequest, mentor_ids: list[int], *, wave: int, now: datetime
    ) -> None:
        rows = [
            {
                "request_id": request.id,
                "guild_id": request.guild_id,
                "mentor_id": mentor_id,
                "wave": wave,
                "notified_at": now,
                "excluded": False,
            }
            for mentor_id in mentor_ids
        ]
        await insert_ignore(self.conn, mentor_request_mentors, rows, ["request_id", "mentor_id"])

    async def exclude(self, request: MentorRequest, mentor_id: int) -> None:
        """Never route this request to ``mentor_id`` again (told before or not)."""
        told = await self.told(request.id)
        values = {
            "request_id": request.id,
            "guild_id": request.guild_id,
            "mentor_id": mentor_id,
            "wave": request.routed_wave,
            "notified_at": None,
            "excluded": True,
        }
        if mentor_id in told:
            c = mentor_request_mentors.c
            await self.conn.execute(
                update(mentor_request_mentors)
                .where(c.request_id == request.id, c.mentor_id == mentor_id)
                .values(excluded=True)
            )
        else:
            await upsert(self.conn, mentor_request_mentors, values, ["request_id", "mentor_id"])

    async def offered_to(self, guild_id: int, mentor_id: int) -> list[MentorRequest]:
        """Open requests this mentor was told of (and is not excluded from)."""
        r, t = mentor_requests.c, mentor_request_mentors.c
        rows = await self.conn.execute(
            select(mentor_requests)
            .join(mentor_request_mentors, t.request_id == r.id)
            .where(
                r.guild_id == guild_id,
                r.status == RequestStatus.OPEN.value,
                t.mentor_id == mentor_id,
                t.excluded.is_(False),
            )
            .order_by(r.opened_at, r.id)
        )
        return [_request(row) for row in rows]

    async def waiting_counts(self, guild_id: int) -> dict[int, int]:
        """Mentor → open requests they were told of: routing's fairness tie-break."""
        r, t = mentor_requests.c, mentor_request_mentors.c
        rows = await self.conn.execute(
            select(t.mentor_id, func.count())
            .join(mentor_requests, t.request_id == r.id)
            .where(
                r.guild_id == guild_id,
                r.status == RequestStatus.OPEN.value,
                t.excluded.is_(False),
            )
            .group_by(t.mentor_id)
        )
        return {int(mentor): int(n) for mentor, n in rows.all()}

    async def last_told(self, guild_id: int) -> dict[int, datetime]:
        """Mentor → when they were last told of a request: routing's rotation."""
        t = mentor_request_mentors.c
        rows = await self.conn.execute(
            select(t.mentor_id, func.max(t.notified_at))
            .where(t.guild_id == guild_id, t.notified_at.is_not(None))
            .group_by(t.mentor_id)
        )
        return {int(mentor): as_utc(at) for mentor, at in rows.all()}

    # -- reports --------------------------------------------------------------------------------

    async def count_requests_opened(self, guild_id: int, since: datetime, until: datetime) -> int:
        c = mentor_requests.c
        query = select(func.count()).where(
            c.guild_id == guild_id, c.created_at >= since, c.created_at < until
        )
        return int((await self.conn.execute(query)).scalar_one())

    # -- privacy --------------------------------------------------------------------------------

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """The member's own requests go (with their matches, by cascade), and every record of
        requests offered to them."""
        t = mentor_request_mentors.c
        told = await self.conn.execute(
            mentor_request_mentors.delete().where(t.guild_id == guild_id, t.mentor_id == user_id)
        )
        c = mentor_requests.c
        own = await self.conn.execute(
            mentor_requests.delete().where(c.guild_id == guild_id, c.mentee_id == user_id)
        )
        return int(told.rowcount) + int(own.rowcount)

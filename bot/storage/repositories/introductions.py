"""Introduction requests and blocks between members of one server."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.introductions import QUIETLY_ENDED, IntroRequest, RequestState
from bot.storage.repositories.blocks import BlocksRepository
from bot.storage.schema.introductions import intro_requests
from bot.storage.types import as_utc

__all__ = ["BlocksRepository", "IntroRequestsRepository"]

_WAITING_STATES = [RequestState.PENDING.value, *(s.value for s in QUIETLY_ENDED)]


def _request(row: Any) -> IntroRequest:
    return IntroRequest(
        id=row.id,
        guild_id=row.guild_id,
        requester_id=row.requester_id,
        target_id=row.target_id,
        note=row.note,
        state=RequestState(row.state),
        delivered=bool(row.delivered),
        created_at=as_utc(row.created_at),
        expires_at=as_utc(row.expires_at),
        decided_at=as_utc(row.decided_at) if row.decided_at else None,
        requester_told_at=as_utc(row.requester_told_at) if row.requester_told_at else None,
        undelivered_since=as_utc(row.undelivered_since) if row.undelivered_since else None,
    )


def _pair(guild_id: int, a: int, b: int) -> Any:
    """Requests between ``a`` and ``b``, either direction."""
    c = intro_requests.c
    return and_(
        c.guild_id == guild_id,
        or_(
            and_(c.requester_id == a, c.target_id == b),
            and_(c.requester_id == b, c.target_id == a),
        ),
    )


def _waiting_for_requester() -> Any:
    c = intro_requests.c
    return and_(c.requester_told_at.is_(None), c.state.in_(_WAITING_STATES))


class IntroRequestsRepository:
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "intro_requests": ("requester_id", "target_id")
    }
    table_descriptions: ClassVar[Mapping[str, str]] = {
        "intro_requests": "introduction requests you sent or received"
    }
    text_owners: ClassVar[Mapping[str, Mapping[str, str]]] = {
        "intro_requests": {"note": "requester_id"}
    }

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(
        self,
        guild_id: int,
        requester_id: int,
        target_id: int,
        *,
        note: str | None,
        delivered: bool,
        now: datetime,
        expires_at: datetime,
    ) -> IntroRequest:
        values = {
            "guild_id": guild_id,
            "requester_id": requester_id,
            "target_id": target_id,
            "note": note,
            "state": RequestState.PENDING.value,
            "delivered": delivered,
            "created_at": now,
            "expires_at": expires_at,
        }
        result = await self.conn.execute(intro_requests.insert().values(**values))
        request_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        found = await self.get(guild_id, request_id)
        assert found is not None
        return found

    async def get(self, guild_id: int, request_id: int) -> IntroRequest | None:
        row = (
            await self.conn.execute(
                select(intro_requests).where(
                    intro_requests.c.guild_id == guild_id, intro_requests.c.id == request_id
                )
            )
        ).first()
        return _request(row) if row else None

    async def by_id(self, request_id: int) -> IntroRequest | None:
        """For buttons in DMs, which carry no server; callers check who may act on it."""
        row = (
            await self.conn.execute(select(intro_requests).where(intro_requests.c.id == request_id))
        ).first()
        return _request(row) if row else None

    async def latest_from(
        self, guild_id: int, requester_id: int, target_id: int
    ) -> IntroRequest | None:
        c = intro_requests.c
        row = (
            await self.conn.execute(
                select(intro_requests)
                .where(
                    c.guild_id == guild_id, c.requester_id == requester_id, c.target_id == target_id
                )
                .order_by(c.created_at.desc(), c.id.desc())
                .limit(1)
            )
        ).first()
        return _request(row) if row else None

    async def between(self, guild_id: int, a: int, b: int) -> list[IntroRequest]:
        rows = await self.conn.execute(
            select(intro_requests).where(_pair(guild_id, a, b)).order_by(intro_requests.c.id)
        )
        return [_request(row) for row in rows]

    async def waiting_count(self, guild_id: int, requester_id: int) -> int:
        c = intro_requests.c
        query = select(func.count()).where(
            c.guild_id == guild_id, c.requester_id == requester_id, _waiting_for_requester()
        )
        return int((await self.conn.execute(query)).scalar_one())

    async def sent_since(self, guild_id: int, requester_id: int, since: datetime) -> int:
        c = intro_requests.c
        query = select(func.count()).where(
            c.guild_id == guild_id, c.requester_id == requester_id, c.created_at >= since
        )
        return int((await self.conn.execute(query)).scalar_one())

    async def incoming_count(self, guild_id: int, target_id: int) -> int:
        c = intro_requests.c
        query = select(func.count()).where(
            c.guild_id == guild_id,
            c.target_id == target_id,
            c.state == RequestState.PENDING.value,
            c.delivered.is_(True),
        )
        return int((await self.conn.execute(query)).scalar_one())

    async def outgoing(self, guild_id: int, requester_id: int) -> list[IntroRequest]:
        c = intro_requests.c
        rows = await self.conn.execute(
            select(intro_requests)
            .where(c.guild_id == guild_id, c.requester_id == requester_id, _waiting_for_requester())
            .order_by(c.created_at, c.id)
        )
        return [_request(row) for row in rows]

    async def incoming(self, guild_id: int, target_id: int) -> list[IntroRequest]:
        c = intro_requests.c
        rows = await self.conn.execute(
            select(intro_requests)
            .where(
                c.guild_id == guild_id,
                c.target_id == target_id,
                c.state == RequestState.PENDING.value,
                c.delivered.is_(True),
            )
            .order_by(c.created_at, c.id)
        )
        return [_request(row) for row in rows]

    async def connected(self, guild_id: int, user_id: int) -> set[int]:
        """Members introduced to ``user_id`` or with a request open between them."""
        c = intro_requests.c
        open_or_met = or_(c.state == RequestState.ACCEPTED.value, _waiting_for_requester())
        rows = await self.conn.execute(
            select(c.requester_id, c.target_id).where(
                c.guild_id == guild_id,
                or_(c.requester_id == user_id, c.target_id == user_id),
                open_or_met,
            )
        )
        return {int(a) if int(a) != user_id else int(b) for a, b in rows.all()}

    async def introduced_pairs(self, guild_id: int) -> set[frozenset[int]]:
        """Every pair introduced in the server (intro rounds never group them)."""
        c = intro_requests.c
        rows = await self.conn.execute(
            select(c.requester_id, c.target_id).where(
                c.guild_id == guild_id, c.state == RequestState.ACCEPTED.value
            )
        )
        return {frozenset((int(a), int(b))) for a, b in rows.all()}

    async def decide(
        self, request_id: int, state: RequestState, *, now: datetime, told: bool = False
    ) -> bool:
        """pending → ``state``, atomically: False if it was no longer pending."""
        values: dict[str, Any] = {"state": state.value, "decided_at": now}
        if told:
            values["requester_told_at"] = now
        result = await self.conn.execute(
            update(intro_requests)
            .where(
                intro_requests.c.id == request_id,
                intro_requests.c.state == RequestState.PENDING.value,
            )
            .values(**values)
        )
        return bool(result.rowcount)

    async def mark_told(self, request_id: int, *, now: datetime) -> bool:
        """The requester has heard the ending (or withdrew); a forgotten request goes now."""
        c = intro_requests.c
        forgotten = await self.conn.execute(
            intro_requests.delete().where(
                c.id == request_id, c.state == RequestState.FORGOTTEN.value
            )
        )
        if forgotten.rowcount:
            return True
        result = await self.conn.execute(
            update(intro_requests)
            .where(intro_requests.c.id == request_id, intro_requests.c.requester_told_at.is_(None))
            .values(requester_told_at=now)
        )
        return bool(result.rowcount)

    async def set_undelivered(self, request_id: int, since: datetime | None) -> None:
        await self.conn.execute(
            update(intro_requests)
            .where(intro_requests.c.id == request_id)
            .values(undelivered_since=since)
        )

    async def undelivered(
        self, *, before: datetime, guild_id: int | None = None, user_id: int | None = None
    ) -> list[IntroRequest]:
        """Accepted introductions not delivered since before ``before`` (of one member)."""
        c = intro_requests.c
        query = select(intro_requests).where(
            c.state == RequestState.ACCEPTED.value, c.undelivered_since <= before
        )
        if guild_id is not None and user_id is not None:
            query = query.where(
                c.guild_id == guild_id, or_(c.requester_id == user_id, c.target_id == user_id)
            )
        rows = await self.conn.execute(query.order_by(c.undelivered_since, c.id).limit(500))
        return [_request(row) for row in rows]

    async def due_for_ending(self, *, now: datetime, limit: int = 500) -> list[IntroRequest]:
        """Requests whose requester is still waiting although the request has expired."""
        c = intro_requests.c
        rows = await self.conn.execute(
            select(intro_requests)
            .where(_waiting_for_requester(), c.expires_at <= now)
            .order_by(c.expires_at, c.id)
            .limit(limit)
        )
        return [_request(row) for row in rows]

    async def next_expiry(self) -> datetime | None:
        c = intro_requests.c
        value = (
            await self.conn.execute(select(func.min(c.expires_at)).where(_waiting_for_requester()))
        ).scalar()
        return as_utc(value) if value else None

    async def pending_involving(
        self, guild_id: int, user_id: int, other_id: int | None = None
    ) -> list[IntroRequest]:
        """Pending requests from or to ``user_id`` (with ``other_id`` only, when given)."""
        c = intro_requests.c
        who = (
            _pair(guild_id, user_id, other_id)
            if other_id is not None
            else and_(
                c.guild_id == guild_id, or_(c.requester_id == user_id, c.target_id == user_id)
            )
        )
        rows = await self.conn.execute(
            select(intro_requests).where(who, c.state == RequestState.PENDING.value)
        )
        return [_request(row) for row in rows]

    # -- privacy --------------------------------------------------------------------------------

    # -- reports ------------------------------------------------------------------------------

    async def requested_times(
        self, guild_id: int, start: datetime, end: datetime
    ) -> list[datetime]:
        """When each request made in ``[start, end)`` was made."""
        c = intro_requests.c
        rows = await self.conn.execute(
            select(c.created_at).where(
                c.guild_id == guild_id, c.created_at >= start, c.created_at < end
            )
        )
        return [as_utc(t) for t in rows.scalars()]

    async def decided_times(
        self, guild_id: int, state: RequestState, start: datetime, end: datetime
    ) -> list[datetime]:
        """When each request that ended in ``state`` in ``[start, end)`` was decided."""
        c = intro_requests.c
        rows = await self.conn.execute(
            select(c.decided_at).where(
                c.guild_id == guild_id,
                c.state == state.value,
                c.decided_at >= start,
                c.decided_at < end,
            )
        )
        return [as_utc(t) for t in rows.scalars()]

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Every request from or to the member, except one to them that its requester still
        waits on: that one is marked forgotten and goes once the requester has heard the
        neutral ending (:meth:`mark_told`), so a deletion looks to them like a decline."""
        c = intro_requests.c
        awaited = and_(
            c.guild_id == guild_id,
            c.target_id == user_id,
            c.state != RequestState.FORGOTTEN.value,
            _waiting_for_requester(),
        )
        kept = await self.conn.execute(
            update(intro_requests).where(awaited).values(state=RequestState.FORGOTTEN.value)
        )
        result = await self.conn.execute(
            intro_requests.delete().where(
                c.guild_id == guild_id,
                or_(
                    c.requester_id == user_id,
                    and_(c.target_id == user_id, c.state != RequestState.FORGOTTEN.value),
                ),
            )
        )
        return int(result.rowcount) + int(kept.rowcount)

"""Events (conference mode) and attendance.

Fading is a date rule (``bot.domain.events``): queries that list attendance take ``live_from``,
the oldest end date whose attendance has not faded, so a faded row is left out even before
housekeeping deletes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import and_, delete, distinct, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.events import Event, EventDraft
from bot.storage.schema.events import event_attendance, events
from bot.storage.sql import insert_ignore
from bot.storage.types import as_utc

E = events.c
A = event_attendance.c


def _event(row: Any) -> Event:
    return Event(
        id=row.id,
        guild_id=row.guild_id,
        name=row.name,
        start_date=row.start_date,
        end_date=row.end_date,
        location=row.location,
        url=row.url,
        discord_event_id=row.discord_event_id,
    )


def _fields(draft: EventDraft) -> dict[str, Any]:
    return {
        "name": draft.name,
        "start_date": draft.start_date,
        "end_date": draft.end_date,
        "location": draft.location,
        "url": draft.url,
    }


class EventsRepository:
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "events": ("created_by",),
        "event_attendance": ("user_id",),
    }
    table_descriptions: ClassVar[Mapping[str, str]] = {
        "events": "events you added as a moderator",
        "event_attendance": "events you marked you attend",
    }

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- events ---------------------------------------------------------------------------------

    async def add(
        self,
        guild_id: int,
        draft: EventDraft,
        *,
        at: datetime,
        by: int | None,
        discord_event_id: int | None = None,
    ) -> Event:
        values = {
            "guild_id": guild_id,
            **_fields(draft),
            "discord_event_id": discord_event_id,
            "created_at": at,
            "created_by": by,
        }
        result = await self.conn.execute(events.insert().values(**values))
        found = await self.get(guild_id, int(result.inserted_primary_key[0]))  # type: ignore[index]
        assert found is not None
        return found

    async def by_discord_id(self, guild_id: int, discord_event_id: int) -> Event | None:
        query = select(events).where(E.guild_id == guild_id, E.discord_event_id == discord_event_id)
        row = (await self.conn.execute(query)).first()
        return _event(row) if row else None

    async def update(self, guild_id: int, event_id: int, draft: EventDraft) -> None:
        await self.conn.execute(
            update(events).where(E.guild_id == guild_id, E.id == event_id).values(**_fields(draft))
        )

    async def get(self, guild_id: int, event_id: int) -> Event | None:
        query = select(events).where(E.guild_id == guild_id, E.id == event_id)
        row = (await self.conn.execute(query)).first()
        return _event(row) if row else None

    async def in_guild(self, guild_id: int, *, ending_from: date | None = None) -> list[Event]:
        """The server's events by start date; with ``ending_from``, those ending on or after it."""
        query = select(events).where(E.guild_id == guild_id)
        if ending_from is not None:
            query = query.where(E.end_date >= ending_from)
        rows = await self.conn.execute(query.order_by(E.start_date, E.id))
        return [_event(row) for row in rows]

    async def remove(self, guild_id: int, event_id: int) -> bool:
        """The event and its attendance (deleted here too: no reliance on the cascade)."""
        await self.conn.execute(
            delete(event_attendance).where(A.guild_id == guild_id, A.event_id == event_id)
        )
        result = await self.conn.execute(
            delete(events).where(E.guild_id == guild_id, E.id == event_id)
        )
        return bool(result.rowcount)

    # -- attendance -----------------------------------------------------------------------------

    async def attend(self, guild_id: int, event_id: int, user_id: int, *, at: datetime) -> bool:
        """Mark attendance; False if it was already marked."""
        row = {"event_id": event_id, "guild_id": guild_id, "user_id": user_id, "since": at}
        return bool(
            await insert_ignore(self.conn, event_attendance, [row], ["event_id", "user_id"])
        )

    async def leave(self, guild_id: int, event_id: int, user_id: int) -> bool:
        result = await self.conn.execute(
            delete(event_attendance).where(
                A.guild_id == guild_id, A.event_id == event_id, A.user_id == user_id
            )
        )
        return bool(result.rowcount)

    async def attendees(self, guild_id: int, event_id: int, *, live_from: date) -> list[int]:
        """Member ids attending the event, ascending; none once its attendance has faded."""
        query = (
            select(A.user_id)
            .join(events, E.id == A.event_id)
            .where(A.guild_id == guild_id, A.event_id == event_id, E.end_date >= live_from)
            .order_by(A.user_id)
        )
        return list((await self.conn.execute(query)).scalars())

    async def events_of(self, guild_id: int, user_id: int, *, live_from: date) -> list[Event]:
        """The events the member attends whose attendance has not faded, by start date."""
        query = (
            select(events)
            .join(event_attendance, E.id == A.event_id)
            .where(A.guild_id == guild_id, A.user_id == user_id, E.end_date >= live_from)
            .order_by(E.start_date, E.id)
        )
        return [_event(row) for row in await self.conn.execute(query)]

    async def purge_faded(self, guild_id: int, *, live_from: date) -> int:
        """Delete the attendance of the server's events that ended before ``live_from``."""
        faded = select(E.id).where(E.guild_id == guild_id, E.end_date < live_from)
        result = await self.conn.execute(
            delete(event_attendance).where(
                A.guild_id == guild_id, A.event_id.in_(faded.scalar_subquery())
            )
        )
        return int(result.rowcount)

    async def guilds_with_attendance(self) -> list[int]:
        rows = await self.conn.execute(select(A.guild_id).distinct().order_by(A.guild_id))
        return list(rows.scalars())

    # -- for reports ----------------------------------------------------------------------------

    async def count_attendance(self, guild_id: int, since: datetime, until: datetime) -> int:
        """Members who marked attendance of any event in [since, until)."""
        query = select(func.count(distinct(A.user_id))).where(
            and_(A.guild_id == guild_id, A.since >= since, A.since < until)
        )
        return int((await self.conn.execute(query)).scalar_one())

    async def weekly_attendance(
        self, guild_id: int, since: datetime, until: datetime
    ) -> list[tuple[date, int]]:
        """Attendance marked per week (Monday, UTC) in [since, until), every week listed."""
        query = select(A.since).where(A.guild_id == guild_id, A.since >= since, A.since < until)
        counted = Counter(
            _monday(as_utc(at).date()) for at in (await self.conn.execute(query)).scalars()
        )
        weeks = []
        week = _monday(as_utc(since).date())
        while week < as_utc(until).date():
            weeks.append((week, counted.get(week, 0)))
            week += timedelta(days=7)
        return weeks

    # -- the member-data contract ---------------------------------------------------------------

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """The member's attendance goes; events they created stay, unsigned."""
        result = await self.conn.execute(
            delete(event_attendance).where(A.guild_id == guild_id, A.user_id == user_id)
        )
        await self.conn.execute(
            update(events)
            .where(E.guild_id == guild_id, E.created_by == user_id)
            .values(created_by=None)
        )
        return int(result.rowcount)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())

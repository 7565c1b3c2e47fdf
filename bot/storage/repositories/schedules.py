"""The queries every recurring schedule table shares (icebreakers, rounds, the next features).

A feature's repository extends :class:`RecurringScheduleQueries` with its table (made by
``bot.storage.schema.schedules.recurring_schedule_table``) and its schedule type (a
``RecurringSchedule`` whose own fields are named like its own columns), and keeps only its
own queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.schedules import Cadence, RecurringSchedule
from bot.storage.types import as_utc

S = TypeVar("S", bound=RecurringSchedule)


def schedule_from_row(row: Any, schedule_type: type[S]) -> S:
    """A ``schedule_type`` from ``row``: the shared columns as :class:`RecurringSchedule`
    holds them, and each of the feature's own fields from the column of the same name."""
    values: dict[str, Any] = {
        "id": row.id,
        "guild_id": row.guild_id,
        "channel_id": row.channel_id,
        "cadence": Cadence(row.cadence),
        "local_time": row.local_time,
        "weekday": row.weekday,
        "timezone": row.timezone,
        "anchor": row.anchor,
        "paused": bool(row.paused),
        "next_slot_at": as_utc(row.next_slot_at),
        "last_slot_at": as_utc(row.last_slot_at) if row.last_slot_at else None,
        "created_at": as_utc(row.created_at),
    }
    for field in fields(schedule_type):
        if field.name not in values:
            value = getattr(row, field.name)
            # A plain bool for a bool field, whatever the driver hands back.
            values[field.name] = bool(value) if field.type in ("bool", bool) else value
    return schedule_type(**values)


class RecurringScheduleQueries(Generic[S]):
    due_limit = 500  # schedules handled per wake-up at most; the rest on the next one

    def __init__(self, conn: AsyncConnection, table: Table, schedule_type: type[S]) -> None:
        self.conn = conn
        self._table = table
        self._schedule_type = schedule_type

    def _from_row(self, row: Any) -> S:
        return schedule_from_row(row, self._schedule_type)

    async def add_schedule(self, values: Mapping[str, Any]) -> S:
        result = await self.conn.execute(self._table.insert().values(**values))
        found = await self.schedule(values["guild_id"], int(result.inserted_primary_key[0]))  # type: ignore[index]
        assert found is not None
        return found

    async def schedule(self, guild_id: int, schedule_id: int) -> S | None:
        s = self._table.c
        return await self._first(s.guild_id == guild_id, s.id == schedule_id)

    async def schedule_by_id(self, schedule_id: int) -> S | None:
        return await self._first(self._table.c.id == schedule_id)

    async def _first(self, *where: Any) -> S | None:
        row = (await self.conn.execute(select(self._table).where(*where))).first()
        return self._from_row(row) if row else None

    async def schedules(self, guild_id: int) -> list[S]:
        s = self._table.c
        query = select(self._table).where(s.guild_id == guild_id).order_by(s.id)
        return [self._from_row(row) for row in await self.conn.execute(query)]

    async def due(self, *, now: datetime, limit: int | None = None) -> list[S]:
        s = self._table.c
        query = (
            select(self._table)
            .where(s.paused.is_(False), s.next_slot_at <= now)
            .order_by(s.next_slot_at, s.id)
            .limit(limit or self.due_limit)
        )
        return [self._from_row(row) for row in await self.conn.execute(query)]

    async def earliest_next_slot(self) -> datetime | None:
        """The earliest next slot of a running schedule."""
        s = self._table.c
        query = select(func.min(s.next_slot_at)).where(s.paused.is_(False))
        value = (await self.conn.execute(query)).scalar()
        return as_utc(value) if value else None

    async def earliest_wake(self) -> datetime | None:
        """When the scheduler should wake next: the earliest next slot, unless a feature has
        more to wake for (rounds' check-ins)."""
        return await self.earliest_next_slot()

    async def update_schedule(self, schedule_id: int, **values: Any) -> None:
        s = self._table.c
        await self.conn.execute(update(self._table).where(s.id == schedule_id).values(**values))

    async def remove_schedule(self, guild_id: int, schedule_id: int) -> bool:
        s = self._table.c
        result = await self.conn.execute(
            delete(self._table).where(s.guild_id == guild_id, s.id == schedule_id)
        )
        return bool(result.rowcount)

    async def schedule_count(self) -> int:
        query = select(func.count()).select_from(self._table)
        return int((await self.conn.execute(query)).scalar_one())

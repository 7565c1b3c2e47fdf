"""Intro rounds: schedules, participants, each round (one per slot or source), groups, answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.rounds.rules import EVERY_SCHEDULE, RoundSchedule
from bot.storage.repositories.round_groups import RoundGroups
from bot.storage.repositories.schedules import RecurringScheduleQueries
from bot.storage.schema.rounds import (
    round_group_members,
    round_participants,
    round_schedules,
    rounds,
)
from bot.storage.sql import insert_ignore
from bot.storage.types import as_utc


def _utc(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


@dataclass(frozen=True)
class Participation:
    user_id: int
    skip_next: bool
    ghost: bool
    paused_until: datetime | None
    counted_since: datetime | None


@dataclass(frozen=True)
class RoundRow:
    id: int
    guild_id: int
    schedule_id: int | None
    slot: datetime | None
    channel_id: int
    label: str
    created_at: datetime
    checkin_at: datetime | None


def _round(row: Any) -> RoundRow:
    return RoundRow(
        row.id,
        row.guild_id,
        row.schedule_id,
        _utc(row.slot),
        row.channel_id,
        row.label,
        as_utc(row.created_at),
        _utc(row.checkin_at),
    )


class RoundsRepository(RoundGroups, RecurringScheduleQueries[RoundSchedule]):
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "round_schedules": ("created_by",),
        "round_participants": ("user_id",),
        "round_group_members": ("user_id",),
    }
    table_descriptions: ClassVar[Mapping[str, str]] = {
        "round_schedules": "intro round schedules you set up as a moderator",
        "round_participants": "intro rounds you joined, skips and pauses",
        "round_group_members": "the intro round groups you were placed in, and if you met",
    }

    due_limit = 200

    def __init__(self, conn: AsyncConnection) -> None:
        RecurringScheduleQueries.__init__(self, conn, round_schedules, RoundSchedule)

    # -- schedules (the shared queries are in ``RecurringScheduleQueries``) ---------------------

    async def earliest_wake(self) -> datetime | None:
        """The earliest next slot of a running schedule or pending check-in."""
        r = rounds.c
        slot = await self.earliest_next_slot()
        checkin = (
            await self.conn.execute(select(func.min(r.checkin_at)).where(r.checkin_done.is_(False)))
        ).scalar()
        found = [v for v in (slot, _utc(checkin)) if v is not None]
        return min(found, default=None)

    async def remove_schedule(self, guild_id: int, schedule_id: int) -> bool:
        """Members who joined only this schedule leave it with the schedule."""
        p = round_participants.c
        await self.conn.execute(
            delete(round_participants).where(p.guild_id == guild_id, p.schedule_id == schedule_id)
        )
        return await super().remove_schedule(guild_id, schedule_id)

    # -- participants ---------------------------------------------------------------------------

    async def join(self, guild_id: int, user_id: int, schedule_id: int, *, now: datetime) -> bool:
        row = {
            "guild_id": guild_id,
            "user_id": user_id,
            "schedule_id": schedule_id,
            "joined_at": now,
            "skip_next": False,
            "ghost": False,
            "counted_since": now,
        }
        keys = ["guild_id", "user_id", "schedule_id"]
        return bool(await insert_ignore(self.conn, round_participants, [row], keys))

    def _member(self, guild_id: int, user_id: int) -> Any:
        p = round_participants.c
        return and_(p.guild_id == guild_id, p.user_id == user_id)

    async def leave(self, guild_id: int, user_id: int) -> int:
        result = await self.conn.execute(
            delete(round_participants).where(self._member(guild_id, user_id))
        )
        return int(result.rowcount)

    async def joined(self, guild_id: int, user_id: int) -> list[int]:
        p = round_participants.c
        query = select(p.schedule_id).where(self._member(guild_id, user_id)).order_by(p.schedule_id)
        return [int(s) for s in (await self.conn.execute(query)).scalars()]

    async def participation(self, guild_id: int, user_id: int) -> Participation | None:
        found = await self._participations(self._member(guild_id, user_id))
        return found[0] if found else None

    async def participants(self, guild_id: int, schedule_id: int | None) -> list[Participation]:
        """Who takes part in a schedule's rounds (its own and the server-wide joins)."""
        p = round_participants.c
        which = [EVERY_SCHEDULE] if schedule_id is None else [EVERY_SCHEDULE, schedule_id]
        return await self._participations(and_(p.guild_id == guild_id, p.schedule_id.in_(which)))

    async def _participations(self, where: Any) -> list[Participation]:
        p = round_participants.c
        rows = await self.conn.execute(
            select(p.user_id, p.skip_next, p.ghost, p.paused_until, p.counted_since)
            .where(where)
            .order_by(p.user_id, p.schedule_id)
        )
        seen: dict[int, Participation] = {}
        for user_id, skip, ghost, paused, since in rows.all():
            seen.setdefault(
                int(user_id),
                Participation(int(user_id), bool(skip), bool(ghost), _utc(paused), _utc(since)),
            )
        return list(seen.values())

    async def set_state(self, guild_id: int, user_ids: Iterable[int], **values: Any) -> None:
        """Skip, ghost and pause are about the member, so every row of theirs changes."""
        ids = list(user_ids)
        if ids:
            p = round_participants.c
            await self.conn.execute(
                update(round_participants)
                .where(p.guild_id == guild_id, p.user_id.in_(ids))
                .values(**values)
            )

    # -- rounds ---------------------------------------------------------------------------------

    async def claim_round(self, values: Mapping[str, Any]) -> int | None:
        """Record a round for its source (a slot, an event); None if that source ran already."""
        row = {"state": "grouped", "unplaced": 0, "checkin_done": False, **values}
        if not await insert_ignore(self.conn, rounds, [row], ["source_key"]):
            return None
        r = rounds.c
        query = select(r.id).where(r.source_key == values["source_key"])
        return int((await self.conn.execute(query)).scalar_one())

    async def update_round(self, round_id: int, **values: Any) -> None:
        await self.conn.execute(update(rounds).where(rounds.c.id == round_id).values(**values))

    async def round(self, round_id: int) -> RoundRow | None:
        row = (await self.conn.execute(select(rounds).where(rounds.c.id == round_id))).first()
        return _round(row) if row else None

    async def open_round_ids(self, guild_id: int) -> list[int]:
        """Rounds not yet past their check-in: what a consent withdrawal may still cancel."""
        r = rounds.c
        query = select(r.id).where(r.guild_id == guild_id, r.checkin_done.is_(False))
        return [int(i) for i in (await self.conn.execute(query)).scalars()]

    async def checkins_due(self, *, now: datetime, limit: int = 200) -> list[RoundRow]:
        r = rounds.c
        query = (
            select(rounds)
            .where(r.checkin_done.is_(False), r.checkin_at <= now)
            .order_by(r.checkin_at, r.id)
            .limit(limit)
        )
        return [_round(row) for row in await self.conn.execute(query)]

    # -- privacy --------------------------------------------------------------------------------

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Their joins and group memberships go; schedules they made stay, unsigned."""
        m, s = round_group_members.c, round_schedules.c
        touched = await self.leave(guild_id, user_id)
        result = await self.conn.execute(
            delete(round_group_members).where(m.guild_id == guild_id, m.user_id == user_id)
        )
        await self.conn.execute(
            update(round_schedules)
            .where(s.guild_id == guild_id, s.created_by == user_id)
            .values(created_by=None)
        )
        return touched + int(result.rowcount)

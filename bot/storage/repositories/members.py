"""Members as the bot knows them in each server: the per-server consent record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.consent import Standing
from bot.storage.schema.members import members
from bot.storage.sql import insert_ignore
from bot.storage.types import as_utc


@dataclass(frozen=True)
class MemberRecord:
    guild_id: int
    user_id: int
    discoverable: bool
    created_at: datetime
    updated_at: datetime
    snoozed_until: datetime | None = None
    display_name: str | None = None
    snoozed_at: datetime | None = None
    departed_at: datetime | None = None

    @property
    def standing(self) -> Standing:
        return Standing(self.user_id, self.discoverable, self.snoozed_until)


def _record(row: Any) -> MemberRecord:
    return MemberRecord(
        guild_id=row.guild_id,
        user_id=row.user_id,
        discoverable=bool(row.discoverable),
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        snoozed_until=as_utc(row.snoozed_until) if row.snoozed_until else None,
        display_name=row.display_name,
        snoozed_at=as_utc(row.snoozed_at) if row.snoozed_at else None,
        departed_at=as_utc(row.departed_at) if row.departed_at else None,
    )


class MembersRepository:
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {"members": ("user_id",)}
    table_descriptions: ClassVar[Mapping[str, str]] = {
        "members": "your membership record: discoverability, snooze, display name, when seen"
    }

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def get(self, guild_id: int, user_id: int) -> MemberRecord | None:
        row = (
            await self.conn.execute(
                select(members).where(members.c.guild_id == guild_id, members.c.user_id == user_id)
            )
        ).first()
        return _record(row) if row is not None else None

    async def many(self, guild_id: int, user_ids: Iterable[int]) -> dict[int, MemberRecord]:
        wanted = sorted(set(user_ids))
        if not wanted:
            return {}
        rows = await self.conn.execute(
            select(members).where(members.c.guild_id == guild_id, members.c.user_id.in_(wanted))
        )
        return {int(row.user_id): _record(row) for row in rows}

    async def in_guild(self, guild_id: int) -> list[MemberRecord]:
        rows = await self.conn.execute(select(members).where(members.c.guild_id == guild_id))
        return [_record(row) for row in rows]

    async def guild_ids(self) -> list[int]:
        rows = await self.conn.execute(select(members.c.guild_id).distinct())
        return [int(g) for g in rows.scalars()]

    async def ensure(
        self, guild_id: int, user_id: int, *, discoverable: bool, now: datetime
    ) -> MemberRecord:
        """The member's record, created with ``discoverable`` the first time we meet them."""
        values = {
            "guild_id": guild_id,
            "user_id": user_id,
            "discoverable": discoverable,
            "created_at": now,
            "updated_at": now,
        }
        await insert_ignore(self.conn, members, [values], ["guild_id", "user_id"])
        record = await self.get(guild_id, user_id)
        assert record is not None
        return record

    async def set_discoverable(
        self, guild_id: int, user_id: int, discoverable: bool, *, now: datetime
    ) -> bool:
        result = await self.conn.execute(
            update(members)
            .where(members.c.guild_id == guild_id, members.c.user_id == user_id)
            .values(discoverable=discoverable, updated_at=now)
        )
        return bool(result.rowcount)

    async def set_snooze(
        self, guild_id: int, user_id: int, until: datetime | None, *, now: datetime
    ) -> None:
        started = {"snoozed_at": now} if until is not None else {}
        await self.conn.execute(
            update(members)
            .where(members.c.guild_id == guild_id, members.c.user_id == user_id)
            .values(snoozed_until=until, updated_at=now, **started)
        )

    async def snoozes_started(self, guild_id: int, start: datetime, end: datetime) -> int:
        """Members whose latest snooze started in ``[start, end)``."""
        query = select(func.count()).where(
            members.c.guild_id == guild_id,
            members.c.snoozed_at >= start,
            members.c.snoozed_at < end,
        )
        return int((await self.conn.execute(query)).scalar_one())

    async def set_display_name(self, guild_id: int, user_id: int, name: str) -> bool:
        """Remember how the member appears; only for members the bot already knows."""
        result = await self.conn.execute(
            update(members)
            .where(
                members.c.guild_id == guild_id,
                members.c.user_id == user_id,
                members.c.display_name.is_distinct_from(name),
            )
            .values(display_name=name[:100])
        )
        return bool(result.rowcount)

    async def discoverable_among(self, guild_id: int, user_ids: list[int]) -> set[int]:
        rows = await self.conn.execute(
            select(members.c.user_id).where(
                members.c.guild_id == guild_id,
                members.c.user_id.in_(user_ids),
                members.c.discoverable.is_(True),
            )
        )
        return {int(user_id) for user_id in rows.scalars()}

    async def names_of(
        self, user_ids: Iterable[int], guild_ids: Iterable[int]
    ) -> dict[int, list[str]]:
        """Every display name each member has in these servers (to keep them out of exports)."""
        wanted, servers = sorted(set(user_ids)), sorted(set(guild_ids))
        found: dict[int, list[str]] = {user_id: [] for user_id in wanted}
        if wanted and servers:
            rows = await self.conn.execute(
                select(members.c.user_id, members.c.display_name).where(
                    members.c.guild_id.in_(servers),
                    members.c.user_id.in_(wanted),
                    members.c.display_name.is_not(None),
                )
            )
            for user_id, name in rows.all():
                found[int(user_id)].append(str(name))
        return found

    # -- members who left ----------------------------------------------------------------------

    async def mark_departed(self, guild_id: int, user_id: int, *, now: datetime) -> bool:
        """Discord says they are gone (10007): the retention clock starts, once."""
        c = members.c
        result = await self.conn.execute(
            update(members)
            .where(c.guild_id == guild_id, c.user_id == user_id, c.departed_at.is_(None))
            .values(departed_at=now)
        )
        return bool(result.rowcount)

    async def clear_departed(self, guild_id: int, user_id: int) -> bool:
        c = members.c
        result = await self.conn.execute(
            update(members)
            .where(c.guild_id == guild_id, c.user_id == user_id, c.departed_at.is_not(None))
            .values(departed_at=None)
        )
        return bool(result.rowcount)

    async def departed(self, *, before: datetime) -> list[tuple[int, int, datetime]]:
        """(server, member, since) of members seen gone before ``before``, oldest first."""
        c = members.c
        rows = await self.conn.execute(
            select(c.guild_id, c.user_id, c.departed_at)
            .where(c.departed_at.is_not(None), c.departed_at <= before)
            .order_by(c.departed_at)
        )
        return [(int(g), int(u), as_utc(at)) for g, u, at in rows.all()]

    # -- privacy --------------------------------------------------------------------------------

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Deletes the record; member_tags and member_profiles rows go with it (cascade)."""
        result = await self.conn.execute(
            members.delete().where(members.c.guild_id == guild_id, members.c.user_id == user_id)
        )
        return int(result.rowcount)

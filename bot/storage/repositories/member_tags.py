"""Which tags each member holds in each server."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.schema.tags import member_tags, tags
from bot.storage.sql import insert_ignore


class MemberTagsRepository:
    """Which tags each member holds in each server."""

    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {"member_tags": ("user_id",)}
    table_descriptions: ClassVar[Mapping[str, str]] = {"member_tags": "your interest tags"}

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def tag_ids(self, guild_id: int, user_id: int) -> set[int]:
        rows = await self.conn.execute(
            select(member_tags.c.tag_id).where(
                member_tags.c.guild_id == guild_id, member_tags.c.user_id == user_id
            )
        )
        return {int(tag_id) for tag_id in rows.scalars()}

    async def held_in(self, guild_id: int) -> dict[int, set[int]]:
        """Every member's tags in the server (to build the ranking index)."""
        rows = await self.conn.execute(
            select(member_tags.c.user_id, member_tags.c.tag_id).where(
                member_tags.c.guild_id == guild_id
            )
        )
        held: dict[int, set[int]] = {}
        for user_id, tag_id in rows.all():
            held.setdefault(int(user_id), set()).add(int(tag_id))
        return held

    # -- reports ------------------------------------------------------------------------------

    async def members_tagged(self, guild_id: int) -> int:
        """Members holding at least one tag now."""
        query = select(func.count(func.distinct(member_tags.c.user_id))).where(
            member_tags.c.guild_id == guild_id
        )
        return int((await self.conn.execute(query)).scalar_one())

    async def members_tagging(self, guild_id: int, start: datetime, end: datetime) -> int:
        """Members who added a tag they still hold in ``[start, end)``."""
        c = member_tags.c
        query = select(func.count(func.distinct(c.user_id))).where(
            c.guild_id == guild_id, c.added_at >= start, c.added_at < end
        )
        return int((await self.conn.execute(query)).scalar_one())

    async def top_tags(self, guild_id: int, limit: int) -> list[tuple[str, int]]:
        """The most held tags, with how many members hold each."""
        held = func.count(member_tags.c.user_id).label("held")
        query = (
            select(tags.c.name, held)
            .select_from(member_tags.join(tags, member_tags.c.tag_id == tags.c.id))
            .where(member_tags.c.guild_id == guild_id, tags.c.guild_id == guild_id)
            .group_by(tags.c.id, tags.c.name)
            .order_by(held.desc(), tags.c.name)
            .limit(limit)
        )
        return [(str(name), int(count)) for name, count in (await self.conn.execute(query)).all()]

    async def add(self, guild_id: int, user_id: int, tag_ids: set[int], *, now: datetime) -> int:
        rows = [
            {"guild_id": guild_id, "user_id": user_id, "tag_id": tag_id, "added_at": now}
            for tag_id in sorted(tag_ids)
        ]
        return await insert_ignore(self.conn, member_tags, rows, ["guild_id", "user_id", "tag_id"])

    async def remove(self, guild_id: int, user_id: int, tag_ids: set[int]) -> int:
        if not tag_ids:
            return 0
        result = await self.conn.execute(
            delete(member_tags).where(
                member_tags.c.guild_id == guild_id,
                member_tags.c.user_id == user_id,
                member_tags.c.tag_id.in_(tag_ids),
            )
        )
        return int(result.rowcount)

    async def merge(self, source_id: int, target_id: int) -> int:
        """Give ``target`` to every holder of ``source`` who lacks it, then drop ``source``.

        Returns how many members gained ``target``; nobody ends up with a duplicate.
        """
        target = member_tags.alias("target")
        lacking = select(
            member_tags.c.guild_id, member_tags.c.user_id, member_tags.c.added_at
        ).where(
            member_tags.c.tag_id == source_id,
            ~select(target.c.user_id)
            .where(
                and_(
                    target.c.tag_id == target_id,
                    target.c.guild_id == member_tags.c.guild_id,
                    target.c.user_id == member_tags.c.user_id,
                )
            )
            .exists(),
        )
        rows = [dict(r._mapping) for r in await self.conn.execute(lacking)]
        if rows:
            await self.conn.execute(
                insert(member_tags), [{**row, "tag_id": target_id} for row in rows]
            )
        await self.conn.execute(delete(member_tags).where(member_tags.c.tag_id == source_id))
        return len(rows)

    # -- privacy --------------------------------------------------------------------------------

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        result = await self.conn.execute(
            delete(member_tags).where(
                member_tags.c.guild_id == guild_id, member_tags.c.user_id == user_id
            )
        )
        return int(result.rowcount)

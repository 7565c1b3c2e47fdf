"""Mentors' offers (capacity, note, pause, topics) and each server's mentorship settings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.mentorship.requests import MentorProfile
from bot.storage.schema.mentorship import mentor_profiles, mentor_settings, mentor_topics
from bot.storage.sql import insert_ignore, upsert
from bot.storage.types import as_utc


def _profile(row: Any, topics: frozenset[int]) -> MentorProfile:
    return MentorProfile(
        guild_id=int(row.guild_id),
        user_id=int(row.user_id),
        capacity=int(row.capacity),
        note=row.note,
        paused=bool(row.paused),
        created_at=as_utc(row.created_at),
        topics=topics,
    )


class MentorsRepository:
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "mentor_profiles": ("user_id",),
        "mentor_topics": ("user_id",),
        "mentor_settings": ("updated_by",),
    }
    table_descriptions: ClassVar[Mapping[str, str]] = {
        "mentor_profiles": "your mentor profile: how many mentees you take, your note, paused",
        "mentor_topics": "the topics you chose to mentor in",
        "mentor_settings": "mentorship settings you last changed as a moderator",
    }

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- offers ---------------------------------------------------------------------------------

    async def get(self, guild_id: int, user_id: int, *, lock: bool = False) -> MentorProfile | None:
        """``lock``: hold the row for this transaction (PostgreSQL), so two claims for one
        mentor check capacity one after the other. SQLite serialises writers anyway."""
        c = mentor_profiles.c
        query = select(mentor_profiles).where(c.guild_id == guild_id, c.user_id == user_id)
        if lock and self.conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = (await self.conn.execute(query)).first()
        if row is None:
            return None
        return _profile(row, await self._topics(guild_id, user_id))

    async def _topics(self, guild_id: int, user_id: int) -> frozenset[int]:
        c = mentor_topics.c
        rows = await self.conn.execute(
            select(c.tag_id).where(c.guild_id == guild_id, c.user_id == user_id)
        )
        return frozenset(int(t) for t in rows.scalars())

    async def in_guild(self, guild_id: int) -> list[MentorProfile]:
        topics: dict[int, set[int]] = {}
        rows = await self.conn.execute(
            select(mentor_topics.c.user_id, mentor_topics.c.tag_id).where(
                mentor_topics.c.guild_id == guild_id
            )
        )
        for user_id, tag_id in rows.all():
            topics.setdefault(int(user_id), set()).add(int(tag_id))
        profiles = await self.conn.execute(
            select(mentor_profiles)
            .where(mentor_profiles.c.guild_id == guild_id)
            .order_by(mentor_profiles.c.user_id)
        )
        return [_profile(r, frozenset(topics.get(int(r.user_id), ()))) for r in profiles]

    async def save(
        self,
        guild_id: int,
        user_id: int,
        *,
        capacity: int,
        note: str | None,
        topics: frozenset[int] | None,
        now: datetime,
    ) -> MentorProfile:
        """Create or change an offer (an offer again resumes a paused mentor); ``topics``
        None keeps the chosen topics, an empty set means "all my tags"."""
        existing = await self.get(guild_id, user_id)
        values = {
            "guild_id": guild_id,
            "user_id": user_id,
            "capacity": capacity,
            "note": note,
            "paused": False,
            "created_at": existing.created_at if existing else now,
            "updated_at": now,
        }
        await upsert(self.conn, mentor_profiles, values, ["guild_id", "user_id"])
        if topics is not None:
            c = mentor_topics.c
            await self.conn.execute(
                mentor_topics.delete().where(c.guild_id == guild_id, c.user_id == user_id)
            )
            rows = [{"guild_id": guild_id, "user_id": user_id, "tag_id": t} for t in topics]
            await insert_ignore(self.conn, mentor_topics, rows, ["guild_id", "user_id", "tag_id"])
        found = await self.get(guild_id, user_id)
        assert found is not None
        return found

    async def set_paused(self, guild_id: int, user_id: int, paused: bool, *, now: datetime) -> bool:
        c = mentor_profiles.c
        result = await self.conn.execute(
            update(mentor_profiles)
            .where(c.guild_id == guild_id, c.user_id == user_id, c.paused.is_(not paused))
            .values(paused=paused, updated_at=now)
        )
        return bool(result.rowcount)

    # -- settings -------------------------------------------------------------------------------

    async def require_role(self, guild_id: int) -> int | None:
        row = (
            await self.conn.execute(
                select(mentor_settings.c.require_role_id).where(
                    mentor_settings.c.guild_id == guild_id
                )
            )
        ).first()
        return int(row[0]) if row and row[0] is not None else None

    async def set_require_role(
        self, guild_id: int, role_id: int | None, *, actor_id: int, now: datetime
    ) -> None:
        values = {
            "guild_id": guild_id,
            "require_role_id": role_id,
            "updated_at": now,
            "updated_by": actor_id,
        }
        await upsert(self.conn, mentor_settings, values, ["guild_id"])

    # -- privacy --------------------------------------------------------------------------------

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        touched = 0
        for table in (mentor_topics, mentor_profiles):
            result = await self.conn.execute(
                table.delete().where(table.c.guild_id == guild_id, table.c.user_id == user_id)
            )
            touched += int(result.rowcount)
        # A moderator's setting stays; only who changed it is forgotten.
        result = await self.conn.execute(
            update(mentor_settings)
            .where(mentor_settings.c.guild_id == guild_id, mentor_settings.c.updated_by == user_id)
            .values(updated_by=None)
        )
        return touched + int(result.rowcount)

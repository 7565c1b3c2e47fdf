"""Profile text per member per server (already cleaned by the domain before it gets here)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.profiles import Profile
from bot.storage.schema.members import member_profiles
from bot.storage.sql import upsert


class ProfileRepository:
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {"member_profiles": ("user_id",)}
    table_descriptions: ClassVar[Mapping[str, str]] = {
        "member_profiles": "your profile text and contact card"
    }

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    def _where(self, guild_id: int, user_id: int) -> Any:
        return (member_profiles.c.guild_id == guild_id) & (member_profiles.c.user_id == user_id)

    async def get(self, guild_id: int, user_id: int) -> Profile | None:
        row = (
            await self.conn.execute(select(member_profiles).where(self._where(guild_id, user_id)))
        ).first()
        return Profile(row.about, row.looking_for, row.contact) if row else None

    async def save(self, guild_id: int, user_id: int, profile: Profile, *, now: datetime) -> None:
        """Store ``profile``; the member row must exist (see ``MembersRepository.ensure``)."""
        values = {
            "guild_id": guild_id,
            "user_id": user_id,
            "about": profile.about,
            "looking_for": profile.looking_for,
            "contact": profile.contact,
            "updated_at": now,
        }
        await upsert(self.conn, member_profiles, values, keys=["guild_id", "user_id"])

    # -- privacy --------------------------------------------------------------------------------

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        result = await self.conn.execute(
            member_profiles.delete().where(self._where(guild_id, user_id))
        )
        return int(result.rowcount)

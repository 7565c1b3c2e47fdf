"""Per-server settings and channels by purpose."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, fields
from datetime import datetime
from typing import ClassVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.settings import ChannelPurpose, GuildDefaults, GuildSettings
from bot.storage.schema.settings import guild_channels, guild_settings
from bot.storage.sql import upsert

_DEFAULT_FIELDS = [f.name for f in fields(GuildDefaults)]


class GuildSettingsRepository:
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "guild_settings": ("updated_by",),
        "guild_channels": ("updated_by",),
    }
    table_descriptions: ClassVar[Mapping[str, str]] = {
        "guild_settings": "server defaults you last changed as a moderator",
        "guild_channels": "channel choices you last changed as a moderator",
    }

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def get(self, guild_id: int, fallback: GuildDefaults) -> GuildSettings:
        """The stored settings, or ``fallback`` for a server that never changed any."""
        row = (
            (
                await self.conn.execute(
                    select(guild_settings).where(guild_settings.c.guild_id == guild_id)
                )
            )
            .mappings()
            .first()
        )
        defaults = GuildDefaults(**{k: row[k] for k in _DEFAULT_FIELDS}) if row else fallback
        channel_rows = await self.conn.execute(
            select(guild_channels.c.purpose, guild_channels.c.channel_id).where(
                guild_channels.c.guild_id == guild_id
            )
        )
        channels = {ChannelPurpose(purpose): cid for purpose, cid in channel_rows}
        return GuildSettings(guild_id=guild_id, defaults=defaults, channels=channels)

    async def save_defaults(
        self, guild_id: int, defaults: GuildDefaults, *, at: datetime, by: int | None
    ) -> None:
        values = {"guild_id": guild_id, **asdict(defaults), "updated_at": at, "updated_by": by}
        await upsert(self.conn, guild_settings, values, keys=["guild_id"])

    async def set_channel(
        self, guild_id: int, purpose: ChannelPurpose, channel_id: int, *, at: datetime, by: int
    ) -> None:
        values = {
            "guild_id": guild_id,
            "purpose": purpose.value,
            "channel_id": channel_id,
            "updated_at": at,
            "updated_by": by,
        }
        await upsert(self.conn, guild_channels, values, keys=["guild_id", "purpose"])

    async def channel_for(self, guild_id: int, purpose: ChannelPurpose) -> int | None:
        value = (
            await self.conn.execute(
                select(guild_channels.c.channel_id).where(
                    guild_channels.c.guild_id == guild_id,
                    guild_channels.c.purpose == purpose.value,
                )
            )
        ).scalar()
        return int(value) if value is not None else None

    async def channels_for(self, purpose: ChannelPurpose) -> list[tuple[int, int]]:
        """(guild_id, channel_id) of every server that chose a channel for ``purpose``."""
        rows = await self.conn.execute(
            select(guild_channels.c.guild_id, guild_channels.c.channel_id).where(
                guild_channels.c.purpose == purpose.value
            )
        )
        return [(int(g), int(c)) for g, c in rows.all()]

    # -- privacy: moderators who changed settings ----------------------------------------------

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Settings stay (the server uses them); who last changed them is forgotten."""
        forgotten = 0
        for table in (guild_settings, guild_channels):
            result = await self.conn.execute(
                update(table)
                .where(table.c.guild_id == guild_id, table.c.updated_by == user_id)
                .values(updated_by=None)
            )
            forgotten += int(result.rowcount)
        return forgotten

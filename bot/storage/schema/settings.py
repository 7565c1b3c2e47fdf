"""Per-server settings and channels by purpose."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
)

from bot.storage.schema.base import metadata

guild_settings = Table(
    "guild_settings",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("discoverable_by_default", Boolean, nullable=False, default=False),
    Column("timezone", String(64), nullable=False),
    Column("intro_expiry_days", Integer, nullable=False),
    Column("max_outgoing_pending", Integer, nullable=False),
    Column("max_requests_per_day", Integer, nullable=False),
    Column("max_incoming_pending", Integer, nullable=False),
    Column("pair_cooldown_days", Integer, nullable=False),
    Column("icebreaker_catch_up_minutes", Integer, nullable=False),
    Column("event_retention_days", Integer, nullable=False, server_default="30"),
    Column("departed_retention_days", Integer, nullable=False, server_default="30"),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", BigInteger, nullable=True),
)

guild_channels = Table(
    "guild_channels",
    metadata,
    Column("guild_id", BigInteger, nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("channel_id", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", BigInteger, nullable=True),
    PrimaryKeyConstraint("guild_id", "purpose"),
)

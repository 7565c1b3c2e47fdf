"""The schema as SQLAlchemy Core metadata. Migrations must keep the database equal to this."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
)

# Stable constraint names so Alembic batch migrations on SQLite can find them.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

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

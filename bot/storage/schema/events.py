"""Events (conference mode) and who marked they attend.

``discord_event_id`` is set for events imported from the server's Discord scheduled events;
unique per server, so a re-import updates the row instead of adding a second one. Attendance
rows are deleted when they fade (see ``bot.domain.events``) and with their event.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from bot.storage.schema.base import metadata

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("name", String(100), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("location", String(100), nullable=True),
    Column("url", String(300), nullable=True),
    Column("discord_event_id", BigInteger, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", BigInteger, nullable=True),
    UniqueConstraint("guild_id", "discord_event_id", name="uq_events_guild_discord_event"),
    Index("ix_events_guild_end", "guild_id", "end_date"),
    sqlite_autoincrement=True,  # a freed id is never reused (see base.py)
)

event_attendance = Table(
    "event_attendance",
    metadata,
    Column(
        "event_id",
        Integer,
        ForeignKey("events.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("since", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("event_id", "user_id"),
    Index("ix_event_attendance_member", "guild_id", "user_id"),
    Index("ix_event_attendance_since", "guild_id", "since"),
)

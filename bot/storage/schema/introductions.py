"""Introduction requests between members, and blocks.

A request's ``state`` is what happened (pending, accepted, declined, reported, withdrawn,
cancelled, expired); ``delivered`` says whether the target was ever asked (a request the consent
rule holds back is never shown to them). The requester hears a negative outcome only at
``expires_at`` (``requester_told_at`` set then), so the answer never reveals which one it was.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from bot.storage.schema.base import metadata

intro_requests = Table(
    "intro_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("requester_id", BigInteger, nullable=False),
    Column("target_id", BigInteger, nullable=False),
    Column("note", Text, nullable=True),
    Column("state", String(16), nullable=False),
    Column("delivered", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("requester_told_at", DateTime(timezone=True), nullable=True),
    # Accepted, DMs closed and the fallback thread failed: retried hourly until it opens.
    Column("undelivered_since", DateTime(timezone=True), nullable=True),
    Index("ix_intro_requests_requester", "guild_id", "requester_id", "state"),
    Index("ix_intro_requests_target", "guild_id", "target_id", "state"),
    Index("ix_intro_requests_due", "requester_told_at", "expires_at"),
    sqlite_autoincrement=True,  # a freed id is never reused (see base.py)
)

member_blocks = Table(
    "member_blocks",
    metadata,
    Column("guild_id", BigInteger, nullable=False),
    Column("blocker_id", BigInteger, nullable=False),
    Column("blocked_id", BigInteger, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("guild_id", "blocker_id", "blocked_id"),
    Index("ix_member_blocks_blocked", "guild_id", "blocked_id"),
)

"""The outbox: everything that must leave the bot later, written in the feature's transaction."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, String, Table, Text

from bot.storage.schema.base import metadata

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # The feature's own name for this delivery; enqueueing the same key twice is a no-op.
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("guild_id", BigInteger, nullable=True),
    Column("kind", String(32), nullable=False),
    # Items for one recipient ("user:ID" or "channel:ID") leave in order, one at a time.
    Column("recipient", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("not_before", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Which feature hears the outcome, and what it was.
    Column("outcome_handler", String(64), nullable=True),
    Column("result", Text, nullable=True),
    Column("failure", String(64), nullable=True),
    # The member the item is about (its content describes them), for privacy export/delete.
    Column("subject_user_id", BigInteger, nullable=True),
    Index("ix_outbox_due", "state", "not_before"),
    Index("ix_outbox_recipient", "recipient", "id"),
    Index("ix_outbox_subject", "subject_user_id"),
    sqlite_autoincrement=True,  # a freed id is never reused (see base.py)
)

# What Discord told us about a user's DMs: closed (50007) until a cool-off ends.
dm_status = Table(
    "dm_status",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("closed_until", DateTime(timezone=True), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Process-wide delivery switches that must survive restarts (DM pause, quarantine).
delivery_flags = Table(
    "delivery_flags",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=True),
    Column("until", DateTime(timezone=True), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

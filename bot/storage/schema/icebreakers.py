"""Icebreaker schedules, the server's prompt pool, what was posted for each slot, suggestions.

``icebreaker_posts`` has one row per (schedule, slot), its primary key: a slot is handled once,
whatever the scheduler does (ARCHITECTURE rule 8). The schedule's shared columns (recurrence,
``next_slot_at``) come from ``bot.storage.schema.schedules``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from bot.storage.schema.base import metadata
from bot.storage.schema.schedules import recurring_schedule_table

icebreaker_schedules = recurring_schedule_table(
    "icebreaker_schedules",
    options=[
        Column("thread", Boolean, nullable=False),
        Column("skip_if_quiet", Boolean, nullable=False),
    ],
    bookkeeping=[
        # Where the previous prompt can be answered (the channel, or its thread) and the last
        # message there right after it was posted: skip-if-quiet compares with these.
        Column("quiet_channel_id", BigInteger, nullable=True),
        Column("quiet_message_id", BigInteger, nullable=True),
        Column("cycle", Integer, nullable=False),
        Column("low_pool_told_cycle", Integer, nullable=True),
        Column("thread_problem_told", Boolean, nullable=False),
    ],
)

icebreaker_prompts = Table(
    "icebreaker_prompts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("text", Text, nullable=False),
    Column("key", String(400), nullable=False),  # casefolded, spaces collapsed: no duplicates
    Column("source", String(40), nullable=False),  # "pack:<name>", "moderator", "suggestion"
    Column("added_by", BigInteger, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("guild_id", "key", name="uq_icebreaker_prompts_guild_key"),
)

icebreaker_posts = Table(
    "icebreaker_posts",
    metadata,
    Column(
        "schedule_id",
        Integer,
        ForeignKey("icebreaker_schedules.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("slot", DateTime(timezone=True), nullable=False),
    Column(
        "prompt_id",
        Integer,
        ForeignKey("icebreaker_prompts.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("cycle", Integer, nullable=False),
    Column("state", String(16), nullable=False),  # queued | posted | quiet | late | failed
    Column("created_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("schedule_id", "slot"),
)

icebreaker_suggestions = Table(
    "icebreaker_suggestions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("text", Text, nullable=False),
    Column("state", String(16), nullable=False),  # pending | approved | rejected
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("decided_by", BigInteger, nullable=True),
    Index("ix_icebreaker_suggestions_pending", "guild_id", "state"),
)

"""Intro rounds: schedules, who takes part, each round, its groups and their members' answers.

``rounds`` has one row per run: a scheduled slot (``UNIQUE(schedule_id, slot)``, like
``icebreaker_posts``) or a one-off round (an event's), and every run has a unique ``source_key``
("schedule:<id>:<slot>", "event:<id>"), so a slot or a source runs exactly once whatever the
scheduler does. ``round_participants.schedule_id`` is 0 for "every schedule in the server".
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
    UniqueConstraint,
)

from bot.storage.schema.base import metadata
from bot.storage.schema.schedules import recurring_schedule_table

round_schedules = recurring_schedule_table(
    "round_schedules",
    options=[
        Column("group_size", Integer, nullable=False),
        Column("tag_id", Integer, nullable=True),  # only members holding this tag
        Column("cooldown_rounds", Integer, nullable=False),  # no pair again within this many
    ],
)

round_participants = Table(
    "round_participants",
    metadata,
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("schedule_id", Integer, nullable=False),  # 0: every schedule in the server
    Column("joined_at", DateTime(timezone=True), nullable=False),
    Column("skip_next", Boolean, nullable=False),
    Column("ghost", Boolean, nullable=False),  # left out until they answer the ghost DM
    Column("paused_until", DateTime(timezone=True), nullable=True),
    Column("counted_since", DateTime(timezone=True), nullable=True),  # the ghost rule's start
    PrimaryKeyConstraint("guild_id", "user_id", "schedule_id"),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column(
        "schedule_id",
        Integer,
        ForeignKey("round_schedules.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("slot", DateTime(timezone=True), nullable=True),
    Column("source_key", String(120), nullable=False),
    Column("channel_id", BigInteger, nullable=False),
    Column("label", String(100), nullable=False),
    Column("group_size", Integer, nullable=False),
    Column("state", String(16), nullable=False),  # grouped | late
    Column("unplaced", Integer, nullable=False),
    Column("checkin_at", DateTime(timezone=True), nullable=True),
    Column("checkin_done", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("source_key", name="uq_rounds_source_key"),
    UniqueConstraint("schedule_id", "slot", name="uq_rounds_schedule_slot"),
    Index("ix_rounds_checkin", "checkin_done", "checkin_at"),
    Index("ix_rounds_guild", "guild_id", "created_at"),
)

round_groups = Table(
    "round_groups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("guild_id", BigInteger, nullable=False),
    Column("thread_id", BigInteger, nullable=True),
    Index("ix_round_groups_round", "round_id"),
)

round_group_members = Table(
    "round_group_members",
    metadata,
    Column("group_id", Integer, ForeignKey("round_groups.id", ondelete="CASCADE"), nullable=False),
    Column("round_id", Integer, nullable=False),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("asked", Boolean, nullable=False),  # the "Did you meet?" went to their thread
    Column("answer", String(16), nullable=True),  # met | not_yet | couldnt
    Column("answered_at", DateTime(timezone=True), nullable=True),
    PrimaryKeyConstraint("group_id", "user_id"),
    Index("ix_round_group_members_member", "guild_id", "user_id"),
)

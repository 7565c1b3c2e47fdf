"""Members of a server as the bot knows them (from interactions), and their profile text.

``members`` is the per-server consent record: ``discoverable`` starts from the server's
``discoverable_by_default`` when the bot first meets the member and is theirs to change.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from bot.storage.schema.base import metadata

members = Table(
    "members",
    metadata,
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("discoverable", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Hidden from every listing, suggestion and round until then (/intro snooze).
    Column("snoozed_until", DateTime(timezone=True), nullable=True),
    # When the member last started a snooze (kept when it ends), for moderator reports.
    Column("snoozed_at", DateTime(timezone=True), nullable=True),
    # How the member last appeared to the bot (no GUILD_MEMBERS intent: learnt from interactions),
    # for menus that cannot render a mention.
    Column("display_name", String(100), nullable=True),
    # When Discord last answered 10007 Unknown Member for them (they left); cleared when they
    # use the bot again. Purged after the server's departed_retention_days.
    Column("departed_at", DateTime(timezone=True), nullable=True),
    PrimaryKeyConstraint("guild_id", "user_id"),
    Index("ix_members_discoverable", "guild_id", "discoverable"),
    Index("ix_members_departed", "departed_at"),
)

member_profiles = Table(
    "member_profiles",
    metadata,
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("about", Text, nullable=True),
    Column("looking_for", Text, nullable=True),
    # "How to reach me": shown only to people the member agreed to meet.
    Column("contact", Text, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("guild_id", "user_id"),
    ForeignKeyConstraint(
        ["guild_id", "user_id"],
        ["members.guild_id", "members.user_id"],
        ondelete="CASCADE",
    ),
)

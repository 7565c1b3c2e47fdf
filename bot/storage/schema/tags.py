"""Interest tags: the per-server vocabulary, members' tags and the suggestion queue.

``key`` columns hold :func:`bot.domain.tags.tag_key` of the name: uniqueness is
case-insensitive per server. Tag and alias keys share one namespace, which the service keeps
(a name is either a tag or an alias, never both).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from bot.storage.schema.base import metadata

tag_categories = Table(
    "tag_categories",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("name", String(40), nullable=False),
    Column("key", String(120), nullable=False),
    Column("position", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("guild_id", "key", name="uq_tag_categories_guild_key"),
    sqlite_autoincrement=True,  # a freed id is never reused (see base.py)
)

tags = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column(
        "category_id",
        Integer,
        ForeignKey("tag_categories.id", ondelete="RESTRICT"),
        nullable=False,
    ),
    Column("name", String(40), nullable=False),
    Column("key", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", BigInteger, nullable=True),
    UniqueConstraint("guild_id", "key", name="uq_tags_guild_key"),
    Index("ix_tags_category", "category_id"),
    sqlite_autoincrement=True,  # a freed id is never reused (see base.py)
)

tag_aliases = Table(
    "tag_aliases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(40), nullable=False),
    Column("key", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("guild_id", "key", name="uq_tag_aliases_guild_key"),
    Index("ix_tag_aliases_tag", "tag_id"),
    sqlite_autoincrement=True,  # a freed id is never reused (see base.py)
)

member_tags = Table(
    "member_tags",
    metadata,
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("guild_id", "user_id", "tag_id"),
    ForeignKeyConstraint(
        ["guild_id", "user_id"],
        ["members.guild_id", "members.user_id"],
        ondelete="CASCADE",
    ),
    Index("ix_member_tags_tag", "tag_id", "user_id"),
)

tag_suggestions = Table(
    "tag_suggestions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),  # who suggested it
    Column("name", String(40), nullable=False),
    Column("key", String(120), nullable=False),
    Column(
        "category_id",
        Integer,
        ForeignKey("tag_categories.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("state", String(16), nullable=False),  # pending | approved | rejected
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("decided_by", BigInteger, nullable=True),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="SET NULL"), nullable=True),
    Index("ix_tag_suggestions_queue", "guild_id", "state", "id"),
    Index("ix_tag_suggestions_user", "guild_id", "user_id"),
    sqlite_autoincrement=True,  # a freed id is never reused (see base.py)
)

# Members who asked for a tag that another member had already suggested: they hear the
# outcome too. The first suggester stays on ``tag_suggestions.user_id``.
tag_suggestion_supporters = Table(
    "tag_suggestion_supporters",
    metadata,
    Column(
        "suggestion_id",
        Integer,
        ForeignKey("tag_suggestions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("suggestion_id", "user_id"),
    Index("ix_tag_suggestion_supporters_user", "guild_id", "user_id"),
)

# Where a moderator last posted the public tag picker, for /setup show's checklist.
tag_pickers = Table(
    "tag_pickers",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("channel_id", BigInteger, nullable=False),
    Column("posted_at", DateTime(timezone=True), nullable=False),
)

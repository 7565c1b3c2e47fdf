"""The anti-abuse record, and the per-install secret that keys it.

When a member deletes their data (or is purged after leaving), the blocks involving them
survive only here, as keyed hashes (HMAC-SHA256 with ``install_secrets``' "block-key") of
each side: who blocked whom can be recognised if the person returns, but not read back, and
hashing every possible id does not reverse it without the secret.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Index, PrimaryKeyConstraint, String, Table

from bot.storage.schema.base import metadata

block_records = Table(
    "block_records",
    metadata,
    Column("guild_id", BigInteger, nullable=False),
    Column("blocker_hash", String(64), nullable=False),
    Column("blocked_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("guild_id", "blocker_hash", "blocked_hash"),
    Index("ix_block_records_blocked", "guild_id", "blocked_hash"),
)

install_secrets = Table(
    "install_secrets",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

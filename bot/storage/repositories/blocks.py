"""Blocks between members of one server, and the anti-abuse record that outlives a deletion.

When a member's data is deleted, each block involving them is kept in ``block_records`` as
keyed hashes (HMAC-SHA256, per server, with a secret made once per install and stored in the
database) of who blocked whom. Every read here honours those records too, so callers (the
consent rule, /find, introductions) see a block hold when the person comes back, and none of
them knows the difference.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.schema.introductions import member_blocks
from bot.storage.schema.members import members
from bot.storage.schema.privacy import block_records, install_secrets
from bot.storage.sql import insert_ignore
from bot.storage.types import as_utc

SECRET_NAME = "block-key"


def keyed_hash(key: bytes, guild_id: int, user_id: int) -> str:
    # hmac.digest is the one-shot C path: twice as fast as hmac.new
    return hmac.digest(key, b"%d:%d" % (guild_id, user_id), "sha256").hex()


# Matching recorded blocks hashes every member of the server (0.6 s for 100,000 on the shared
# 2-core machine), on each rebuild of /find's index. The hashes of members already seen are
# kept per server (about 14 MB per 100,000 members, only in servers that hold records).
_HASH_CACHE: dict[tuple[bytes, int], dict[int, str]] = {}
_HASH_CACHE_LIMIT = 1_000_000  # entries across servers; past it the cache starts afresh


def _hashes(key: bytes, guild_id: int, user_ids: Iterable[int]) -> dict[str, int]:
    known = _HASH_CACHE.setdefault((key, guild_id), {})
    found: dict[str, int] = {}
    for user_id in user_ids:
        hashed = known.get(user_id)
        if hashed is None:
            hashed = known[user_id] = keyed_hash(key, guild_id, user_id)
        found[hashed] = user_id
    if sum(len(cached) for cached in _HASH_CACHE.values()) > _HASH_CACHE_LIMIT:
        _HASH_CACHE.clear()
    return found


class BlocksRepository:
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "member_blocks": ("blocker_id", "blocked_id")
    }
    table_descriptions: ClassVar[Mapping[str, str]] = {"member_blocks": "blocks you made"}

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, guild_id: int, blocker_id: int, blocked_id: int, *, now: datetime) -> bool:
        row = {
            "guild_id": guild_id,
            "blocker_id": blocker_id,
            "blocked_id": blocked_id,
            "created_at": now,
        }
        return bool(
            await insert_ignore(
                self.conn, member_blocks, [row], ["guild_id", "blocker_id", "blocked_id"]
            )
        )

    async def remove(self, guild_id: int, blocker_id: int, blocked_id: int) -> bool:
        c = member_blocks.c
        result = await self.conn.execute(
            member_blocks.delete().where(
                c.guild_id == guild_id, c.blocker_id == blocker_id, c.blocked_id == blocked_id
            )
        )
        removed = bool(result.rowcount)
        key = await self._key(create=False)
        if key is not None:  # the blocker may lift a block on someone who since deleted
            r = block_records.c
            hashed = await self.conn.execute(
                block_records.delete().where(
                    r.guild_id == guild_id,
                    r.blocker_hash == keyed_hash(key, guild_id, blocker_id),
                    r.blocked_hash == keyed_hash(key, guild_id, blocked_id),
                )
            )
            removed = removed or bool(hashed.rowcount)
        return removed

    async def made_by(self, guild_id: int, blocker_id: int) -> list[tuple[int, datetime]]:
        c = member_blocks.c
        rows = await self.conn.execute(
            select(c.blocked_id, c.created_at)
            .where(c.guild_id == guild_id, c.blocker_id == blocker_id)
            .order_by(c.created_at)
        )
        return [(int(blocked), as_utc(at)) for blocked, at in rows.all()]

    async def between(self, guild_id: int, a: int, b: int) -> bool:
        c = member_blocks.c
        query = select(func.count()).where(
            c.guild_id == guild_id,
            or_(
                and_(c.blocker_id == a, c.blocked_id == b),
                and_(c.blocker_id == b, c.blocked_id == a),
            ),
        )
        if int((await self.conn.execute(query)).scalar_one()) > 0:
            return True
        key = await self._key(create=False)
        if key is None:
            return False
        ha, hb = keyed_hash(key, guild_id, a), keyed_hash(key, guild_id, b)
        r = block_records.c
        hashed = select(func.count()).where(
            r.guild_id == guild_id,
            or_(
                and_(r.blocker_hash == ha, r.blocked_hash == hb),
                and_(r.blocker_hash == hb, r.blocked_hash == ha),
            ),
        )
        return int((await self.conn.execute(hashed)).scalar_one()) > 0

    async def pairs_in(self, guild_id: int) -> list[tuple[int, int]]:
        """Every block in the server, including recorded ones between members known again."""
        c = member_blocks.c
        rows = await self.conn.execute(
            select(c.blocker_id, c.blocked_id).where(c.guild_id == guild_id)
        )
        pairs = {(int(a), int(b)) for a, b in rows.all()}
        return sorted(pairs | await self._recorded_pairs(guild_id))

    async def _recorded_pairs(self, guild_id: int) -> set[tuple[int, int]]:
        r = block_records.c
        recorded = (
            await self.conn.execute(
                select(r.blocker_hash, r.blocked_hash).where(r.guild_id == guild_id)
            )
        ).all()
        key = await self._key(create=False)
        if not recorded or key is None:
            return set()
        known = await self.conn.execute(
            select(members.c.user_id).where(members.c.guild_id == guild_id)
        )
        by_hash = _hashes(key, guild_id, (int(u) for u in known.scalars()))
        return {(by_hash[a], by_hash[b]) for a, b in recorded if a in by_hash and b in by_hash}

    async def recorded_count(self, guild_id: int) -> int:
        r = block_records.c
        query = select(func.count()).where(r.guild_id == guild_id)
        return int((await self.conn.execute(query)).scalar_one())

    # -- privacy --------------------------------------------------------------------------------

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """The member's blocks go, each kept as a hashed anti-abuse record first."""
        c = member_blocks.c
        involving = and_(
            c.guild_id == guild_id, or_(c.blocker_id == user_id, c.blocked_id == user_id)
        )
        found = (
            await self.conn.execute(
                select(c.blocker_id, c.blocked_id, c.created_at).where(involving)
            )
        ).all()
        if found:
            await self._record(guild_id, ((int(a), int(b), at) for a, b, at in found))
        result = await self.conn.execute(member_blocks.delete().where(involving))
        return int(result.rowcount)

    async def _record(self, guild_id: int, blocks: Iterable[tuple[int, int, datetime]]) -> None:
        key = await self._key(create=True)
        assert key is not None
        rows = [
            {
                "guild_id": guild_id,
                "blocker_hash": keyed_hash(key, guild_id, blocker),
                "blocked_hash": keyed_hash(key, guild_id, blocked),
                "created_at": at,
            }
            for blocker, blocked, at in blocks
        ]
        await insert_ignore(
            self.conn, block_records, rows, ["guild_id", "blocker_hash", "blocked_hash"]
        )

    async def _key(self, *, create: bool) -> bytes | None:
        """The install's secret; made once (on the first record), never exported or logged."""
        query = select(install_secrets.c.value).where(install_secrets.c.name == SECRET_NAME)
        value = (await self.conn.execute(query)).scalar()
        if value is None and create:
            row = {
                "name": SECRET_NAME,
                "value": secrets.token_hex(32),
                "created_at": datetime.now(UTC),  # not a schedule: the wall clock is fine
            }
            await insert_ignore(self.conn, install_secrets, [row], ["name"])
            value = (await self.conn.execute(query)).scalar()
        return bytes.fromhex(value) if value is not None else None

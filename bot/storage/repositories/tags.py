"""The tag vocabulary: categories, tags and aliases. Names arrive already cleaned."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.tags import Alias, Category, Tag
from bot.storage.schema.tags import (
    member_tags,
    tag_aliases,
    tag_categories,
    tag_pickers,
    tags,
)
from bot.storage.sql import insert_ignore, upsert

_TAG_COLUMNS = (tags.c.id, tags.c.name, tags.c.category_id, tag_categories.c.name.label("category"))


def _tag(row: Any) -> Tag:
    return Tag(id=row.id, name=row.name, category_id=row.category_id, category=row.category)


class TagVocabularyRepository:
    """Categories, tags and aliases of one server."""

    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {"tags": ("created_by",)}
    table_descriptions: ClassVar[Mapping[str, str]] = {"tags": "tags you created"}

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    # -- categories -----------------------------------------------------------------------------

    async def categories(self, guild_id: int) -> list[Category]:
        rows = await self.conn.execute(
            select(tag_categories.c.id, tag_categories.c.name, tag_categories.c.position)
            .where(tag_categories.c.guild_id == guild_id)
            .order_by(tag_categories.c.position, tag_categories.c.id)
        )
        return [Category(id=r.id, name=r.name, position=r.position) for r in rows]

    async def add_category(self, guild_id: int, name: str, key: str, *, now: datetime) -> int:
        position = (
            await self.conn.execute(
                select(func.coalesce(func.max(tag_categories.c.position), -1) + 1).where(
                    tag_categories.c.guild_id == guild_id
                )
            )
        ).scalar_one()
        result = await self.conn.execute(
            insert(tag_categories).values(
                guild_id=guild_id, name=name, key=key, position=position, created_at=now
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    # -- tags -----------------------------------------------------------------------------------

    def _tag_query(self, guild_id: int) -> Any:
        return (
            select(*_TAG_COLUMNS)
            .join(tag_categories, tag_categories.c.id == tags.c.category_id)
            .where(tags.c.guild_id == guild_id)
        )

    async def tags(self, guild_id: int) -> list[Tag]:
        rows = await self.conn.execute(self._tag_query(guild_id).order_by(tags.c.key))
        return [_tag(r) for r in rows]

    async def get_tag(self, guild_id: int, tag_id: int) -> Tag | None:
        row = (
            await self.conn.execute(self._tag_query(guild_id).where(tags.c.id == tag_id))
        ).first()
        return _tag(row) if row else None

    async def tags_by_ids(self, guild_id: int, tag_ids: set[int]) -> list[Tag]:
        if not tag_ids:
            return []
        rows = await self.conn.execute(self._tag_query(guild_id).where(tags.c.id.in_(tag_ids)))
        return [_tag(r) for r in rows]

    async def count_tags(self, guild_id: int) -> int:
        return int(
            (
                await self.conn.execute(
                    select(func.count()).select_from(tags).where(tags.c.guild_id == guild_id)
                )
            ).scalar_one()
        )

    async def add_tag(
        self, guild_id: int, category_id: int, name: str, key: str, *, now: datetime, by: int | None
    ) -> int:
        result = await self.conn.execute(
            insert(tags).values(
                guild_id=guild_id,
                category_id=category_id,
                name=name,
                key=key,
                created_at=now,
                created_by=by,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    async def rename_tag(self, tag_id: int, name: str, key: str) -> None:
        await self.conn.execute(update(tags).where(tags.c.id == tag_id).values(name=name, key=key))

    async def delete_tag(self, tag_id: int) -> int:
        """Deletes the tag; its aliases and members' rows go with it (cascade)."""
        return int((await self.conn.execute(delete(tags).where(tags.c.id == tag_id))).rowcount)

    async def key_owner(self, guild_id: int, key: str) -> tuple[str, int] | None:
        """("tag", tag_id) or ("alias", tag_id) when ``key`` is taken in this server."""
        tag_id = (
            await self.conn.execute(
                select(tags.c.id).where(tags.c.guild_id == guild_id, tags.c.key == key)
            )
        ).scalar()
        if tag_id is not None:
            return "tag", int(tag_id)
        alias_tag = (
            await self.conn.execute(
                select(tag_aliases.c.tag_id).where(
                    tag_aliases.c.guild_id == guild_id, tag_aliases.c.key == key
                )
            )
        ).scalar()
        return ("alias", int(alias_tag)) if alias_tag is not None else None

    # -- aliases --------------------------------------------------------------------------------

    async def aliases(self, guild_id: int) -> list[Alias]:
        rows = await self.conn.execute(
            select(tag_aliases.c.id, tag_aliases.c.tag_id, tag_aliases.c.name)
            .where(tag_aliases.c.guild_id == guild_id)
            .order_by(tag_aliases.c.key)
        )
        return [Alias(id=r.id, tag_id=r.tag_id, name=r.name) for r in rows]

    async def aliases_of(self, tag_id: int) -> list[str]:
        rows = await self.conn.execute(
            select(tag_aliases.c.name).where(tag_aliases.c.tag_id == tag_id).order_by("key")
        )
        return [str(name) for name in rows.scalars()]

    async def add_alias(
        self, guild_id: int, tag_id: int, name: str, key: str, *, now: datetime
    ) -> bool:
        row = {"guild_id": guild_id, "tag_id": tag_id, "name": name, "key": key, "created_at": now}
        return bool(await insert_ignore(self.conn, tag_aliases, [row], ["guild_id", "key"]))

    async def delete_alias(self, guild_id: int, key: str) -> bool:
        result = await self.conn.execute(
            delete(tag_aliases).where(tag_aliases.c.guild_id == guild_id, tag_aliases.c.key == key)
        )
        return bool(result.rowcount)

    async def move_aliases(self, source_id: int, target_id: int) -> int:
        result = await self.conn.execute(
            update(tag_aliases).where(tag_aliases.c.tag_id == source_id).values(tag_id=target_id)
        )
        return int(result.rowcount)

    async def count_aliases(self, tag_id: int) -> int:
        return int(
            (
                await self.conn.execute(
                    select(func.count())
                    .select_from(tag_aliases)
                    .where(tag_aliases.c.tag_id == tag_id)
                )
            ).scalar_one()
        )

    # -- usage ------------------------------------------------------------------------------------

    async def holders(self, tag_id: int) -> int:
        return int(
            (
                await self.conn.execute(
                    select(func.count())
                    .select_from(member_tags)
                    .where(member_tags.c.tag_id == tag_id)
                )
            ).scalar_one()
        )

    async def member_counts(self, guild_id: int) -> dict[int, int]:
        rows = await self.conn.execute(
            select(member_tags.c.tag_id, func.count())
            .where(member_tags.c.guild_id == guild_id)
            .group_by(member_tags.c.tag_id)
        )
        return {int(tag_id): int(count) for tag_id, count in rows}

    # -- the public picker ----------------------------------------------------------------------

    async def picker_posted(self, guild_id: int, channel_id: int, *, at: datetime) -> None:
        values = {"guild_id": guild_id, "channel_id": channel_id, "posted_at": at}
        await upsert(self.conn, tag_pickers, values, keys=["guild_id"])

    async def picker_channel(self, guild_id: int) -> int | None:
        """Where the public picker was last posted; None if it never was."""
        found = await self.conn.execute(
            select(tag_pickers.c.channel_id).where(tag_pickers.c.guild_id == guild_id)
        )
        value = found.scalar()
        return int(value) if value is not None else None

    # -- privacy: moderators who created tags ------------------------------------------------

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Tags stay (the community uses them); who created them is forgotten."""
        result = await self.conn.execute(
            update(tags)
            .where(tags.c.guild_id == guild_id, tags.c.created_by == user_id)
            .values(created_by=None)
        )
        return int(result.rowcount)

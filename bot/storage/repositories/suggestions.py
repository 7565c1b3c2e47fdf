"""Members' proposed tags and the moderators' decisions. Names arrive already cleaned."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.tags import Suggestion, SuggestionState
from bot.storage.schema.tags import (
    tag_categories,
    tag_suggestion_supporters,
    tag_suggestions,
)
from bot.storage.types import as_utc


class TagSuggestionsRepository:
    """Members' proposed tags, who else asked for them, and the moderators' decisions."""

    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "tag_suggestions": ("user_id", "decided_by"),
        "tag_suggestion_supporters": ("user_id",),
    }
    table_descriptions: ClassVar[Mapping[str, str]] = {
        "tag_suggestions": "tags you suggested, or decided on as a moderator",
        "tag_suggestion_supporters": "tags someone else suggested first that you asked for too",
    }
    text_owners: ClassVar[Mapping[str, Mapping[str, str]]] = {
        "tag_suggestions": {"name": "user_id", "key": "user_id"}
    }

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    def _query(self) -> Any:
        return select(tag_suggestions, tag_categories.c.name.label("category")).outerjoin(
            tag_categories, tag_categories.c.id == tag_suggestions.c.category_id
        )

    @staticmethod
    def _suggestion(row: Any) -> Suggestion:
        return Suggestion(
            id=row.id,
            guild_id=row.guild_id,
            user_id=row.user_id,
            name=row.name,
            category_id=row.category_id,
            category=row.category,
            state=SuggestionState(row.state),
            created_at=as_utc(row.created_at),
            tag_id=row.tag_id,
        )

    async def add(
        self,
        guild_id: int,
        user_id: int,
        name: str,
        key: str,
        category_id: int | None,
        *,
        now: datetime,
    ) -> int:
        result = await self.conn.execute(
            insert(tag_suggestions).values(
                guild_id=guild_id,
                user_id=user_id,
                name=name,
                key=key,
                category_id=category_id,
                state=SuggestionState.PENDING.value,
                created_at=now,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    async def get(self, guild_id: int, suggestion_id: int) -> Suggestion | None:
        row = (
            await self.conn.execute(
                self._query().where(
                    tag_suggestions.c.guild_id == guild_id, tag_suggestions.c.id == suggestion_id
                )
            )
        ).first()
        return self._suggestion(row) if row else None

    async def pending(self, guild_id: int, *, limit: int, offset: int = 0) -> list[Suggestion]:
        rows = await self.conn.execute(
            self._query()
            .where(
                tag_suggestions.c.guild_id == guild_id,
                tag_suggestions.c.state == SuggestionState.PENDING.value,
            )
            .order_by(tag_suggestions.c.id)
            .limit(limit)
            .offset(offset)
        )
        return [self._suggestion(r) for r in rows]

    async def pending_count(self, guild_id: int) -> int:
        return int(
            (
                await self.conn.execute(
                    select(func.count())
                    .select_from(tag_suggestions)
                    .where(
                        tag_suggestions.c.guild_id == guild_id,
                        tag_suggestions.c.state == SuggestionState.PENDING.value,
                    )
                )
            ).scalar_one()
        )

    async def add_supporter(self, suggestion: Suggestion, user_id: int, *, now: datetime) -> bool:
        """Record that ``user_id`` asked for the same tag; False if they already had."""
        exists = (
            await self.conn.execute(
                select(tag_suggestion_supporters.c.user_id).where(
                    tag_suggestion_supporters.c.suggestion_id == suggestion.id,
                    tag_suggestion_supporters.c.user_id == user_id,
                )
            )
        ).first()
        if exists is not None:
            return False
        await self.conn.execute(
            insert(tag_suggestion_supporters).values(
                suggestion_id=suggestion.id,
                guild_id=suggestion.guild_id,
                user_id=user_id,
                created_at=now,
            )
        )
        return True

    async def supporters(self, suggestion_id: int) -> list[int]:
        """Who else asked for this suggestion, in the order they asked."""
        rows = await self.conn.execute(
            select(tag_suggestion_supporters.c.user_id)
            .where(tag_suggestion_supporters.c.suggestion_id == suggestion_id)
            .order_by(tag_suggestion_supporters.c.created_at, tag_suggestion_supporters.c.user_id)
        )
        return [int(r.user_id) for r in rows]

    async def pending_with_key(self, guild_id: int, key: str) -> Suggestion | None:
        row = (
            await self.conn.execute(
                self._query().where(
                    tag_suggestions.c.guild_id == guild_id,
                    tag_suggestions.c.key == key,
                    tag_suggestions.c.state == SuggestionState.PENDING.value,
                )
            )
        ).first()
        return self._suggestion(row) if row else None

    async def pending_keys(self, guild_id: int) -> list[tuple[int, str]]:
        """(id, key) of every pending suggestion, to find one spelled differently."""
        c = tag_suggestions.c
        rows = await self.conn.execute(
            select(c.id, c.key).where(
                c.guild_id == guild_id, c.state == SuggestionState.PENDING.value
            )
        )
        return [(int(i), str(k)) for i, k in rows.all()]

    async def pending_count_by(self, guild_id: int, user_id: int) -> int:
        return int(
            (
                await self.conn.execute(
                    select(func.count())
                    .select_from(tag_suggestions)
                    .where(
                        tag_suggestions.c.guild_id == guild_id,
                        tag_suggestions.c.user_id == user_id,
                        tag_suggestions.c.state == SuggestionState.PENDING.value,
                    )
                )
            ).scalar_one()
        )

    async def decide(
        self,
        suggestion_id: int,
        state: SuggestionState,
        *,
        by: int,
        now: datetime,
        tag_id: int | None,
    ) -> bool:
        """pending → approved/rejected, atomically; False if someone decided first."""
        result = await self.conn.execute(
            update(tag_suggestions)
            .where(
                tag_suggestions.c.id == suggestion_id,
                tag_suggestions.c.state == SuggestionState.PENDING.value,
            )
            .values(state=state.value, decided_by=by, decided_at=now, tag_id=tag_id)
        )
        return bool(result.rowcount)

    # -- privacy --------------------------------------------------------------------------------

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Deletes the member's suggestions and support, and forgets which ones they decided."""
        supported = await self.conn.execute(
            delete(tag_suggestion_supporters).where(
                tag_suggestion_supporters.c.guild_id == guild_id,
                tag_suggestion_supporters.c.user_id == user_id,
            )
        )
        result = await self.conn.execute(
            delete(tag_suggestions).where(
                tag_suggestions.c.guild_id == guild_id, tag_suggestions.c.user_id == user_id
            )
        )
        await self.conn.execute(
            update(tag_suggestions)
            .where(tag_suggestions.c.guild_id == guild_id, tag_suggestions.c.decided_by == user_id)
            .values(decided_by=None)
        )
        return int(result.rowcount) + int(supported.rowcount)

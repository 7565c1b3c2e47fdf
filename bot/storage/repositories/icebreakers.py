"""Icebreaker schedules (the shared queries in ``schedules``), prompts, posts per slot and
suggestions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.icebreakers import Schedule
from bot.storage.repositories.schedules import RecurringScheduleQueries
from bot.storage.schema.icebreakers import (
    icebreaker_posts,
    icebreaker_prompts,
    icebreaker_schedules,
    icebreaker_suggestions,
)
from bot.storage.sql import insert_ignore
from bot.storage.types import as_utc


class IcebreakersRepository(RecurringScheduleQueries[Schedule]):
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "icebreaker_schedules": ("created_by",),
        "icebreaker_prompts": ("added_by",),
        "icebreaker_suggestions": ("user_id", "decided_by"),
    }
    table_descriptions: ClassVar[Mapping[str, str]] = {
        "icebreaker_schedules": "icebreaker schedules you set up as a moderator",
        "icebreaker_prompts": "icebreaker prompts you added as a moderator",
        "icebreaker_suggestions": "icebreaker prompts you suggested, or decided on as a moderator",
    }
    text_owners: ClassVar[Mapping[str, Mapping[str, str]]] = {
        "icebreaker_suggestions": {"text": "user_id"}
    }

    def __init__(self, conn: AsyncConnection) -> None:
        super().__init__(conn, icebreaker_schedules, Schedule)

    # -- posts (one per schedule and slot) ------------------------------------------------------

    async def claim_slot(
        self,
        schedule_id: int,
        slot: datetime,
        *,
        prompt_id: int | None,
        cycle: int,
        state: str,
        now: datetime,
    ) -> bool:
        """Record the slot as handled; False if it already was (it is never handled twice)."""
        row = {
            "schedule_id": schedule_id,
            "slot": slot,
            "prompt_id": prompt_id,
            "cycle": cycle,
            "state": state,
            "created_at": now,
        }
        return bool(
            await insert_ignore(self.conn, icebreaker_posts, [row], ["schedule_id", "slot"])
        )

    async def set_post_state(self, schedule_id: int, slot: datetime, state: str) -> None:
        p = icebreaker_posts.c
        await self.conn.execute(
            update(icebreaker_posts)
            .where(p.schedule_id == schedule_id, p.slot == slot)
            .values(state=state)
        )

    async def used_in_cycle(self, schedule_id: int, cycle: int) -> set[int]:
        p = icebreaker_posts.c
        rows = await self.conn.execute(
            select(p.prompt_id).where(
                p.schedule_id == schedule_id,
                p.cycle == cycle,
                p.prompt_id.is_not(None),
                p.state.in_(("queued", "posted")),
            )
        )
        return {int(prompt_id) for prompt_id in rows.scalars()}

    async def posts(self, schedule_id: int) -> list[tuple[datetime, int | None, str]]:
        p = icebreaker_posts.c
        rows = await self.conn.execute(
            select(p.slot, p.prompt_id, p.state)
            .where(p.schedule_id == schedule_id)
            .order_by(p.slot)
        )
        return [(as_utc(slot), prompt_id, state) for slot, prompt_id, state in rows.all()]

    async def posted_count(self, guild_id: int, since: datetime) -> int:
        p, s = icebreaker_posts.c, icebreaker_schedules.c
        query = (
            select(func.count())
            .select_from(icebreaker_posts.join(icebreaker_schedules, p.schedule_id == s.id))
            .where(s.guild_id == guild_id, p.state == "posted", p.slot >= since)
        )
        return int((await self.conn.execute(query)).scalar_one())

    async def posted_slots(self, guild_id: int, start: datetime, end: datetime) -> list[datetime]:
        """The slots in ``[start, end)`` whose prompt was posted (scheduled posts)."""
        p, s = icebreaker_posts.c, icebreaker_schedules.c
        rows = await self.conn.execute(
            select(p.slot)
            .select_from(icebreaker_posts.join(icebreaker_schedules, p.schedule_id == s.id))
            .where(s.guild_id == guild_id, p.state == "posted", p.slot >= start, p.slot < end)
        )
        return [as_utc(slot) for slot in rows.scalars()]

    # -- prompts --------------------------------------------------------------------------------

    async def add_prompts(
        self,
        guild_id: int,
        prompts: list[tuple[str, str]],
        *,
        source: str,
        by: int | None,
        now: datetime,
    ) -> int:
        """Add (text, key) prompts; those already in the pool are skipped. How many were new."""
        rows = [
            {
                "guild_id": guild_id,
                "text": text,
                "key": key,
                "source": source,
                "added_by": by,
                "created_at": now,
            }
            for text, key in prompts
        ]
        return await insert_ignore(self.conn, icebreaker_prompts, rows, ["guild_id", "key"])

    async def prompt(self, guild_id: int, prompt_id: int) -> tuple[int, str] | None:
        q = icebreaker_prompts.c
        row = (
            await self.conn.execute(
                select(q.id, q.text).where(q.guild_id == guild_id, q.id == prompt_id)
            )
        ).first()
        return (int(row.id), str(row.text)) if row else None

    async def prompts(self, guild_id: int) -> list[tuple[int, str, str]]:
        q = icebreaker_prompts.c
        rows = await self.conn.execute(
            select(q.id, q.text, q.source).where(q.guild_id == guild_id).order_by(q.id)
        )
        return [(int(i), str(t), str(s)) for i, t, s in rows.all()]

    async def prompt_ids(self, guild_id: int) -> list[int]:
        q = icebreaker_prompts.c
        rows = await self.conn.execute(select(q.id).where(q.guild_id == guild_id))
        return [int(i) for i in rows.scalars()]

    async def remove_prompt(self, guild_id: int, prompt_id: int) -> bool:
        q = icebreaker_prompts.c
        result = await self.conn.execute(
            icebreaker_prompts.delete().where(q.guild_id == guild_id, q.id == prompt_id)
        )
        return bool(result.rowcount)

    # -- suggestions ----------------------------------------------------------------------------

    async def add_suggestion(self, guild_id: int, user_id: int, text: str, *, now: datetime) -> int:
        result = await self.conn.execute(
            icebreaker_suggestions.insert().values(
                guild_id=guild_id, user_id=user_id, text=text, state="pending", created_at=now
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    async def pending_suggestions(
        self, guild_id: int, *, limit: int = 5, offset: int = 0
    ) -> list[tuple[int, int, str, datetime]]:
        g = icebreaker_suggestions.c
        rows = await self.conn.execute(
            select(g.id, g.user_id, g.text, g.created_at)
            .where(g.guild_id == guild_id, g.state == "pending")
            .order_by(g.id)
            .limit(limit)
            .offset(offset)
        )
        return [(int(i), int(u), str(t), as_utc(c)) for i, u, t, c in rows.all()]

    async def pending_suggestion_texts(self, guild_id: int) -> list[tuple[int, str]]:
        """(suggester, text) of every pending suggestion: to spot one suggested again."""
        g = icebreaker_suggestions.c
        rows = await self.conn.execute(
            select(g.user_id, g.text).where(g.guild_id == guild_id, g.state == "pending")
        )
        return [(int(u), str(t)) for u, t in rows.all()]

    async def pending_count(self, guild_id: int) -> int:
        g = icebreaker_suggestions.c
        query = select(func.count()).where(g.guild_id == guild_id, g.state == "pending")
        return int((await self.conn.execute(query)).scalar_one())

    async def pending_by(self, guild_id: int, user_id: int) -> int:
        g = icebreaker_suggestions.c
        query = select(func.count()).where(
            g.guild_id == guild_id, g.user_id == user_id, g.state == "pending"
        )
        return int((await self.conn.execute(query)).scalar_one())

    async def decide_suggestion(
        self, guild_id: int, suggestion_id: int, state: str, *, by: int, now: datetime
    ) -> tuple[int, str] | None:
        """pending → ``state``; (suggester, text), or None if it was not pending."""
        g = icebreaker_suggestions.c
        row = (
            await self.conn.execute(
                select(g.user_id, g.text).where(
                    g.guild_id == guild_id, g.id == suggestion_id, g.state == "pending"
                )
            )
        ).first()
        if row is None:
            return None
        await self.conn.execute(
            update(icebreaker_suggestions)
            .where(and_(g.id == suggestion_id, g.state == "pending"))
            .values(state=state, decided_by=by, decided_at=now)
        )
        return int(row.user_id), str(row.text)

    # -- privacy --------------------------------------------------------------------------------

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """The member's suggestions go; schedules and prompts stay, unsigned."""
        g = icebreaker_suggestions.c
        result = await self.conn.execute(
            icebreaker_suggestions.delete().where(g.guild_id == guild_id, g.user_id == user_id)
        )
        for table, column in (
            (icebreaker_suggestions, "decided_by"),
            (icebreaker_schedules, "created_by"),
            (icebreaker_prompts, "added_by"),
        ):
            await self.conn.execute(
                update(table)
                .where(table.c.guild_id == guild_id, table.c[column] == user_id)
                .values({column: None})
            )
        return int(result.rowcount)

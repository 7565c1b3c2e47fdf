"""Intro rounds' groups, their members' answers, the pairs they made, and report counts.

Part of :class:`bot.storage.repositories.rounds.RoundsRepository` (split for size).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.rounds.grouping import Pair, pair
from bot.domain.rounds.rules import MeetAnswer
from bot.storage.schema.rounds import round_group_members, round_groups, rounds
from bot.storage.types import as_utc


@dataclass(frozen=True)
class GroupRow:
    id: int
    round_id: int
    guild_id: int
    thread_id: int | None
    member_ids: tuple[int, ...]


@dataclass(frozen=True)
class HistoryEntry:
    label: str
    when: datetime
    others: tuple[int, ...]
    answer: str | None


class RoundGroups:
    conn: AsyncConnection

    async def add_group(self, round_id: int, guild_id: int, member_ids: Iterable[int]) -> int:
        result = await self.conn.execute(
            round_groups.insert().values(round_id=round_id, guild_id=guild_id)
        )
        group_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        rows = [
            {
                "group_id": group_id,
                "round_id": round_id,
                "guild_id": guild_id,
                "user_id": u,
                "asked": False,
            }
            for u in member_ids
        ]
        await self.conn.execute(round_group_members.insert(), rows)
        return group_id

    async def groups(self, round_id: int) -> list[GroupRow]:
        return await self._groups(round_groups.c.round_id == round_id)

    async def group(self, group_id: int) -> GroupRow | None:
        found = await self._groups(round_groups.c.id == group_id)
        return found[0] if found else None

    async def _groups(self, where: Any) -> list[GroupRow]:
        g, m = round_groups.c, round_group_members.c
        rows = await self.conn.execute(
            select(g.id, g.round_id, g.guild_id, g.thread_id, m.user_id)
            .select_from(round_groups.join(round_group_members, m.group_id == g.id))
            .where(where)
            .order_by(g.id, m.user_id)
        )
        found: dict[int, GroupRow] = {}
        for group_id, round_id, guild_id, thread_id, user_id in rows.all():
            old = found.get(group_id)
            members = (*old.member_ids, int(user_id)) if old else (int(user_id),)
            found[group_id] = GroupRow(group_id, round_id, guild_id, thread_id, members)
        return list(found.values())

    async def set_thread(self, group_id: int, thread_id: int) -> None:
        g = round_groups.c
        await self.conn.execute(
            update(round_groups).where(g.id == group_id).values(thread_id=thread_id)
        )

    async def mark_asked(self, group_id: int) -> None:
        m = round_group_members.c
        await self.conn.execute(
            update(round_group_members).where(m.group_id == group_id).values(asked=True)
        )

    async def answer(
        self, group_id: int, user_id: int, answer: MeetAnswer, *, now: datetime
    ) -> bool:
        """Record a member's answer (a later click changes it); False if not in the group."""
        m = round_group_members.c
        result = await self.conn.execute(
            update(round_group_members)
            .where(m.group_id == group_id, m.user_id == user_id)
            .values(answer=answer.value, answered_at=now)
        )
        return bool(result.rowcount)

    async def answers(self, round_id: int) -> dict[str, int]:
        m = round_group_members.c
        rows = await self.conn.execute(
            select(m.answer, func.count()).where(m.round_id == round_id).group_by(m.answer)
        )
        return {str(answer or "none"): int(n) for answer, n in rows.all()}

    async def last_answers(
        self, guild_id: int, user_id: int, since: datetime | None
    ) -> list[str | None]:
        """The member's answers to their asked check-ins since ``since``, newest first."""
        m, r = round_group_members.c, rounds.c
        query = (
            select(m.answer)
            .select_from(round_group_members.join(rounds, r.id == m.round_id))
            .where(m.guild_id == guild_id, m.user_id == user_id, m.asked.is_(True))
            .order_by(r.created_at.desc(), r.id.desc())
            .limit(10)
        )
        if since is not None:
            query = query.where(r.created_at >= since)
        return list((await self.conn.execute(query)).scalars())

    async def recent_pairs(self, schedule_id: int, last: int) -> set[Pair]:
        """Pairs grouped in the schedule's ``last`` rounds."""
        r = rounds.c
        query = (
            select(r.id)
            .where(r.schedule_id == schedule_id)
            .order_by(r.created_at.desc())
            .limit(last)
        )
        ids = list((await self.conn.execute(query)).scalars()) if last > 0 else []
        return await self._pairs(round_group_members.c.round_id.in_(ids)) if ids else set()

    async def pairs_in(self, guild_id: int) -> set[Pair]:
        """Every pair ever grouped in the server's rounds."""
        return await self._pairs(round_group_members.c.guild_id == guild_id)

    async def _pairs(self, where: Any) -> set[Pair]:
        m = round_group_members.c
        rows = await self.conn.execute(select(m.group_id, m.user_id).where(where))
        groups: dict[int, list[int]] = {}
        for group_id, user_id in rows.all():
            groups.setdefault(group_id, []).append(int(user_id))
        return {pair(a, b) for g in groups.values() for i, a in enumerate(g) for b in g[i + 1 :]}

    async def history(self, guild_id: int, user_id: int, *, limit: int = 10) -> list[HistoryEntry]:
        m, r = round_group_members.c, rounds.c
        rows = await self.conn.execute(
            select(m.group_id, r.label, r.created_at, m.answer)
            .select_from(round_group_members.join(rounds, r.id == m.round_id))
            .where(m.guild_id == guild_id, m.user_id == user_id)
            .order_by(r.created_at.desc(), r.id.desc())
            .limit(limit)
        )
        entries = []
        for group_id, label, created_at, answer in rows.all():
            group = await self.group(group_id)
            others = tuple(u for u in (group.member_ids if group else ()) if u != user_id)
            entries.append(HistoryEntry(label, as_utc(created_at), others, answer))
        return entries

    async def unsent_groups_with(self, guild_id: int, user_id: int) -> list[GroupRow]:
        """The member's groups whose thread was not made yet (consent withdrawal cancels them)."""
        m, g = round_group_members.c, round_groups.c
        mine = select(m.group_id).where(m.guild_id == guild_id, m.user_id == user_id)
        return await self._groups(and_(g.id.in_(mine), g.thread_id.is_(None)))

    # -- reports --------------------------------------------------------------------------------

    async def count_groups(self, guild_id: int, since: datetime, until: datetime) -> int:
        g, r = round_groups.c, rounds.c
        query = (
            select(func.count())
            .select_from(round_groups.join(rounds, r.id == g.round_id))
            .where(r.guild_id == guild_id, r.created_at >= since, r.created_at < until)
        )
        return int((await self.conn.execute(query)).scalar_one())

    async def count_met(self, guild_id: int, since: datetime, until: datetime) -> int:
        """ "Met" answers given in the period."""
        return sum(n for _, n in await self.weekly_meetings(guild_id, since, until))

    async def met_times(self, guild_id: int, since: datetime, until: datetime) -> list[datetime]:
        """When each "Met" answer of the period was given (the report's weekly line)."""
        m = round_group_members.c
        rows = await self.conn.execute(
            select(m.answered_at).where(
                m.guild_id == guild_id,
                m.answer == MeetAnswer.MET.value,
                m.answered_at >= since,
                m.answered_at < until,
            )
        )
        return [as_utc(at) for at in rows.scalars()]

    async def weekly_meetings(
        self, guild_id: int, since: datetime, until: datetime
    ) -> list[tuple[date, int]]:
        """("Met" answers by the Monday of the week they were given), oldest week first."""
        m = round_group_members.c
        rows = await self.conn.execute(
            select(m.answered_at).where(
                m.guild_id == guild_id,
                m.answer == MeetAnswer.MET.value,
                m.answered_at >= since,
                m.answered_at < until,
            )
        )
        weeks: dict[date, int] = {}
        for (answered_at,) in rows.all():
            day = as_utc(answered_at).date()
            monday = day - timedelta(days=day.weekday())
            weeks[monday] = weeks.get(monday, 0) + 1
        return sorted(weeks.items())

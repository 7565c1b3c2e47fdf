"""Shared by the repository tests: row counts, a member's rows as the export reads them, and
the records several tests start from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, select

from bot.domain.mentorship.requests import MentorRequest
from bot.domain.schedules import Cadence
from bot.storage.database import Database
from bot.storage.member_data import MemberData
from bot.storage.unit_of_work import UnitOfWork
from tests.storage.world import ALICE, DAY, GUILD, NOW, OTHER


async def count_rows(db: Database, table: Table) -> int:
    async with db.read() as uow:
        query = select(func.count()).select_from(table)
        return int((await uow.conn.execute(query)).scalar_one())


async def member_rows(
    db: Database, declared: Mapping[str, tuple[str, ...]], user_id: int, guild_id: int
) -> dict[str, list[dict[str, Any]]]:
    """What the privacy export finds about the member in each declared table (a repository's
    ``member_columns``)."""
    async with db.read() as uow:
        return {
            table: await uow.member_rows.rows(table, columns, user_id, guild_id)
            for table, columns in declared.items()
        }


def declares_member_data(uow: UnitOfWork, repository: object) -> bool:
    """The repository keeps the member-data contract and the privacy service walks it."""
    return isinstance(repository, MemberData) and repository in uow.member_data


async def request_from(
    uow: UnitOfWork, mentee: int, *, at: datetime = NOW, guild: int = GUILD
) -> MentorRequest:
    """An open mentor request (tag 11, three months)."""
    return await uow.mentor_requests.add(
        guild, mentee, tag_id=11, goals="learn", term_months=3, background=None, now=at
    )


def schedule_columns(guild_id: int, next_slot_at: datetime, **changes: Any) -> dict[str, Any]:
    """The columns every schedule table has (icebreakers', rounds'): Mondays at 09:00 UTC."""
    return {
        "guild_id": guild_id,
        "channel_id": 50,
        "cadence": "weekly",
        "local_time": "09:00",
        "weekday": 0,
        "timezone": "UTC",
        "anchor": date(2027, 3, 1),
        "paused": False,
        "next_slot_at": next_slot_at,
        "created_at": NOW,
        "created_by": ALICE,
        **changes,
    }


async def add_schedules_around(
    add_schedule: Callable[[dict[str, Any]], Awaitable[Any]],
    values: Callable[..., dict[str, Any]],
) -> list[int]:
    """Four schedules for the "due" queries; the ids of the two due at ``NOW``, sooner first:
    this server's on time and the other server's a day late. One more is overdue but paused,
    the last not due yet."""
    on_time = await add_schedule(values(GUILD, NOW))
    late = await add_schedule(values(OTHER, NOW - DAY))
    await add_schedule(values(GUILD, NOW - 2 * DAY, paused=True))
    await add_schedule(values(GUILD, NOW + DAY))
    return [late.id, on_time.id]


# -- the two recurring schedule tables (icebreakers, rounds) --------------------------------


def icebreaker_schedule_values(
    guild_id: int, next_slot_at: datetime, **changes: Any
) -> dict[str, Any]:
    own = {"thread": False, "skip_if_quiet": True, "cycle": 0, "thread_problem_told": False}
    return schedule_columns(guild_id, next_slot_at, **{**own, **changes})


def round_schedule_values(guild_id: int, next_slot_at: datetime, **changes: Any) -> dict[str, Any]:
    """Every other Wednesday at 10:00 in Chicago, in pairs, no pair again for three rounds."""
    own = {
        "cadence": Cadence.BIWEEKLY.value,
        "local_time": "10:00",
        "weekday": 2,
        "timezone": "America/Chicago",
        "anchor": date(2027, 3, 3),
        "group_size": 2,
        "cooldown_rounds": 3,
    }
    return schedule_columns(guild_id, next_slot_at, **{**own, **changes})


async def claim(
    uow: UnitOfWork, source: str, *, guild: int = GUILD, checkin_at: datetime | None = None
) -> int | None:
    return await uow.rounds.claim_round(
        {
            "guild_id": guild,
            "schedule_id": None,
            "slot": None,
            "source_key": source,
            "channel_id": 60,
            "label": f"round {source}",
            "group_size": 2,
            "checkin_at": checkin_at,
            "created_at": NOW,
        }
    )

"""Shared by the repository tests: row counts, and a member's rows as the export reads them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Table, func, select

from bot.storage.database import Database

GUILD, OTHER = 1, 2  # two servers: nothing of one is ever read or touched through the other
ALICE, BOB, CARL, DAN = 100, 200, 300, 400


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

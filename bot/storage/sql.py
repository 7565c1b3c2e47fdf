"""SQL helpers shared by repositories: portable upserts for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def _insert(conn: AsyncConnection, table: Table) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


async def upsert(
    conn: AsyncConnection, table: Table, values: Mapping[str, Any], keys: Sequence[str]
) -> None:
    """Insert ``values`` or, when a row with the same ``keys`` exists, update the rest."""
    statement = _insert(conn, table).values(**values)
    updates = {name: statement.excluded[name] for name in values if name not in keys}
    statement = statement.on_conflict_do_update(index_elements=list(keys), set_=updates)
    await conn.execute(statement)


async def insert_ignore(
    conn: AsyncConnection, table: Table, rows: Sequence[Mapping[str, Any]], keys: Sequence[str]
) -> int:
    """Insert ``rows``, skipping any that clash on ``keys``; the number actually inserted."""
    if not rows:
        return 0
    statement = (
        _insert(conn, table).values(list(rows)).on_conflict_do_nothing(index_elements=list(keys))
    )
    return int((await conn.execute(statement)).rowcount)

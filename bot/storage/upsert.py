"""INSERT … ON CONFLICT DO UPDATE for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


async def upsert(
    conn: AsyncConnection, table: Table, values: Mapping[str, Any], keys: Sequence[str]
) -> None:
    """Insert ``values`` or, when a row with the same ``keys`` exists, update the rest."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(**values)
    updates = {name: statement.excluded[name] for name in values if name not in keys}
    statement = statement.on_conflict_do_update(index_elements=list(keys), set_=updates)
    await conn.execute(statement)

"""The member-data contract read generically: every stored column of every row naming a member.

The privacy export is built from this, not from code each feature writes, so a new table is
exported (and redacted, see ``bot.domain.privacy``) the day its repository declares it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, Table, Text, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.member_data import member_value
from bot.storage.schema import metadata
from bot.storage.types import as_utc

# Strings longer than this are free text (names, notes, payloads); shorter ones are codes
# (states, kinds, purposes) that say nothing about anyone.
CODE_LENGTH = 32
Row = dict[str, Any]


def _table(name: str) -> Table:
    return metadata.tables[name]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _sortable(key: tuple[Any, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple(
        (value is None, f"{value:>30}" if isinstance(value, int) else str(value)) for value in key
    )


class MemberRowsRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    @staticmethod
    def per_server(table_name: str) -> bool:
        return "guild_id" in _table(table_name).c

    @staticmethod
    def text_columns(table_name: str) -> frozenset[str]:
        """Columns that can hold free text, from the column types."""
        found = set()
        for column in _table(table_name).c:
            kind = column.type
            if isinstance(kind, Text) or (
                isinstance(kind, String) and (kind.length is None or kind.length > CODE_LENGTH)
            ):
                found.add(column.name)
        return frozenset(found)

    async def rows(
        self, table_name: str, columns: Iterable[str], user_id: int, guild_id: int | None
    ) -> list[Row]:
        """Every row of ``table_name`` where one of ``columns`` names the member, all columns;
        only rows of ``guild_id`` for a per-server table (None: every server)."""
        table = _table(table_name)
        key = list(table.primary_key.columns) or list(table.c)
        found: dict[tuple[Any, ...], Row] = {}
        for column in columns:  # one query per column, so each can use that column's index
            query = select(table).where(table.c[column] == member_value(column, user_id))
            if guild_id is not None and self.per_server(table_name):
                query = query.where(table.c.guild_id == guild_id)
            for row in (await self.conn.execute(query)).mappings():
                found.setdefault(tuple(row[c.name] for c in key), dict(row))
        ordered = sorted(found.items(), key=lambda item: _sortable(item[0]))
        return [{k: _plain(v) for k, v in row.items()} for _, row in ordered]

    async def servers_of(self, user_id: int, declared: Mapping[str, Iterable[str]]) -> set[int]:
        """Every server where some declared table holds a row naming the member."""
        found: set[int] = set()
        for table_name, columns in declared.items():
            if not self.per_server(table_name):
                continue
            table = _table(table_name)
            naming = or_(*(table.c[c] == member_value(c, user_id) for c in columns))
            rows = await self.conn.execute(select(table.c.guild_id).where(naming).distinct())
            found |= {int(g) for g in rows.scalars() if g is not None}
        return found

"""A deleted row's id is never handed out again (ARCHITECTURE "Keys that cannot collide").

Ids reach idempotency keys and Discord nonces (``intro:{id}:ask``, ``round:{id}:group:{id}``);
SQLite reuses the largest rowid after a delete unless the table has AUTOINCREMENT. Rather than
trace which ids reach a key today, every table with a surrogate id is held to the rule, so a
new table or a new key is covered without anyone remembering.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Table

from bot.clock import FakeClock
from bot.domain.delivery import Delivery
from bot.storage.database import Database, sqlite_file
from bot.storage.schema import metadata


def surrogate_id_tables() -> list[Table]:
    """Tables whose single integer primary key the database assigns."""
    found = []
    for table in metadata.sorted_tables:
        key = list(table.primary_key.columns)
        assigned = len(key) == 1 and key[0].autoincrement is not False
        if assigned and key[0].type.python_type is int and not key[0].foreign_keys:
            found.append(table)
    return found


def test_every_surrogate_id_table_declares_autoincrement() -> None:
    tables = surrogate_id_tables()
    assert {"intro_requests", "mentor_requests", "mentor_matches", "outbox"} <= {
        t.name for t in tables
    }
    assert {"round_schedules", "rounds", "round_groups", "events", "icebreaker_schedules"} <= {
        t.name for t in tables
    }
    missing = [t.name for t in tables if not t.dialect_options["sqlite"]["autoincrement"]]
    assert missing == [], f"declare sqlite_autoincrement=True on {missing}"


def _placeholder(column: Any) -> object:
    python_type = column.type.python_type
    if python_type is datetime:
        return "2026-01-01 00:00:00.000000"
    if python_type is date:
        return "2026-01-01"
    if python_type in (int, bool, float):
        return 1
    return "x"


@pytest.mark.usefixtures("sqlite_only")
async def test_the_migrated_database_never_reuses_a_deleted_newest_id(
    database: Database, db_url: str
) -> None:
    path = sqlite_file(db_url)
    assert path is not None
    reused = []
    with sqlite3.connect(path) as conn:  # foreign keys off: one table at a time, no parents
        for table in surrogate_id_tables():
            (sql,) = conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table.name,)
            ).fetchone()
            assert "AUTOINCREMENT" in sql, f"the migrations left {table.name} without it"
            columns = [c for c in table.columns if not c.primary_key]
            insert = (
                f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})"
            )
            values = [_placeholder(c) for c in columns]
            newest = conn.execute(insert, values).lastrowid
            conn.execute(f"DELETE FROM {table.name} WHERE id = ?", (newest,))
            if conn.execute(insert, values).lastrowid == newest:
                reused.append(table.name)
    assert reused == []


async def test_a_key_enqueued_again_after_its_row_was_deleted_gets_a_new_nonce(
    database: Database, clock: FakeClock
) -> None:
    ask = Delivery.dm("intro:1:ask", 7, {"content": "hi"}, guild_id=5, subject_user_id=8)
    async with database.transaction() as uow:
        assert await uow.outbox.enqueue(ask, now=clock.now())
        first = await uow.outbox.get(ask.key)
        assert first is not None
        assert first.nonce() == first.nonce()  # stable across retries
        assert await uow.outbox.delete_member(5, 8) == 1
        assert await uow.outbox.enqueue(ask, now=clock.now())
        again = await uow.outbox.get(ask.key)
    assert again is not None
    assert again.id != first.id
    assert again.nonce() != first.nonce()
    assert again.nonce("first") != first.nonce("first")

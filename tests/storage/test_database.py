"""Storage on a real SQLite file: migrations, pragmas, single writer, backup under load."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.storage.database import Database
from bot.storage.tables import guild_channels, metadata


async def test_migrations_reach_head_and_match_the_metadata(database: Database) -> None:
    assert await database.schema_version() == Database.head_version()

    def diff(sync_conn: object) -> list[object]:
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})  # type: ignore[arg-type]
        return list(compare_metadata(context, metadata))

    async with database.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_migrate_twice_is_harmless(database: Database) -> None:
    assert await database.migrate() == Database.head_version()


async def test_pragmas_in_effect(database: Database) -> None:
    async with database.read() as conn:

        async def pragma(name: str) -> object:
            return (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar()

        assert await pragma("journal_mode") == "wal"
        assert await pragma("foreign_keys") == 1
        assert await pragma("synchronous") == 2  # FULL
        assert await pragma("busy_timeout") == 10_000


async def test_write_rolls_back_on_error(database: Database) -> None:
    now = datetime.now(UTC)
    try:
        async with database.transaction() as conn:
            await conn.execute(
                guild_channels.insert().values(
                    guild_id=1, purpose="introductions", channel_id=2, updated_at=now
                )
            )
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    async with database.read() as conn:
        assert (await conn.execute(guild_channels.select())).all() == []


async def test_a_second_writer_process_is_refused(database: Database, db_url: str) -> None:
    script = (
        "import asyncio, sys\n"
        "from bot.storage.database import Database, DatabaseInUse\n"
        "async def main():\n"
        "    try:\n"
        f"        await Database.open({db_url!r})\n"
        "    except DatabaseInUse as exc:\n"
        "        print(exc); sys.exit(3)\n"
        "asyncio.run(main())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 3, result.stderr
    assert "already in use by pid" in result.stdout


async def test_lock_is_released_on_close(db_url: str) -> None:
    first = await Database.open(db_url)
    await first.close()
    second = await Database.open(db_url)
    await second.close()


async def test_backup_is_consistent_while_writes_continue(database: Database, tmp_path: Path) -> None:
    stop = asyncio.Event()
    written = 0

    async def writer() -> None:
        nonlocal written
        while not stop.is_set():
            async with database.transaction() as conn:
                await conn.execute(
                    guild_channels.insert().values(
                        guild_id=written,
                        purpose="introductions",
                        channel_id=written,
                        updated_at=datetime.now(UTC),
                    )
                )
            written += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(writer())
    while written < 50:
        await asyncio.sleep(0.01)
    reader = await Database.open(database.url, writer=False)
    try:
        copy = await reader.backup(tmp_path / "backup.sqlite3")
    finally:
        await reader.close()
    at_backup = written
    while written < at_backup + 20:  # writes carried on after the backup
        await asyncio.sleep(0.01)
    stop.set()
    await task

    with sqlite3.connect(copy) as backup:
        assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [row[0] for row in backup.execute("SELECT guild_id FROM guild_channels")]
    # A consistent snapshot: a gap-free prefix of what was committed.
    assert ids == list(range(len(ids)))
    assert 50 <= len(ids) <= written
    assert not copy.with_name(copy.name + ".partial").exists()

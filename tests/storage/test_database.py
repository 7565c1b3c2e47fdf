"""Storage on a real SQLite file: migrations, pragmas, single writer, backup under load."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from subprocess import PIPE

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.storage.database import Database
from bot.storage.schema import metadata
from bot.storage.schema.settings import guild_channels


async def test_migrations_reach_head_and_match_the_metadata(database: Database) -> None:
    assert await database.schema_version() == Database.head_version()

    def diff(sync_conn: object) -> list[object]:
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})  # type: ignore[arg-type]
        return list(compare_metadata(context, metadata))

    async with database.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_migrate_twice_is_harmless(database: Database) -> None:
    assert await database.migrate() == Database.head_version()


@pytest.mark.usefixtures("sqlite_only")
async def test_pragmas_in_effect(database: Database) -> None:
    async with database.read() as uow:

        async def pragma(name: str) -> object:
            return (await uow.conn.exec_driver_sql(f"PRAGMA {name}")).scalar()

        assert await pragma("journal_mode") == "wal"
        assert await pragma("foreign_keys") == 1
        assert await pragma("synchronous") == 2  # FULL
        assert await pragma("busy_timeout") == 10_000


async def test_write_rolls_back_on_error(database: Database) -> None:
    now = datetime.now(UTC)

    async def write_then_fail() -> None:
        async with database.transaction() as uow:
            await uow.conn.execute(
                guild_channels.insert().values(
                    guild_id=1, purpose="introductions", channel_id=2, updated_at=now
                )
            )
            assert (
                len((await uow.conn.execute(guild_channels.select())).all()) == 1
            )  # it was written
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):  # the error reaches the caller
        await write_then_fail()
    async with database.read() as uow:
        assert (await uow.conn.execute(guild_channels.select())).all() == []


@pytest.mark.usefixtures("sqlite_only")
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
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, stdout=PIPE, stderr=PIPE
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 3, stderr.decode()
    assert "already in use by pid" in stdout.decode()


@pytest.mark.usefixtures("sqlite_only")
async def test_lock_is_released_on_close(db_url: str) -> None:
    first = await Database.open(db_url)
    await first.close()
    second = await Database.open(db_url)
    await second.close()


@pytest.mark.usefixtures("sqlite_only")
async def test_backup_is_consistent_while_writes_continue(
    database: Database, tmp_path: Path
) -> None:
    """Rows keep being committed before, during and after the online backup."""
    written = 0
    enough_before, backup_done = asyncio.Event(), asyncio.Event()

    async def write_one() -> None:
        nonlocal written
        async with database.transaction() as uow:
            await uow.conn.execute(
                guild_channels.insert().values(
                    guild_id=written,
                    purpose="introductions",
                    channel_id=written,
                    updated_at=datetime.now(UTC),
                )
            )
        written += 1

    async def writer() -> None:
        while not backup_done.is_set():
            await write_one()
            if written == 50:
                enough_before.set()
            await asyncio.sleep(0)
        for _ in range(20):
            await write_one()

    task = asyncio.create_task(writer())
    await enough_before.wait()
    reader = await Database.open(database.url, writer=False)
    try:
        copy = await reader.backup(tmp_path / "backup.sqlite3")
    finally:
        await reader.close()
    backup_done.set()
    await task

    with sqlite3.connect(copy) as backup:
        assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [row[0] for row in backup.execute("SELECT guild_id FROM guild_channels")]
    # A consistent snapshot: a gap-free prefix of what was committed, missing the later rows.
    assert ids == list(range(len(ids)))
    assert 50 <= len(ids) <= written - 20
    assert not copy.with_name(copy.name + ".partial").exists()

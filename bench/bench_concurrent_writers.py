"""200 concurrent writers for 30 s through ``Database.transaction``: any "database is locked"?

    python bench/bench_concurrent_writers.py [--writers 200] [--seconds 30]

Each writer is an asyncio task doing one-row transactions back to back while readers query
alongside, as the bot's interactions, sender and scheduler do. Prints commits per second, the
p50/p99 time of a write transaction (including the wait for the write lock) and the errors seen.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.storage.database import Database
from bot.storage.schema.settings import guild_channels


async def bench(writers: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        db = await Database.open(f"sqlite+aiosqlite:///{Path(scratch) / 'load.sqlite3'}")
        await db.migrate()
        deadline = time.perf_counter() + seconds
        latencies: list[float] = []
        errors: list[str] = []
        reads = 0

        async def writer(n: int) -> None:
            i = 0
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    async with db.transaction() as uow:
                        await uow.conn.execute(
                            guild_channels.insert().values(
                                guild_id=n * 1_000_000 + i,
                                purpose="introductions",
                                channel_id=i,
                                updated_at=datetime.now(UTC),
                            )
                        )
                except OperationalError as exc:
                    errors.append(str(exc.orig))
                latencies.append(time.perf_counter() - started)
                i += 1

        async def reader() -> None:
            nonlocal reads
            while time.perf_counter() < deadline:
                async with db.read() as uow:
                    await uow.conn.execute(select(func.count()).select_from(guild_channels))
                reads += 1
                await asyncio.sleep(0.01)

        await asyncio.gather(*(writer(n) for n in range(writers)), *(reader() for _ in range(4)))
        async with db.read() as uow:
            rows = (
                await uow.conn.execute(select(func.count()).select_from(guild_channels))
            ).scalar()
        integrity = await db.integrity_check()
        await db.close()
    latencies.sort()
    locked = sum("locked" in e for e in errors)
    print(f"{writers} concurrent writers for {seconds:g} s (+4 readers), SQLite WAL, one process")
    print(f"commits {rows} ({rows / seconds:.0f}/s), reads {reads}, integrity {integrity}")
    print(
        f"write transaction p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms (includes waiting for the lock)"
    )
    print(f'errors {len(errors)}, "database is locked" {locked}')


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description=__doc__)
    cli.add_argument("--writers", type=int, default=200)
    cli.add_argument("--seconds", type=float, default=30.0)
    args = cli.parse_args()
    asyncio.run(bench(args.writers, args.seconds))

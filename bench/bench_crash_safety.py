"""Crash safety: a writer process killed with SIGKILL at random points, again and again.

    python bench/bench_crash_safety.py [--kills 200]

The writer commits one row per transaction through ``Database.transaction`` (WAL,
synchronous=FULL) and prints each row's id only after its commit returned. After every kill the
database is reopened: the integrity check must pass and every printed id must be there.
Prints "integrity ok N/N, committed rows lost 0"; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bot.storage.database import Database
from bot.storage.schema.settings import guild_channels

WRITER = """
import asyncio, sys
from datetime import UTC, datetime
from bot.storage.database import Database
from bot.storage.schema.settings import guild_channels

async def main(url, first):
    db = await Database.open(url)
    n = first
    while True:
        async with db.transaction() as uow:
            await uow.conn.execute(guild_channels.insert().values(
                guild_id=n, purpose="introductions", channel_id=n, updated_at=datetime.now(UTC)))
        print(n, flush=True)
        n += 1

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


async def one_kill(url: str, first: int, rng: random.Random) -> list[int]:
    """Start a writer, let it commit for a random while, SIGKILL it; the ids it confirmed."""
    writer = await asyncio.create_subprocess_exec(
        sys.executable, "-c", WRITER, url, str(first), stdout=asyncio.subprocess.PIPE
    )
    assert writer.stdout is not None
    confirmed: list[int] = []
    deadline = time.monotonic() + rng.uniform(0.05, 0.6)
    first_line = await asyncio.wait_for(writer.stdout.readline(), 30)  # started and writing
    confirmed.append(int(first_line))
    while time.monotonic() < deadline:
        try:
            line = await asyncio.wait_for(writer.stdout.readline(), deadline - time.monotonic())
        except TimeoutError:
            break
        if not line:
            break
        confirmed.append(int(line))
    writer.send_signal(signal.SIGKILL)
    rest, _ = await writer.communicate()  # lines printed before the kill landed
    confirmed.extend(int(x) for x in rest.split())
    return confirmed


async def bench(kills: int, seed: int) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'crash.sqlite3'}"
        db = await Database.open(url)
        await db.migrate()
        await db.close()
        intact = lost = committed = 0
        next_id = 0
        started = time.perf_counter()
        for kill in range(1, kills + 1):
            confirmed = await one_kill(url, next_id, rng)
            committed += len(confirmed)
            db = await Database.open(url)  # the writer lock is free again once the process died
            try:
                intact += await db.integrity_check() == "ok"
                async with db.read() as uow:
                    present = set(
                        (await uow.conn.execute(select(guild_channels.c.guild_id))).scalars()
                    )
                    next_id = 1 + (
                        (
                            await uow.conn.execute(select(func.max(guild_channels.c.guild_id)))
                        ).scalar()
                        or 0
                    )
            finally:
                await db.close()
            lost += sum(1 for i in confirmed if i not in present)
            if kill % 25 == 0:
                print(f"  {kill} kills, {time.perf_counter() - started:.0f} s", flush=True)
    print(f"crash safety: {kills} SIGKILLs of a writer, {committed} commits confirmed")
    print(f"integrity ok {intact}/{kills}, committed rows lost {lost}")


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description=__doc__)
    cli.add_argument("--kills", type=int, default=200)
    cli.add_argument("--seed", type=int, default=1)
    args = cli.parse_args()
    asyncio.run(bench(args.kills, args.seed))

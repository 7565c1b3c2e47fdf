"""Concurrent writers through ``Database.transaction``: what the write lock costs and buys.

    python bench/bench_concurrent_writers.py [--writers 200] [--seconds 30] [--quick]

``Database.transaction`` takes one asyncio lock before ``BEGIN IMMEDIATE``, so SQLite never sees
two writers from this process: "0 database is locked" holds by construction and is printed only
as a check. What the bench measures instead:

* per-commit latency from timestamps: the wait (asked → transaction open: the lock, a pooled
  connection and BEGIN IMMEDIATE), the commit itself (transaction open → commit returned:
  INSERT, then COMMIT with its fsync) and the total;
  with N writers in a closed loop the total is about N / throughput (Little's law), printed
  beside it so the reader sees that figure is queueing, not SQLite;
* what the lock buys: 4 readers doing point reads (a settings row by primary key, as an
  interaction does) with 10 ms think time while the writers run, reads/s and read latency;
  WAL lets them read beside the one writer instead of queueing behind the lock;
* the same with a single writer, beside the many-writer run.

Rates divide by the measured duration (first write to last commit), not the nominal one.
Prints a table; asserts nothing. ``--quick`` (or BENCH_QUICK=1) runs 5 s per phase.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.storage.database import Database
from bot.storage.schema.settings import guild_channels

READERS = 4
READER_THINK_SECONDS = 0.01


@dataclass
class Phase:
    writers: int
    seconds: float = 0.0  # measured
    commits: int = 0
    lock_waits: list[float] = field(default_factory=list)
    commit_times: list[float] = field(default_factory=list)
    totals: list[float] = field(default_factory=list)
    read_times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    integrity: str = ""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def ms(values: list[float]) -> str:
    return f"{percentile(values, 0.5) * 1000:.1f} / {percentile(values, 0.99) * 1000:.1f}"


async def run_phase(scratch: Path, writers: int, seconds: float) -> Phase:
    db = await Database.open(f"sqlite+aiosqlite:///{scratch / f'load-{writers}.sqlite3'}")
    await db.migrate()
    phase = Phase(writers)
    deadline = time.perf_counter() + seconds

    async def writer(n: int) -> None:
        i = 0
        while time.perf_counter() < deadline:
            asked = time.perf_counter()
            held = asked
            try:
                async with db.transaction() as uow:
                    held = time.perf_counter()  # lock held, transaction open
                    await uow.conn.execute(
                        guild_channels.insert().values(
                            guild_id=n * 1_000_000 + i,
                            purpose="introductions",
                            channel_id=i,
                            updated_at=datetime.now(UTC),
                        )
                    )
            except OperationalError as exc:
                phase.errors.append(str(exc.orig))
                continue
            done = time.perf_counter()
            phase.lock_waits.append(held - asked)
            phase.commit_times.append(done - held)
            phase.totals.append(done - asked)
            i += 1

    async def reader(rng: random.Random) -> None:
        while time.perf_counter() < deadline:
            wanted = rng.randrange(writers) * 1_000_000 + rng.randrange(50)
            started = time.perf_counter()
            async with db.read() as uow:
                await uow.conn.execute(
                    select(guild_channels.c.channel_id).where(
                        guild_channels.c.guild_id == wanted,
                        guild_channels.c.purpose == "introductions",
                    )
                )
            phase.read_times.append(time.perf_counter() - started)
            await asyncio.sleep(READER_THINK_SECONDS)

    started = time.perf_counter()
    await asyncio.gather(
        *(writer(n) for n in range(writers)), *(reader(random.Random(r)) for r in range(READERS))
    )
    phase.seconds = time.perf_counter() - started
    async with db.read() as uow:
        phase.commits = (
            await uow.conn.execute(select(func.count()).select_from(guild_channels))
        ).scalar() or 0
    phase.integrity = await db.integrity_check()
    await db.close()
    return phase


def report(phases: list[Phase], nominal: float) -> None:
    print(f"concurrent writers, SQLite WAL synchronous=FULL, one process, {os.cpu_count()} cores")
    print(
        f"{READERS} readers alongside (point read by primary key, {READER_THINK_SECONDS * 1000:g} "
        f"ms think time); nominal {nominal:g} s per phase, rates over the measured time"
    )
    print(
        "| figure | "
        + " | ".join(f"{p.writers} writer{'s' * (p.writers > 1)}" for p in phases)
        + " |"
    )
    print("| --- |" + " --- |" * len(phases))
    rows = {
        "measured duration": [f"{p.seconds:.1f} s" for p in phases],
        "commits (per second)": [f"{p.commits} ({p.commits / p.seconds:.0f}/s)" for p in phases],
        "wait: lock + connection + BEGIN, p50 / p99 ms": [ms(p.lock_waits) for p in phases],
        "INSERT + COMMIT p50 / p99 ms": [ms(p.commit_times) for p in phases],
        "write total p50 / p99 ms": [ms(p.totals) for p in phases],
        "writers / throughput ms": [
            f"{p.writers / (p.commits / p.seconds) * 1000:.1f}" for p in phases
        ],
        "reads (per second)": [
            f"{len(p.read_times)} ({len(p.read_times) / p.seconds:.0f}/s)" for p in phases
        ],
        "read p50 / p99 ms": [ms(p.read_times) for p in phases],
        'errors, "database is locked"': [
            f"{len(p.errors)}, {sum('locked' in e for e in p.errors)}" for p in phases
        ],
        "integrity": [p.integrity for p in phases],
    }
    for name, values in rows.items():
        print(f"| {name} | " + " | ".join(values) + " |")


async def bench(writers: int, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        phases = [await run_phase(Path(scratch), n, seconds) for n in (1, writers)]
    report(phases, seconds)


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--writers", type=int, default=200)
    cli.add_argument("--seconds", type=float, default=30.0, help="per phase (1 writer, N writers)")
    cli.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK") == "1")
    args = cli.parse_args()
    asyncio.run(bench(args.writers, 5.0 if args.quick else args.seconds))

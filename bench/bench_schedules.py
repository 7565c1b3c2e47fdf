"""Icebreaker schedules at scale: start-up with 10,000 schedules across 1,000 servers, and how
late slots are handled under that load.

    python bench/bench_schedules.py [--schedules 10000] [--quick]

* next-slot computation: ``next_slot`` for every schedule (random cadences, six DST zones,
  random times), p50/p99 of one call and the total.
* start-up: the schedules stored in SQLite (created through the repository), then what the bot
  does at start: register the jobs, start the scheduler, run the catch-up tick. Timed from
  ``scheduler.start()`` to the wake-up job being armed.
* lateness: 200 of the schedules are moved to a daily slot one or two minutes ahead; the real
  scheduler (APScheduler, system clock) wakes the service at the earliest next slot and it re-arms
  after each tick; lateness = enqueue time of each slot's post minus the slot. p50/p99.

Prints tables; asserts nothing. ``--quick`` (or BENCH_QUICK=1): 2,000 schedules, 50 timed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from bot.clock import SystemClock
from bot.domain.icebreakers import prompt_key
from bot.domain.schedules import Cadence, Recurrence, next_slot
from bot.features.icebreakers import register_slots
from bot.scheduling import Scheduler
from bot.services import Services
from bot.storage.database import Database
from bot.storage.schema.icebreakers import icebreaker_schedules
from bot.storage.schema.outbox import outbox

ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix"]
ZONES += ["America/Los_Angeles", "Europe/London"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def recurrences(count: int, rng: random.Random) -> list[Recurrence]:
    now = datetime.now(UTC)
    return [
        Recurrence(
            rng.choice(list(Cadence)),
            datetime.strptime(
                f"{rng.randint(0, 23)}:{rng.choice([0, 15, 30, 45])}", "%H:%M"
            ).time(),
            rng.choice(ZONES),
            weekday=rng.randint(0, 6),
            anchor=now.date(),
        )
        for _ in range(count)
    ]


async def seed(db: Database, recs: list[Recurrence], now: datetime) -> None:
    async with db.transaction() as uow:
        for guild in range(1000):
            texts = [f"Prompt {n} for {guild}?" for n in range(5)]
            await uow.icebreakers.add_prompts(
                guild, [(t, prompt_key(t)) for t in texts], source="bench", by=None, now=now
            )
        rows = [
            {
                "guild_id": n % 1000,
                "channel_id": 10_000 + n,
                "cadence": rec.cadence.value,
                "local_time": rec.time.strftime("%H:%M"),
                "weekday": rec.weekday,
                "timezone": rec.timezone,
                "anchor": rec.anchor,
                "thread": False,
                "skip_if_quiet": False,
                "paused": False,
                "next_slot_at": next_slot(rec, now),
                "last_slot_at": now,
                "cycle": 0,
                "thread_problem_told": False,
                "created_at": now,
            }
            for n, rec in enumerate(recs)
        ]
        await uow.conn.execute(icebreaker_schedules.insert(), rows)


async def due_soon(db: Database, recs: list[Recurrence], timed: int) -> dict[int, datetime]:
    """Give ``timed`` schedules a daily slot one or two minutes from now (their own zones)."""
    targets: dict[int, datetime] = {}
    now = datetime.now(UTC)
    async with db.transaction() as uow:
        for n in range(1, timed + 1):
            rec = recs[n - 1]
            local = (now + timedelta(minutes=1 + n % 2)).astimezone(rec.zone)
            moved = Recurrence(
                Cadence.DAILY, local.time().replace(second=0, microsecond=0), rec.timezone
            )
            slot = next_slot(moved, now)
            await uow.conn.execute(
                update(icebreaker_schedules)
                .where(icebreaker_schedules.c.id == n)
                .values(cadence="daily", local_time=moved.time.strftime("%H:%M"), next_slot_at=slot)
            )
            targets[n] = slot
    return targets


async def bench(count: int, timed: int) -> None:
    logging.disable(logging.WARNING)
    rng = random.Random(3)
    recs = recurrences(count, rng)
    now = datetime.now(UTC)
    calls = []
    started = time.perf_counter()
    for rec in recs:
        t = time.perf_counter()
        next_slot(rec, now)
        calls.append(time.perf_counter() - t)
    total = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as scratch:
        db = await Database.open(f"sqlite+aiosqlite:///{Path(scratch) / 'bench.sqlite3'}")
        await db.migrate()
        await seed(db, recs, now)
        services = Services.build(db, SystemClock())
        scheduler = Scheduler()
        register_slots(scheduler, services)
        began = time.perf_counter()
        await scheduler.start()
        startup = time.perf_counter() - began
        targets = await due_soon(db, recs, timed)
        await services.icebreaker_schedules.recurring.changed()  # re-arm, as a command would
        wait = (max(targets.values()) - datetime.now(UTC)).total_seconds() + 3
        await asyncio.sleep(wait)  # real time: the real scheduler wakes the service
        async with db.read() as uow:
            rows = (
                await uow.conn.execute(select(outbox.c.idempotency_key, outbox.c.created_at))
            ).all()
        scheduler.shutdown()
        await db.close()
    late = []
    for key, created in rows:
        schedule = int(key.split(":")[1])
        if schedule in targets:
            created = created if created.tzinfo else created.replace(tzinfo=UTC)
            late.append((created - targets[schedule]).total_seconds())
    print(f"icebreaker schedules on {os.cpu_count()} cores, {count:,} schedules in 1,000 servers")
    print("| figure | value |")
    print("| --- | --- |")
    p50, p99 = percentile(calls, 0.5) * 1e6, percentile(calls, 0.99) * 1e6
    print(f"| next_slot, one call p50 / p99 | {p50:.0f} / {p99:.0f} µs |")
    print(f"| next_slot for every schedule | {total * 1000:.0f} ms |")
    print(f"| start: scheduler start + catch-up tick + wake armed | {startup * 1000:.0f} ms |")
    if late:
        p50, p99 = percentile(late, 0.5) * 1000, percentile(late, 0.99) * 1000
        print(f"| lateness of {len(late)} slots, p50 / p99 | {p50:.0f} / {p99:.0f} ms |")
        print(f"| lateness mean | {statistics.mean(late) * 1000:.0f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    timed = 200
    if args.quick or os.environ.get("BENCH_QUICK"):
        args.schedules, timed = 2_000, 50
    asyncio.run(bench(args.schedules, timed))


if __name__ == "__main__":
    main()

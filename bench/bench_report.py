"""/setup report: the report query on a busy server, and drawing its chart.

    python bench/bench_report.py [--members 5000] [--rounds 20]

Builds a real migrated SQLite database in a temp dir with one server: ``--members`` members
holding 8 of 250 tags each (Zipf-like popularity), one introduction request per member in the
last 90 days (half accepted, 2 % reported), a snooze for one member in ten, and a daily
icebreaker schedule with 90 posted slots; a second server with the same shape so the queries
filter by server. Times ``ReportService.report`` (30 and 90 days) and ``report_chart`` (the PNG
the cog attaches, in this process: the cog runs it in a worker thread), ``--rounds`` times each
after one warm-up call; the first chart call (font cache, imports) is reported separately.
Prints a table; asserts nothing. ``--quick`` (or BENCH_QUICK=1): 1,000 members, 5 rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.domain.introductions import RequestState
from bot.services import Services
from bot.storage.database import Database
from bot.storage.schema.members import members
from bot.storage.schema.tags import member_tags
from cogs.setup._chart import report_chart

GUILDS = (1, 2)


async def seed(services: Services, clock: FakeClock, count: int) -> None:
    now = clock.now()
    rng = random.Random(7)
    weights = [1 / (rank + 1) for rank in range(250)]
    for guild in GUILDS:
        async with services.db.transaction() as uow:
            category = await uow.vocabulary.add_category(guild, "Interests", "interests", now=now)
            tag_ids = [
                await uow.vocabulary.add_tag(guild, category, f"Tag {n}", f"tag {n}", now=now, by=1)
                for n in range(250)
            ]
            await uow.conn.execute(
                members.insert(),
                [
                    {
                        "guild_id": guild,
                        "user_id": 10 + u,
                        "discoverable": True,
                        "created_at": now,
                        "updated_at": now,
                        "snoozed_at": now - timedelta(days=rng.uniform(0, 120))
                        if u % 10 == 0
                        else None,
                    }
                    for u in range(count)
                ],
            )
            rows = []
            for u in range(count):
                held = set(rng.choices(tag_ids, weights, k=12))
                for tag in list(held)[:8]:
                    rows.append(
                        {
                            "guild_id": guild,
                            "user_id": 10 + u,
                            "tag_id": tag,
                            "added_at": now - timedelta(days=rng.uniform(0, 200)),
                        }
                    )
            await uow.conn.execute(member_tags.insert(), rows)
            for u in range(count):
                at = now - timedelta(days=rng.uniform(0, 90))
                request = await uow.intro_requests.add(
                    guild,
                    10 + u,
                    10 + (u + 1) % count,
                    note=None,
                    delivered=True,
                    now=at,
                    expires_at=at + timedelta(days=7),
                )
                roll = rng.random()
                if roll < 0.5:
                    await uow.intro_requests.decide(request.id, RequestState.ACCEPTED, now=at)
                elif roll < 0.52:
                    await uow.intro_requests.decide(request.id, RequestState.REPORTED, now=at)
        view = await services.icebreaker_schedules.add(
            guild,
            500,
            cadence="daily",
            time="09:00",
            weekday=None,
            timezone="UTC",
            thread=False,
            skip_if_quiet=False,
            actor_id=1,
        )
        async with services.db.transaction() as uow:
            for day in range(90):
                slot = now - timedelta(days=day, hours=3)
                await uow.icebreakers.claim_slot(
                    view.schedule.id, slot, prompt_id=None, cycle=0, state="posted", now=slot
                )


def figures(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):.0f} ms, p99 {p99:.0f} ms, max {ms[-1]:.0f} ms"


async def main(count: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        db = await Database.open(f"sqlite+aiosqlite:///{Path(scratch) / 'bench.sqlite3'}")
        await db.migrate()
        clock = FakeClock()
        services = Services.build(db, clock)
        started = time.perf_counter()
        await seed(services, clock, count)
        print(
            f"seeded {count} members per server x {len(GUILDS)} servers "
            f"in {time.perf_counter() - started:.1f} s"
        )
        try:
            for days in (30, 90):
                await services.reports.report(GUILDS[0], days)
                timed = []
                for _ in range(rounds):
                    t = time.perf_counter()
                    report = await services.reports.report(GUILDS[0], days)
                    timed.append(time.perf_counter() - t)
                print(f"report query, {days} days: {figures(timed)} ({rounds} runs)")
                t = time.perf_counter()
                png = report_chart(report, title=f"Bench server\nLast {days} days")
                first = time.perf_counter() - t
                drawn = []
                for _ in range(rounds):
                    t = time.perf_counter()
                    png = report_chart(report, title=f"Bench server\nLast {days} days")
                    drawn.append(time.perf_counter() - t)
                print(
                    f"chart, {days} days: first {first * 1000:.0f} ms, then {figures(drawn)}, "
                    f"PNG {len(png) / 1024:.0f} KiB"
                )
        finally:
            await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    quick = args.quick or os.environ.get("BENCH_QUICK") == "1"
    asyncio.run(main(1000 if quick else args.members, 5 if quick else args.rounds))

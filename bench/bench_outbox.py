"""Time to drain 1,000 DMs through the outbox under the default budget, against the sandbox.

    python bench/bench_outbox.py [--items 1000] [--members 100] [--quick]

1,000 DMs to 100 members: 100 DM channel opens (budget 2/s) and 1,000 messages, every request
through the global budget (20/s). Two runs: the sandbox answering at once (loopback, no
latency), and the sandbox holding every request 100–250 ms before answering, as real round trips
to Discord take (the sandbox's public slow-route faults: 100 ms always, plus 50 ms three times
with probability ½ each, seeded; mean 175 ms). The sender keeps ``SenderConfig.concurrency``
items in flight, so latency costs throughput once concurrency / round trip nears the budget.
Prints the figures; asserts nothing. ``--quick`` (or BENCH_QUICK=1) sends 200 DMs to 20 members.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.clock import SystemClock
from bot.delivery.bucket import TokenBucket
from bot.delivery.sender import OutboxSender, SenderConfig
from bot.delivery.transport import DiscordTransport
from bot.domain.delivery import Delivery
from bot.services import Services
from bot.storage.database import Database
from config.settings import Settings
from sandbox.server import SandboxServer

BASE_DELAY = 0.100
EXTRA_DELAY, EXTRA_RULES = 0.050, 3  # each added with probability 1/2: 100-250 ms in all


@dataclass
class Drain:
    label: str
    delivered: int
    requests: int
    elapsed: float
    peak: int
    floor: float


def add_round_trips(server: SandboxServer) -> None:
    """Every route answers after 100-250 ms (uniform over 4 steps: 100, 150, 200, 250)."""
    server.faults.seed(11)
    server.faults.slow(None, delay=BASE_DELAY)
    for _ in range(EXTRA_RULES):
        server.faults.slow(None, delay=EXTRA_DELAY, probability=0.5)


async def drain(label: str, items: int, members: int, latency: bool) -> Drain:
    defaults = Settings()
    rate, dm_rate = defaults.delivery_rate_per_second, defaults.dm_open_rate_per_second
    with tempfile.TemporaryDirectory() as scratch:
        db = await Database.open(f"sqlite+aiosqlite:///{Path(scratch) / 'bench.sqlite3'}")
        await db.migrate()
        services = Services.build(db, SystemClock())
        async with SandboxServer() as server:
            guild = server.create_guild("Bench chapter")
            people = [guild.add_member(f"m{n}") for n in range(members)]
            async with db.transaction() as uow:
                outbox = uow.outbox
                for n in range(items):
                    person = people[n % members]
                    delivery = Delivery.dm(f"bench:{n}", person.id, {"content": f"Notice {n}"})
                    await outbox.enqueue(delivery, now=services.clock.now())
            if latency:
                add_round_trips(server)
            transport = DiscordTransport(
                api_base_url=server.api_base_url,
                token=server.token,
                bucket=TokenBucket(rate),
                dm_open_bucket=TokenBucket(dm_rate),
            )
            sender = OutboxSender(db, services.clock, transport, services.outcomes)
            started = time.perf_counter()
            await sender.start()
            await sender.drain(timeout=3600)
            elapsed = time.perf_counter() - started
            await sender.stop()
            result = Drain(
                label,
                delivered=sum(len(server.dm_messages(p)) for p in people),
                requests=len(server.requests),
                elapsed=elapsed,
                peak=server.peak_request_rate(),
                floor=0.0,
            )
        await db.close()
    result.floor = max(result.requests / rate, members / dm_rate)
    return result


def report(runs: list[Drain], items: int, members: int) -> None:
    defaults = Settings()
    rate, dm_rate = defaults.delivery_rate_per_second, defaults.dm_open_rate_per_second
    concurrency = SenderConfig().concurrency
    print(
        f"outbox drain: {items} DMs to {members} members, budget {rate:g}/s, opens {dm_rate:g}/s,"
    )
    print(f"sender concurrency {concurrency}, {os.cpu_count()} cores")
    print("| figure | " + " | ".join(r.label for r in runs) + " |")
    print("| --- |" + " --- |" * len(runs))
    rows = {
        "delivered": [f"{r.delivered} of {items}" for r in runs],
        "requests": [f"{r.requests}" for r in runs],
        "time to drain": [f"{r.elapsed:.1f} s" for r in runs],
        "throughput": [f"{r.delivered / r.elapsed:.1f} DMs/s" for r in runs],
        "mean request rate": [f"{r.requests / r.elapsed:.1f}/s" for r in runs],
        "peak request rate": [f"{r.peak}/s (budget {rate:g}/s)" for r in runs],
        "budget floor (efficiency)": [f"{r.floor:.1f} s ({r.floor / r.elapsed:.0%})" for r in runs],
    }
    for name, values in rows.items():
        print(f"| {name} | " + " | ".join(values) + " |")
    mean_trip = BASE_DELAY + EXTRA_RULES * EXTRA_DELAY / 2
    print(
        f"with round trips of mean {mean_trip * 1000:.0f} ms, {concurrency} in flight can make at "
        f"most {concurrency / mean_trip:.1f} requests/s against the budget's {rate:g}/s"
    )


async def bench(items: int, members: int) -> None:
    runs = [
        await drain("no latency", items, members, latency=False),
        await drain("100-250 ms round trips", items, members, latency=True),
    ]
    report(runs, items, members)


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--items", type=int, default=1000)
    cli.add_argument("--members", type=int, default=100)
    cli.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK") == "1")
    args = cli.parse_args()
    if args.quick:
        args.items, args.members = 200, 20
    asyncio.run(bench(args.items, args.members))

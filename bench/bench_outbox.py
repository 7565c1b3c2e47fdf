"""Time to drain 1,000 DMs through the outbox under the default budget, against the sandbox.

    python bench/bench_outbox.py [--items 1000] [--members 100]

1,000 DMs to 100 members: 100 DM channel opens (budget 2/s) and 1,000 messages, every request
through the global budget (20/s). Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bot.clock import SystemClock
from bot.delivery.bucket import TokenBucket
from bot.delivery.sender import OutboxSender
from bot.delivery.transport import DiscordTransport
from bot.domain.delivery import Delivery
from bot.services import Services
from bot.storage.database import Database
from config.settings import Settings
from sandbox.server import SandboxServer


async def bench(items: int, members: int) -> None:
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
            delivered = sum(len(server.dm_messages(p)) for p in people)
            requests = len(server.requests)
            peak = server.peak_request_rate()
        await db.close()
    floor = max(requests / rate, members / dm_rate)
    print(f"outbox drain: {items} DMs to {members} members, budget {rate:g}/s, opens {dm_rate:g}/s")
    print("| figure | value |")
    print("| --- | --- |")
    print(f"| delivered | {delivered} of {items} |")
    print(f"| requests | {requests} |")
    print(f"| time to drain | {elapsed:.1f} s |")
    print(f"| throughput | {delivered / elapsed:.1f} DMs/s |")
    print(f"| peak request rate | {peak}/s (budget {rate:g}/s) |")
    print(f"| budget floor | {floor:.1f} s (efficiency {floor / elapsed:.0%}) |")


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description=__doc__)
    cli.add_argument("--items", type=int, default=1000)
    cli.add_argument("--members", type=int, default=100)
    args = cli.parse_args()
    asyncio.run(bench(args.items, args.members))

"""/privacy at scale: export, delete and the hashed anti-abuse record on a large server.

    python bench/bench_privacy.py [--quick]

A migrated SQLite file holds a server of 100,000 members (20,000 with ``--quick``), each with
12 tags and a profile, 20,000 introduction requests, 5,000 blocks and 5,000 queued DMs, plus a
second server where a tenth of the members also are. For 50 seeded members it times the export
in one server and from DMs (every server), then the delete (one transaction, the same as
/privacy delete); then ``BlocksRepository.pairs_in`` with 0 and 2,000 hashed block records
(what /find's index rebuild reads). Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FakeClock
from bot.services import Services
from bot.storage.database import Database
from bot.storage.schema.introductions import intro_requests, member_blocks
from bot.storage.schema.members import member_profiles, members
from bot.storage.schema.outbox import outbox
from bot.storage.schema.tags import member_tags, tag_categories, tags

GUILD, SECOND = 1, 2
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
SAMPLE = 50


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1000:.1f} / p99 {p99 * 1000:.1f} ms"


async def seed(db: Database, size: int, rng: random.Random) -> list[int]:
    users = rng.sample(range(10**17, 10**18), size)
    async with db.transaction() as uow:
        c = uow.conn
        await c.execute(
            tag_categories.insert(),
            [
                {
                    "id": 1,
                    "guild_id": GUILD,
                    "name": "All",
                    "key": "all",
                    "position": 0,
                    "created_at": NOW,
                }
            ],
        )
        await c.execute(
            tags.insert(),
            [
                {
                    "id": t,
                    "guild_id": GUILD,
                    "category_id": 1,
                    "name": f"Tag {t}",
                    "key": f"tag {t}",
                    "created_at": NOW,
                    "created_by": users[t],
                }
                for t in range(1, 251)
            ],
        )
        for start in range(0, size, 5000):
            chunk = users[start : start + 5000]
            await c.execute(
                members.insert(),
                [
                    {
                        "guild_id": g,
                        "user_id": u,
                        "discoverable": True,
                        "created_at": NOW,
                        "updated_at": NOW,
                        "display_name": f"Member {u % 100000}",
                    }
                    for u in chunk
                    for g in ((GUILD, SECOND) if u % 10 == 0 else (GUILD,))
                ],
            )
            await c.execute(
                member_profiles.insert(),
                [
                    {
                        "guild_id": GUILD,
                        "user_id": u,
                        "about": "PT",
                        "looking_for": "peers",
                        "contact": "x@y.z",
                        "updated_at": NOW,
                    }
                    for u in chunk
                ],
            )
            await c.execute(
                member_tags.insert(),
                [
                    {"guild_id": GUILD, "user_id": u, "tag_id": t, "added_at": NOW}
                    for u in chunk
                    for t in rng.sample(range(1, 251), 12)
                ],
            )
        pairs = [rng.sample(users, 2) for _ in range(20_000)]
        await c.execute(
            intro_requests.insert(),
            [
                {
                    "guild_id": GUILD,
                    "requester_id": a,
                    "target_id": b,
                    "note": "hello",
                    "state": "pending",
                    "delivered": True,
                    "created_at": NOW,
                    "expires_at": NOW + timedelta(days=7),
                }
                for a, b in pairs
            ],
        )
        blocks = {tuple(rng.sample(users, 2)) for _ in range(5_000)}
        await c.execute(
            member_blocks.insert(),
            [
                {"guild_id": GUILD, "blocker_id": a, "blocked_id": b, "created_at": NOW}
                for a, b in blocks
            ],
        )
        await c.execute(
            outbox.insert(),
            [
                {
                    "idempotency_key": f"dm:{i}",
                    "guild_id": GUILD,
                    "kind": "send_dm",
                    "recipient": f"user:{u}",
                    "payload": json.dumps({"message": {"content": "hi"}}),
                    "state": "queued",
                    "attempts": 0,
                    "not_before": NOW,
                    "created_at": NOW,
                    "updated_at": NOW,
                    "subject_user_id": u,
                }
                for i, u in enumerate(rng.sample(users, 5_000))
            ],
        )
    return users


async def timed(call: object) -> float:
    start = time.perf_counter()
    await call  # type: ignore[misc]
    return time.perf_counter() - start


async def main(quick: bool) -> None:
    size = 20_000 if quick else 100_000
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as scratch:
        db = await Database.open(f"sqlite+aiosqlite:///{Path(scratch) / 'bench.sqlite3'}")
        await db.migrate()
        started = time.perf_counter()
        users = await seed(db, size, rng)
        print(f"seeded {size:,} members in {time.perf_counter() - started:.1f} s")
        services = Services.build(db, FakeClock(NOW), default_timezone="UTC")
        sample = rng.sample([u for u in users if u % 10 == 0], SAMPLE)  # in both servers
        async with db.read() as uow:
            empty = [await timed(uow.blocks.pairs_in(GUILD)) for _ in range(5)]
        here = [await timed(services.privacy.export(GUILD, u)) for u in sample]
        dms = [await timed(services.privacy.export(None, u)) for u in sample]
        size_kb = len(json.dumps(await services.privacy.export(GUILD, sample[0]))) / 1024
        deleted = [await timed(services.privacy.delete(GUILD, u)) for u in sample]
        everywhere = [
            await timed(services.privacy.delete(None, u))
            for u in rng.sample([u for u in users if u % 10 == 0 and u not in sample], SAMPLE)
        ]
        # 2,000 hashed records: delete members who blocked or were blocked.
        async with db.read() as uow:
            blockers = [a for a, _ in await uow.blocks.pairs_in(GUILD)][:2_000]
        for user in blockers[: 2_000 - 2 * SAMPLE]:
            await services.privacy.delete(GUILD, user)
        async with db.read() as uow:
            records = await uow.blocks.recorded_count(GUILD)
            hashed = [await timed(uow.blocks.pairs_in(GUILD)) for _ in range(5)]
        await db.close()
    print(f"| export in one server ({SAMPLE} members) | {ms(here)} | {size_kb:.1f} KiB each |")
    print(f"| export from DMs, 2 servers | {ms(dms)} | |")
    print(f"| delete in one server (one transaction) | {ms(deleted)} | |")
    print(f"| delete from DMs, 2 servers | {ms(everywhere)} | |")
    print(f"| blocks.pairs_in, 0 hashed records | {ms(empty)} | |")
    print(f"| blocks.pairs_in, {records:,} hashed records, {size:,} members | {ms(hashed)} | |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    asyncio.run(main(parser.parse_args().quick))

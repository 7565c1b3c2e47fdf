"""/find against /help through the sandbox: what the ranking costs a member, end to end.

    python bench/bench_find_e2e.py [--members 20000] [--queries 200] [--quick]

The real bot (built as ``python -m bot`` builds it) against the sandbox server, with a
community of ``--members`` members × 12 tags of the PT preset (Zipf-like popularity) written
straight into the database before the bot starts, so the ranking index is built at start as in
production. Members then alternate ``/find`` (one or two tags, popular and rare) and ``/help``;
each interaction's latency is the sandbox's time from dispatching INTERACTION_CREATE to
receiving the bot's callback (``Interaction.ack_latency``). Prints p50/p99 of both and the ratio
(goal: /find p50 ≤ 1.5 × /help p50). Conformance checking is off: it would dominate both.
``--quick`` (or BENCH_QUICK=1): 5,000 members, 60 queries.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.app import build_bot
from bot.clock import SystemClock
from bot.services import Services
from bot.storage.database import Database
from bot.storage.schema.members import members
from bot.storage.schema.tags import member_tags
from config.settings import load_settings
from sandbox.demo import build_demo_community
from sandbox.harness import run_client
from sandbox.server import SandboxServer

TAGS_PER_MEMBER = 12


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def seed(url: str, guild_id: int, viewers: list[int], size: int) -> list[str]:
    """The preset, then ``size`` members with 12 tags each; returns tag names by popularity."""
    db = await Database.open(url)
    try:
        await db.migrate()
        services = Services.build(db, SystemClock())
        await services.vocabulary.apply_preset(guild_id, "pt", actor_id=1)
        await services.settings.set_defaults(guild_id, actor_id=1, discoverable_by_default=True)
        index = await services.vocabulary.index(guild_id)
        tag_ids = [t.id for t in index.tags]
        weights = [1 / (rank + 5) for rank in range(len(tag_ids))]
        rng = random.Random(7)
        now = datetime.now(UTC)
        users = viewers + [10_000_000 + n for n in range(size - len(viewers))]
        async with db.transaction() as uow:
            await uow.conn.execute(
                members.insert(),
                [
                    {
                        "guild_id": guild_id,
                        "user_id": u,
                        "discoverable": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for u in users
                ],
            )
            rows = []
            for user in users:
                held: set[int] = set()
                while len(held) < TAGS_PER_MEMBER:
                    held.add(rng.choices(tag_ids, weights)[0])
                rows += [
                    {"guild_id": guild_id, "user_id": user, "tag_id": t, "added_at": now}
                    for t in held
                ]
            await uow.conn.execute(member_tags.insert(), rows)
        by_id = {t.id: t.name for t in index.tags}
        return [by_id[t] for t in tag_ids]
    finally:
        await db.close()


async def bench(size: int, queries: int) -> None:
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as scratch:
        server = SandboxServer(None)
        await server.start()
        try:
            community = build_demo_community(server)
            viewers = list(community.members.values())
            url = f"sqlite+aiosqlite:///{Path(scratch) / 'bot.sqlite3'}"
            started = time.perf_counter()
            names = await seed(url, community.guild.id, [m.id for m in viewers], size)
            seeded = time.perf_counter() - started
            config = load_settings(
                database_url=url,
                discord_api_base_url=server.api_base_url,
                discord_gateway_url=server.gateway_url,
                dev_guild_id=community.guild.id,
            )
            bot = await build_bot(config)
            async with run_client(server, bot):
                find, help_ = await measure(viewers, names, queries)
        finally:
            await server.stop()
    print(f"/find versus /help through the sandbox, {os.cpu_count()} cores")
    print(f"community: {size:,} members × {TAGS_PER_MEMBER} tags (seeded in {seeded:.1f} s)")
    print("| command | count | p50 ms | p99 ms |")
    print("| --- | --- | --- | --- |")
    for label, values in (("/find", find), ("/help", help_)):
        p50, p99 = percentile(values, 0.5) * 1000, percentile(values, 0.99) * 1000
        print(f"| {label} | {len(values)} | {p50:.1f} | {p99:.1f} |")
    ratio = percentile(find, 0.5) / percentile(help_, 0.5)
    print(f"ratio of p50s (/find ÷ /help): {ratio:.2f} (goal ≤ 1.5)")


async def measure(viewers: list, names: list[str], queries: int) -> tuple[list[float], list[float]]:
    rng = random.Random(11)
    find: list[float] = []
    help_: list[float] = []
    for n in range(queries):
        member = viewers[n % len(viewers)]
        tags = {"tag": rng.choice(names[:5] if n % 2 else names)}
        if n % 3 == 0:
            tags["tag2"] = rng.choice(names[:15])
        asked = await member.slash("find", **tags)
        await asked.final()
        helped = await member.slash("help")
        await helped.final()
        for values, ix in ((find, asked), (help_, helped)):
            if ix.ack_latency is not None:
                values.append(ix.ack_latency)
    return find, help_


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick or os.environ.get("BENCH_QUICK"):
        args.members, args.queries = 5_000, 60
    asyncio.run(bench(args.members, args.queries))


if __name__ == "__main__":
    main()

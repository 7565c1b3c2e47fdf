"""Ranking latency: ``RankingIndex.find`` / ``suggest`` on a national-association server,
against the same ``/find`` ranking done by a plain SQL query on the project's schema.

    python bench/bench_find.py [--quick] [--queries 1000] [--sql-queries 50]

Synthetic community (seeded): 100,000 members (20,000 with ``--quick``), 250 tags, 12 distinct
tags each drawn on a Zipf-like popularity (the tag of rank r with weight 1 / (r + 5): the top
tag is held by ~40 % of members, the rarest by ~1 %), about 5 % not discoverable, 1 % with a
snooze around the query instant (half of them still running), 2,000 blocks.

Reports the index build time, p50/p99 of ``find`` with one, two and three required tags
(popular, mid and rare) and of ``suggest``, peak RSS, then the same one-tag ``find`` as a SQL
query (join, group by, sum of the weights, order, limit 10) on a migrated SQLite file filled
through the real ``members`` / ``member_tags`` tables. Prints tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bot.domain.ranking import RankingIndex
from bot.storage.database import Database
from bot.storage.schema.members import members as members_table
from bot.storage.schema.tags import member_tags, tag_categories, tags

GUILD = 1
TAG_COUNT = 250
TAGS_PER_MEMBER = 12
ZIPF_SHIFT = 5  # popularity of the tag of rank r is 1 / (r + 5): the top tag ~40 % of members
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
Row = tuple[int, list[int], bool, datetime | None]


def community(size: int, seed: int = 11) -> tuple[list[Row], list[tuple[int, int]]]:
    """Members (user id, tag ids, discoverable, snoozed until) and blocks, reproducibly."""
    rng = random.Random(seed)
    tag_ids = list(range(1, TAG_COUNT + 1))  # tag id 1 is the most popular
    popularity = list(itertools.accumulate(1 / (rank + ZIPF_SHIFT) for rank in tag_ids))
    user_ids = rng.sample(range(10**17, 10**18), size)  # snowflake-sized, in no order
    rows: list[Row] = []
    for user_id in user_ids:
        held: dict[int, None] = {}  # the first 12 distinct draws, in draw order
        while len(held) < TAGS_PER_MEMBER:
            for tag in rng.choices(tag_ids, cum_weights=popularity, k=TAGS_PER_MEMBER):
                if len(held) < TAGS_PER_MEMBER:
                    held[tag] = None
        discoverable = rng.random() >= 0.05
        snoozed = None
        if rng.random() < 0.01:
            snoozed = NOW + timedelta(days=rng.randint(-60, 60))
        rows.append((user_id, sorted(held), discoverable, snoozed))
    blocks = [(rng.choice(user_ids), rng.choice(user_ids)) for _ in range(2_000)]
    return rows, blocks


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(call: Callable[[], object], times: int) -> list[float]:
    elapsed = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        elapsed.append((time.perf_counter() - started) * 1000)
    return elapsed


def query_kinds(rows: list[Row]) -> dict[str, Callable[[random.Random], tuple[int, list[int]]]]:
    """Named ways of picking (viewer, required tags) for a query."""
    viewers = [row[0] for row in rows]

    def pick(*ranges: tuple[int, int]) -> Callable[[random.Random], tuple[int, list[int]]]:
        def choose(rng: random.Random) -> tuple[int, list[int]]:
            required = [rng.randint(low, high) for low, high in ranges]
            return rng.choice(viewers), required

        return choose

    return {
        "find 1 popular (top 5)": pick((1, 5)),
        "find 1 mid (50-100)": pick((50, 100)),
        "find 1 rare (200-250)": pick((200, 250)),
        "find 2 popular+mid": pick((1, 5), (20, 60)),
        "find 2 popular": pick((1, 3), (4, 8)),
        "find 3 popular+mid+mid": pick((1, 5), (6, 20), (20, 60)),
    }


def bench_index(index: RankingIndex, rows: list[Row], queries: int) -> dict[str, list[float]]:
    rng = random.Random(3)
    ids = [row[0] for row in rows]
    figures: dict[str, list[float]] = {}
    for name, choose in query_kinds(rows).items():
        picked = [choose(rng) for _ in range(queries)]
        figures[name] = timed(lambda p=iter(picked): _find(index, *next(p)), queries)
    paged = [(rng.choice(ids), [rng.randint(1, 5)], rng.randint(1, 6) * 10) for _ in range(queries)]
    figures["find 1 popular, page 2-7"] = timed(
        lambda p=iter(paged): _find(index, *next(p)), queries
    )
    suggests = [(rng.choice(ids), rng.sample(ids, 5)) for _ in range(queries)]
    figures["suggest (5 excluded)"] = timed(
        lambda p=iter(suggests): _suggest(index, *next(p)), queries
    )
    return figures


def bench_events(index: RankingIndex, rows: list[Row], times: int) -> dict[str, list[float]]:
    """What keeping the index in step costs: joins and leaves land mid-order (bitsets shift)."""
    rng = random.Random(5)
    newcomers = iter(rng.sample(range(10**17, 10**18), times))
    picked = [row[0] for row in rng.sample(rows, 2 * times)]
    leavers, changed = iter(picked[:times]), iter(picked[times:])
    return {
        "event: set_member (new)": timed(
            lambda: index.set_member(next(newcomers), [1, 7, 40], discoverable=True), times
        ),
        "event: remove_member": timed(lambda: index.remove_member(next(leavers)), times),
        "event: set_tags": timed(lambda: index.set_tags(next(changed), [2, 9, 77]), times),
    }


def _find(index: RankingIndex, viewer: int, required: list[int], offset: int = 0) -> object:
    return index.find(viewer, required, at=NOW, offset=offset)


def _suggest(index: RankingIndex, viewer: int, excluded: list[int]) -> object:
    return index.suggest(viewer, at=NOW, excluded=excluded)


async def fill_sqlite(db: Database, rows: list[Row]) -> None:
    """The community in the real tables (members, member_tags, with a category and the tags)."""
    async with db.transaction() as uow:
        conn = uow.conn
        await conn.execute(
            tag_categories.insert(),
            [
                {"id": 1, "guild_id": GUILD, "name": "Clinical", "key": "clinical"}
                | {"position": 0, "created_at": NOW}
            ],
        )
        await conn.execute(
            tags.insert(),
            [
                {"id": t, "guild_id": GUILD, "category_id": 1, "name": f"Tag {t}"}
                | {"key": f"tag {t}", "created_at": NOW}
                for t in range(1, TAG_COUNT + 1)
            ],
        )
        for chunk in _chunks(rows, 20_000):
            await conn.execute(
                members_table.insert(),
                [
                    {"guild_id": GUILD, "user_id": u, "discoverable": d}
                    | {"created_at": NOW, "updated_at": NOW}
                    for u, _, d, _ in chunk
                ],
            )
            await conn.execute(
                member_tags.insert(),
                [
                    {"guild_id": GUILD, "user_id": u, "tag_id": t, "added_at": NOW}
                    for u, held, _, _ in chunk
                    for t in held
                ],
            )
        await conn.exec_driver_sql("ANALYZE")


def _chunks(rows: list[Row], size: int) -> list[list[Row]]:
    return [rows[start : start + size] for start in range(0, len(rows), size)]


def ranking_sql(weights: dict[int, float]) -> str:
    """The straightforward query: holders of the required tag, their tags shared with the
    viewer joined to the viewer's weights (given, as the index computes them), summed."""
    values = ", ".join(f"({tag}, {weight!r})" for tag, weight in weights.items()) or "(NULL, 0)"
    return f"""
        WITH viewer_weights(tag_id, weight) AS (VALUES {values})
        SELECT m.user_id, COALESCE(SUM(w.weight), 0) AS score
        FROM member_tags r
        JOIN members m ON m.guild_id = r.guild_id AND m.user_id = r.user_id
        LEFT JOIN member_tags s ON s.guild_id = r.guild_id AND s.user_id = r.user_id
            AND s.tag_id IN (SELECT tag_id FROM viewer_weights)
        LEFT JOIN viewer_weights w ON w.tag_id = s.tag_id
        WHERE r.guild_id = :guild AND r.tag_id = :required
            AND m.discoverable AND m.user_id != :viewer
        GROUP BY m.user_id
        ORDER BY score DESC, m.user_id
        LIMIT 10
    """


async def bench_sql(
    index: RankingIndex, rows: list[Row], queries: int
) -> tuple[float, dict[str, list[float]], float]:
    """Load time, per-kind latencies of the one-tag SQL ``/find``, and how often its first
    page names the same members as the index (it has no snoozes or blocks to apply)."""
    rng = random.Random(3)
    kinds = {k: v for k, v in query_kinds(rows).items() if k.startswith("find 1")}
    figures: dict[str, list[float]] = {}
    agreed = asked = 0
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{Path(scratch) / 'bench.sqlite3'}"
        db = await Database.open(url, synchronous="OFF")  # a throwaway file: no fsyncs needed
        try:
            await db.migrate()
            started = time.perf_counter()
            await fill_sqlite(db, rows)
            load_s = time.perf_counter() - started
            for name, choose in kinds.items():
                figures[name] = []
                for _ in range(queries):
                    viewer, required = choose(rng)
                    weights = {t: index.weight(t) for t in index.tags_of(viewer)}
                    sql = text(ranking_sql(weights))
                    params = {"guild": GUILD, "required": required[0], "viewer": viewer}
                    started = time.perf_counter()
                    async with db.read() as uow:
                        found = (await uow.conn.execute(sql, params)).all()
                    figures[name].append((time.perf_counter() - started) * 1000)
                    page = index.find(viewer, required, at=NOW)
                    agreed += [r.user_id for r in found] == [m.user_id for m in page.matches]
                    asked += 1
        finally:
            await db.close()
    return load_s, figures, agreed / max(1, asked)


def print_table(figures: dict[str, list[float]]) -> None:
    print(f"{'query':<30}{'calls':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name, values in figures.items():
        print(
            f"{name:<30}{len(values):>7}{statistics.median(values):>9.3f}"
            f"{percentile(values, 0.99):>9.3f}{max(values):>9.3f}"
        )


def main(size: int, queries: int, sql_queries: int) -> None:
    rows, blocks = community(size)
    before_mb = current_rss_mb()
    started = time.perf_counter()
    index = RankingIndex.build(rows, blocks)
    build_ms = (time.perf_counter() - started) * 1000
    index_mb = current_rss_mb() - before_mb
    figures = bench_index(index, rows, queries)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{size:,} members x {TAGS_PER_MEMBER} tags of {TAG_COUNT}, {os.cpu_count()} cores")
    print(f"index build {build_ms:.0f} ms; RSS grew {index_mb:.0f} MB while building")
    print(f"peak RSS {rss_mb:.0f} MB (the generated rows included)")
    print_table(figures | bench_events(index, rows, 200))
    if not sql_queries:
        return
    load_s, sql_figures, agreement = asyncio.run(bench_sql(index, rows, sql_queries))
    print(f"\nplain SQL on the migrated SQLite schema (loaded in {load_s:.1f} s, ANALYZEd)")
    print_table({f"SQL {name}": values for name, values in sql_figures.items()})
    print(f"SQL first page equal to the index's: {agreement:.0%} of queries")
    for name, values in sql_figures.items():
        ratio = statistics.median(values) / statistics.median(figures[name])
        tail = percentile(values, 0.99) / percentile(figures[name], 0.99)
        print(f"  {name}: SQL / index  p50 x{ratio:.0f}, p99 x{tail:.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 members, for smoke runs")
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--sql-queries", type=int, default=50, help="per kind; 0 skips SQL")
    options = parser.parse_args()
    main(20_000 if options.quick else 100_000, options.queries, options.sql_queries)

"""Two mentors claim the same mentor request at the same instant, N times (default 1,000).

    python bench/bench_mentor_claims.py [--trials 1000] [--quick]

Through ``MentorClaims.claim`` on a real SQLite file (migrated), as ``tests/services/
test_mentor_claim_race.py`` does, but timed: each trial inserts a request, starts both claims
together with ``asyncio.gather`` and counts winners, polite refusals, matches and queued thread
creations for it; the winning match is then closed so capacity stays free. Prints the counts
and the latency of the claim pair (start → both settled); asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, update

from bot.clock import FakeClock
from bot.domain.errors import Conflict
from bot.services import Services
from bot.services.mentorship import Claimed
from bot.storage.database import Database
from bot.storage.schema.mentorship import mentor_matches
from bot.storage.schema.outbox import outbox

GUILD, MOD, ANA, BEN = 1, 2, 3, 4


async def prepare(services: Services) -> int:
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    await services.settings.set_defaults(GUILD, actor_id=MOD, discoverable_by_default=True)
    await services.settings.set_channel(GUILD, "mentorship", 10, actor_id=MOD)
    for mentor in (ANA, BEN):
        await services.member_tags.add_member_tag(GUILD, mentor, "Orthopedics")
        await services.mentors.offer(GUILD, mentor, capacity=1)
    async with services.db.read() as uow:
        return (await uow.vocabulary.tags(GUILD))[0].id


async def trial(services: Services, tag_id: int, n: int) -> tuple[int, int, int, int, float]:
    async with services.db.transaction() as uow:
        request = await uow.mentor_requests.add(
            GUILD,
            10_000 + n,
            tag_id=tag_id,
            goals="Goals",
            term_months=6,
            background=None,
            now=services.clock.now(),
        )
    started = time.perf_counter()
    results = await asyncio.gather(
        services.mentor_claims.claim(request.id, ANA),
        services.mentor_claims.claim(request.id, BEN),
        return_exceptions=True,
    )
    took = time.perf_counter() - started
    won = [r for r in results if isinstance(r, Claimed)]
    refused = sum(isinstance(r, Conflict) for r in results)
    async with services.db.transaction() as uow:
        matches = (
            await uow.conn.execute(
                select(func.count()).where(mentor_matches.c.request_id == request.id)
            )
        ).scalar_one()
        threads = 0
        for claimed in won:
            threads += (
                await uow.conn.execute(
                    select(func.count()).where(
                        outbox.c.idempotency_key.like(f"mentor:match:{claimed.match.id}:thread:%")
                    )
                )
            ).scalar_one()
            await uow.conn.execute(
                update(mentor_matches)
                .where(mentor_matches.c.id == claimed.match.id)
                .values(status="closed")
            )
    return len(won), refused, matches, threads, took


async def main(trials: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}")
        await db.migrate()
        services = Services.build(db, FakeClock())
        tag_id = await prepare(services)
        outcomes = [await trial(services, tag_id, n) for n in range(trials)]
        await db.close()
    single = sum(1 for won, refused, m, t, _ in outcomes if (won, refused, m, t) == (1, 1, 1, 1))
    times = sorted(o[4] * 1000 for o in outcomes)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"trials: {trials} (cores: {os.cpu_count()})")
    print(f"exactly one winner, one polite refusal, one match, one thread: {single}/{trials}")
    doubles, nobody = sum(o[0] > 1 for o in outcomes), sum(o[0] == 0 for o in outcomes)
    print(f"double wins: {doubles}, no winner: {nobody}")
    print(f"claim pair latency: p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    quick = args.quick or os.environ.get("BENCH_QUICK") == "1"
    asyncio.run(main(100 if quick else args.trials))

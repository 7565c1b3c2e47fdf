"""A simulated fortnight per run, the bot stopped and started at random offsets (±1 s around
fire times included), 200 runs: every slot the bot was up for is posted once, none twice."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.icebreakers import prompt_key
from bot.domain.schedules import Cadence, slots_between
from bot.services import Services
from bot.storage.database import Database
from bot.storage.schema.outbox import outbox

RUNS = 200
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix"]
ZONES += ["America/Los_Angeles", "Europe/London"]
STARTS = [datetime(2026, 3, 4, tzinfo=UTC), datetime(2026, 10, 27, tzinfo=UTC)]  # DST fortnights
DAYS = 14
ONE = timedelta(seconds=1)


def outages(rng: random.Random, start: datetime) -> list[tuple[datetime, datetime]]:
    found = []
    for _ in range(rng.randint(2, 6)):
        down = start + timedelta(seconds=rng.uniform(0, DAYS * 86400))
        length = timedelta(seconds=rng.choice([1, 2, 90, 3600, 3 * 3600, 30 * 3600]))
        found.append((down, down + length))
    return sorted(found)


def is_down(at: datetime, down: list[tuple[datetime, datetime]]) -> bool:
    return any(a <= at < b for a, b in down)


async def one_run(database: Database, run: int) -> tuple[int, int, int, int]:
    rng = random.Random(run)
    start = rng.choice(STARTS) + timedelta(minutes=rng.randint(0, 1440))
    clock = FakeClock(start)
    guild = 10_000 + run
    services = Services.build(database, clock)
    async with database.transaction() as uow:
        texts = [f"Prompt {n} of run {run}?" for n in range(5)]
        await uow.icebreakers.add_prompts(
            guild, [(t, prompt_key(t)) for t in texts], source="test", by=None, now=start
        )
    cadence = rng.choice(list(Cadence))
    view = await services.icebreaker_schedules.add(
        guild,
        500 + run,
        cadence=cadence.value,
        time=f"{rng.choice([1, 2, 9, 13, 23]):02d}:{rng.choice([0, 30, 59]):02d}",
        weekday=rng.randint(0, 6),
        timezone=rng.choice(ZONES),
        thread=False,
        skip_if_quiet=False,
        actor_id=1,
    )
    schedule_id, rec = view.schedule.id, view.schedule.recurrence
    end = start + timedelta(days=DAYS)
    down = outages(rng, start)
    # Some outages begin or end a second either side of a fire time.
    for slot in slots_between(rec, start, end)[:2]:
        down.append((slot - ONE, slot + rng.choice([ONE, 2 * ONE])))
    down.sort()
    was_down = False
    while clock.now() < end:
        if is_down(clock.now(), down):
            was_down = True
            clock.set(next(b for a, b in down if a <= clock.now() < b))
            continue
        if was_down:  # a restart: new services (nothing kept in memory), then catch up
            services = Services.build(database, clock)
            was_down = False
        await services.icebreaker_schedules.tick()
        if rng.random() < 0.2:
            await services.icebreaker_schedules.tick()  # a doubled wake-up
        async with database.read() as uow:
            found = await uow.icebreakers.schedule(guild, schedule_id)
        assert found is not None
        wake = found.next_slot_at + rng.choice([-ONE, timedelta(0), ONE])
        next_down = next((a for a, _ in down if a > clock.now()), end)
        clock.set(max(clock.now() + timedelta(microseconds=1), min(wake, next_down, end)))
    async with database.read() as uow:
        handled = await uow.icebreakers.posts(schedule_id)
        keys = [
            k
            for k in (await uow.conn.execute(select(outbox.c.idempotency_key))).scalars()
            if k.startswith(f"icebreaker:{schedule_id}:")
        ]
    posted = [slot for slot, _, state in handled if state == "queued"]
    slots = slots_between(rec, start, end)
    up_at_slot = [s for s in slots if not is_down(s, down) and not is_down(s + ONE, down)]
    missed = [s for s in up_at_slot if s not in posted]
    duplicated = len(keys) - len(set(keys)) + len(posted) - len(set(posted))
    accounted = {slot for slot, _, _ in handled}
    assert accounted <= set(slots)  # nothing posted for a time that is not a slot
    assert len(keys) == len(posted)  # one outbox post per posted slot
    return len(up_at_slot), len([s for s in posted if s in up_at_slot]), len(missed), duplicated


@pytest.mark.slow
async def test_two_hundred_restarts_post_every_slot_once(database: Database) -> None:
    totals = [0, 0, 0, 0]
    for run in range(RUNS):
        for n, value in enumerate(await one_run(database, run)):
            totals[n] += value
    expected, posted, missed, duplicated = totals
    print(
        f"\nicebreaker restarts: {RUNS} runs, expected {expected}, posted {posted}, "
        f"missed {missed}, duplicated {duplicated}"
    )
    assert (missed, duplicated) == (0, 0)
    assert posted == expected > RUNS

"""Icebreaker schedules and the prompt pool, with a real database and a moved clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.delivery import FailureReason, Outcome
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.services import Services
from bot.storage.schema.outbox import outbox

GUILD, MOD, ALICE, BOB = 1001, 7, 100, 200
CHANNEL, LOG = 500, 55
# Monday 2 March 2026, 08:00 in Chicago (14:00 UTC): the week before the US spring-forward.
START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def ready(services: Services) -> Services:
    await services.settings.set_channel(GUILD, "moderation-log", LOG, actor_id=MOD)
    await services.icebreaker_prompts.import_pack(GUILD, "general", actor_id=MOD)
    return services


async def posts(services: Services) -> list[dict[str, object]]:
    async with services.db.read() as uow:
        rows = (await uow.conn.execute(select(outbox).order_by(outbox.c.id))).all()
    return [
        {"key": r.idempotency_key, "channel": r.recipient, **json.loads(r.payload)}
        for r in rows
        if r.idempotency_key.startswith("icebreaker:")
    ]


async def daily(services: Services, **options: object) -> int:
    view = await services.icebreaker_schedules.add(
        GUILD,
        CHANNEL,
        cadence=str(options.get("cadence", "daily")),
        time=str(options.get("time", "09:00")),
        weekday=options.get("weekday"),  # type: ignore[arg-type]
        timezone="America/Chicago",
        thread=bool(options.get("thread", False)),
        skip_if_quiet=bool(options.get("skip_if_quiet", False)),
        actor_id=MOD,
    )
    return view.schedule.id


async def test_a_schedules_time_zone_in_any_case_is_stored_as_iana_spells_it(
    services: Services,
) -> None:
    view = await services.icebreaker_schedules.add(
        GUILD,
        CHANNEL,
        cadence="daily",
        time="09:00",
        weekday=None,
        timezone="america/chicago",
        thread=False,
        skip_if_quiet=False,
        actor_id=MOD,
    )
    assert view.schedule.timezone == "America/Chicago"


async def test_a_daily_slot_posts_once_at_local_time(ready: Services, clock: FakeClock) -> None:
    await daily(ready)
    assert await ready.icebreaker_schedules.tick() == 0  # 08:00 local: not yet
    clock.set(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))  # 09:00 Chicago (CST, UTC-6)
    assert await ready.icebreaker_schedules.tick() == 1
    assert await ready.icebreaker_schedules.tick() == 0  # the same slot never twice
    made = await posts(ready)
    assert len(made) == 1
    assert made[0]["channel"] == f"channel:{CHANNEL}"


async def test_across_spring_forward_the_wall_clock_time_holds(
    ready: Services, clock: FakeClock
) -> None:
    schedule = await daily(ready)
    for _ in range(14):  # 2–15 March: DST begins on Sunday 8 March
        async with ready.db.read() as uow:
            found = await uow.icebreakers.schedule(GUILD, schedule)
        assert found is not None
        clock.set(found.next_slot_at + timedelta(seconds=1))  # the wake-up, a second late
        assert await ready.icebreaker_schedules.tick() == 1
    keys = [str(p["key"]) for p in await posts(ready)]
    hours = [datetime.fromisoformat(k.split(":", 2)[2]).hour for k in keys]
    assert hours == [15] * 6 + [14] * 8  # 09:00 CST until 7 March, 09:00 CDT from 8 March


async def test_a_slot_missed_while_down_is_posted_once_within_the_window(
    ready: Services, clock: FakeClock
) -> None:
    await daily(ready)
    clock.set(datetime(2026, 3, 2, 16, 30, tzinfo=UTC))  # 1.5 h late, window 2 h
    assert await ready.icebreaker_schedules.tick() == 1
    clock.set(datetime(2026, 3, 3, 18, 0, tzinfo=UTC))  # 3 h late: skipped and logged
    assert await ready.icebreaker_schedules.tick() == 0
    clock.set(datetime(2026, 3, 4, 15, 0, tzinfo=UTC))
    assert await ready.icebreaker_schedules.tick() == 1
    assert len(await posts(ready)) == 2


async def test_rotation_never_repeats_until_the_pool_is_used(
    services: Services, clock: FakeClock
) -> None:
    for n in range(5):
        await services.icebreaker_prompts.add(GUILD, f"Question number {n}?", actor_id=MOD)
    await daily(services)
    texts = []
    for day in range(10):
        clock.set(datetime(2026, 3, 2 + day, 15, 0, tzinfo=UTC))
        await services.icebreaker_schedules.tick()
    texts = [str(p["message"]["content"]) for p in await posts(services)]  # type: ignore[index]
    assert len(set(texts[:5])) == 5
    assert len(set(texts[5:])) == 5
    assert set(texts[:5]) == set(texts[5:])


async def test_pause_resume_remove(ready: Services, clock: FakeClock) -> None:
    schedule = await daily(ready)
    await ready.icebreaker_schedules.set_paused(GUILD, schedule, True, actor_id=MOD)
    clock.set(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    assert await ready.icebreaker_schedules.tick() == 0
    clock.set(datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    await ready.icebreaker_schedules.set_paused(GUILD, schedule, False, actor_id=MOD)
    assert await ready.icebreaker_schedules.tick() == 0  # the paused slot is not "missed"
    clock.set(datetime(2026, 3, 3, 15, 0, tzinfo=UTC))
    assert await ready.icebreaker_schedules.tick() == 1
    await ready.icebreaker_schedules.remove(GUILD, schedule, actor_id=MOD)
    with pytest.raises(NotFound):
        await ready.icebreaker_schedules.remove(GUILD, schedule, actor_id=MOD)


async def test_quiet_and_thread_outcomes_are_remembered(ready: Services, clock: FakeClock) -> None:
    schedule = await daily(ready, thread=True, skip_if_quiet=True)
    clock.set(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    await ready.icebreaker_schedules.tick()
    first = (await posts(ready))[0]
    assert "thread_name" in first
    assert "skip_if_quiet" not in first  # nothing to compare with before the first prompt
    async with ready.db.transaction() as uow:
        await ready.icebreaker_schedules.on_posted(
            uow, _outcome(str(first["key"]), result={"message_id": 9, "thread_id": 9}), clock.now()
        )
    clock.set(datetime(2026, 3, 3, 15, 0, tzinfo=UTC))
    await ready.icebreaker_schedules.tick()
    second = (await posts(ready))[1]
    assert second["skip_if_quiet"] == {"channel_id": 9, "last_message_id": None}
    async with ready.db.transaction() as uow:
        await ready.icebreaker_schedules.on_posted(
            uow, _outcome(str(second["key"]), failure=FailureReason.QUIET), clock.now()
        )
        assert [s for _, _, s in await uow.icebreakers.posts(schedule)] == ["posted", "quiet"]


def _outcome(
    key: str, *, result: dict[str, object] | None = None, failure: FailureReason | None = None
) -> Outcome:
    from bot.domain.delivery import DeliveryKind

    return Outcome(
        item_id=1,
        key=key,
        kind=DeliveryKind.POST_MESSAGE,
        target_id=CHANNEL,
        guild_id=GUILD,
        sent=failure is None,
        failure=failure,
        result=result or {},
    )


async def test_the_same_icebreaker_suggested_twice_is_queued_once(services: Services) -> None:
    prompts = services.icebreaker_prompts
    await prompts.suggest(GUILD, ALICE, "What got you into PT?")
    with pytest.raises(Conflict, match="Someone already suggested that icebreaker; it is waiting"):
        await prompts.suggest(GUILD, BOB, "what got you   into pt?")
    with pytest.raises(Conflict, match="You already suggested that icebreaker; it is waiting"):
        await prompts.suggest(GUILD, ALICE, "What got you into PT?")
    assert (await prompts.pending(GUILD))[1] == 1
    await prompts.suggest(GUILD, BOB, "What got you into OT?")
    assert (await prompts.pending(GUILD))[1] == 2


async def test_prompts_and_suggestions(services: Services) -> None:
    prompts = services.icebreaker_prompts
    _, added = await prompts.import_pack(GUILD, "networking", actor_id=MOD)
    assert added >= 40
    assert (await prompts.import_pack(GUILD, "networking", actor_id=MOD))[1] == 0  # twice: none
    with pytest.raises(InvalidInput, match="no pack"):
        await prompts.import_pack(GUILD, "nope", actor_id=MOD)
    mine = await prompts.add(GUILD, "What made you smile this week?", actor_id=MOD)
    with pytest.raises(Conflict):
        await prompts.add(GUILD, "what made you  SMILE this week?", actor_id=MOD)
    await prompts.remove(GUILD, mine.id, actor_id=MOD)
    await prompts.suggest(GUILD, ALICE, "Favourite CEU you took this year? @everyone")
    pending, total = await prompts.pending(GUILD)
    assert total == 1
    assert "@everyone" not in pending[0].text
    text = await prompts.decide(
        GUILD, pending[0].id, approve=True, actor_id=MOD, guild_name="Ortho SIG"
    )
    assert text in [p.text for p in await prompts.pool(GUILD)]
    with pytest.raises(Conflict):
        await prompts.decide(
            GUILD, pending[0].id, approve=False, actor_id=MOD, guild_name="Ortho SIG"
        )


async def moderation_log(services: Services) -> list[str]:
    async with services.db.read() as uow:
        rows = (await uow.conn.execute(select(outbox).order_by(outbox.c.id))).all()
    return [
        str(json.loads(r.payload)["message"]["content"])
        for r in rows
        if r.recipient == f"channel:{LOG}"
    ]


async def test_post_now_takes_its_turn_in_the_rotation(
    services: Services, clock: FakeClock
) -> None:
    for text in ("First question?", "Second question?"):
        await services.icebreaker_prompts.add(GUILD, text, actor_id=MOD)
    await daily(services)
    now_text = await services.icebreaker_schedules.post_now(GUILD, CHANNEL, actor_id=MOD)
    clock.set(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    assert await services.icebreaker_schedules.tick() == 1
    texts = [str(p["message"]["content"]) for p in await posts(services)]  # type: ignore[index]
    assert texts[0] == f"**Icebreaker** · {now_text}"
    assert len(set(texts)) == 2  # the slot posts the other prompt, not the same one again


async def test_post_now_refused_by_discord_is_logged_as_refused(
    ready: Services, clock: FakeClock
) -> None:
    schedule = await daily(ready)
    text = await ready.icebreaker_schedules.post_now(GUILD, CHANNEL, actor_id=MOD)
    key = str((await posts(ready))[0]["key"])
    async with ready.db.transaction() as uow:
        await ready.icebreaker_schedules.on_posted(
            uow, _outcome(key, failure=FailureReason.FORBIDDEN), clock.now()
        )
        assert [s for _, _, s in await uow.icebreakers.posts(schedule)] == ["failed"]
    logged = await moderation_log(ready)
    assert not any("posted an icebreaker" in line for line in logged)
    assert "could not post the icebreaker" in logged[-1]
    assert "permission" in logged[-1]
    async with ready.db.read() as uow:  # a refused prompt is not used: it comes round again
        assert await uow.icebreakers.used_in_cycle(schedule, 0) == set()
    assert text


async def test_post_now_at_the_instant_of_a_slot_leaves_the_slot_to_post(
    ready: Services, clock: FakeClock
) -> None:
    await daily(ready)
    clock.set(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))  # 09:00 Chicago: the slot itself
    await ready.icebreaker_schedules.post_now(GUILD, CHANNEL, actor_id=MOD)
    assert await ready.icebreaker_schedules.tick() == 1
    assert len(await posts(ready)) == 2

"""Intro rounds' services with real repositories, a real database and a moved clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.delivery import DeliveryKind, Outcome
from bot.domain.errors import Conflict, InvalidInput
from bot.domain.reports import Window
from bot.domain.rounds.rules import GhostChoice, MeetAnswer
from bot.services import Services
from bot.services.reports.sources import rounds_source
from bot.services.rounds.running import THREAD_HANDLER
from bot.storage.schema.outbox import outbox

GUILD, MOD, CHANNEL, LOG = 1001, 7, 500, 55
PEOPLE = [100, 200, 300, 400, 500]
# Monday 2 March 2026, 08:00 in Chicago (14:00 UTC).
START = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def pt(services: Services) -> Services:
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    await services.settings.set_defaults(GUILD, actor_id=MOD, discoverable_by_default=True)
    await services.settings.set_channel(GUILD, "moderation-log", LOG, actor_id=MOD)
    tags = ["Orthopedics", "Sports", "Research", "Neurology", "Pediatrics"]
    for number, user in enumerate(PEOPLE):
        await services.member_tags.add_member_tag(GUILD, user, "Orthopedics")
        await services.member_tags.add_member_tag(GUILD, user, tags[number])
    await services.profiles.edit(
        GUILD, 100, about="Ortho researcher", looking_for=None, contact="alice@uni.example"
    )
    return services


async def queued(services: Services, kind: DeliveryKind) -> list[tuple[str, int, dict]]:
    async with services.db.read() as uow:
        rows = (await uow.conn.execute(select(outbox).order_by(outbox.c.id))).all()
    return [
        (r.idempotency_key, int(r.recipient.split(":")[1]), json.loads(r.payload))
        for r in rows
        if r.kind == kind.value and r.state == "queued"
    ]


async def weekly(services: Services, **options: object) -> int:
    view = await services.rounds.add(
        GUILD,
        CHANNEL,
        cadence="weekly",
        weekday=2,
        time="09:00",
        actor_id=MOD,
        **options,  # type: ignore[arg-type]
    )
    return view.schedule.id


async def fire(services: Services, clock: FakeClock) -> int:
    views = await services.rounds.schedules(GUILD)
    clock.set(min(v.schedule.next_slot_at for v in views if not v.schedule.paused))
    return await services.rounds.tick()


async def settle_threads(services: Services) -> None:
    """What the sender would report: every queued thread opened (thread id = 9000 + n)."""
    for number, (key, channel, _) in enumerate(await queued(services, DeliveryKind.CREATE_THREAD)):
        async with services.db.transaction() as uow:
            await services.outcomes.dispatch(
                uow,
                THREAD_HANDLER,
                Outcome(
                    0,
                    key,
                    DeliveryKind.CREATE_THREAD,
                    channel,
                    GUILD,
                    True,
                    None,
                    {"thread_id": 9000 + number},
                ),
                services.clock.now(),
            )
            await uow.outbox.cancel([key], now=services.clock.now())


async def test_a_slot_groups_joined_members_once_in_private_threads(
    pt: Services, clock: FakeClock
) -> None:
    schedule_id = await weekly(pt)
    for user in PEOPLE:
        assert await pt.round_members.join(GUILD, user)
    assert await fire(pt, clock) == 1
    threads = await queued(pt, DeliveryKind.CREATE_THREAD)
    members = sorted(u for _, _, p in threads for u in p["member_ids"])
    assert members == PEOPLE  # five: two groups, one of them a trio
    assert sorted(len(p["member_ids"]) for _, _, p in threads) == [2, 3]
    assert all(p["private"] and p["name"].startswith("Intro round") for _, _, p in threads)
    opening = next(p for _, _, p in threads if 100 in p["member_ids"])["message"]
    assert "alice@uni.example" in json.dumps(opening)
    assert "Orthopedics" in opening["content"]
    assert await pt.rounds.tick() == 0  # the same slot never runs twice
    assert len(await queued(pt, DeliveryKind.CREATE_THREAD)) == 2
    views = await pt.rounds.schedules(GUILD)
    assert views[0].schedule.id == schedule_id
    assert views[0].schedule.next_slot_at > clock.now()


async def test_checkin_halfway_answers_and_the_ghost_rule(pt: Services, clock: FakeClock) -> None:
    await weekly(pt, cooldown_rounds=0)
    for user in PEOPLE[:2]:
        await pt.round_members.join(GUILD, user)
    for number in range(3):
        await fire(pt, clock)
        await settle_threads(pt)
        clock.advance(timedelta(days=3, hours=12))  # halfway to next Wednesday
        await pt.rounds.tick()
        checkins = [
            k for k, _, _ in await queued(pt, DeliveryKind.POST_MESSAGE) if k.endswith(":checkin")
        ]
        assert len(checkins) == number + 1
        if number == 0:
            group_id = int(checkins[0].split(":")[3])
            await pt.round_members.answer(group_id, 100, MeetAnswer.MET)
    # 200 answered none of three check-ins: left out of the fourth round and DMed once
    await fire(pt, clock)
    ghost_dms = [k for k, u, _ in await queued(pt, DeliveryKind.SEND_DM) if ":ghost:" in k]
    assert len(ghost_dms) == 1
    assert ghost_dms[0].endswith(":200")
    async with pt.db.read() as uow:
        assert await uow.rounds.count_met(GUILD, START, clock.now()) == 1
        groups = await uow.rounds.count_groups(GUILD, START, clock.now() + timedelta(seconds=1))
        report = await rounds_source(uow, GUILD, Window.last(90, now=clock.now()))
    assert report.lines["round_met"].count == 1  # what /setup report counts
    assert report.lines["round_groups"].count == groups >= 3
    assert sum(report.weekly["round_meetings"]) == 1
    said = await pt.round_members.ghost_choice(GUILD, 200, GhostChoice.KEEP)
    assert "back in" in said


async def test_skip_leave_and_joining_needs_discoverable(pt: Services, clock: FakeClock) -> None:
    await weekly(pt)
    await pt.privacy.set_discoverable(GUILD, 999, False)
    with pytest.raises(Conflict):
        await pt.round_members.join(GUILD, 999)
    for user in PEOPLE[:3]:
        await pt.round_members.join(GUILD, user)
    await pt.round_members.skip(GUILD, 300)
    await fire(pt, clock)
    threads = await queued(pt, DeliveryKind.CREATE_THREAD)
    assert sorted(u for _, _, p in threads for u in p["member_ids"]) == [100, 200]
    await pt.round_members.leave(GUILD, 200)
    with pytest.raises(Conflict):
        await pt.round_members.leave(GUILD, 200)


async def test_an_ungroupable_member_is_told_why_and_moderators_see_the_count(
    pt: Services, clock: FakeClock
) -> None:
    await weekly(pt)
    for user in PEOPLE[:2]:
        await pt.round_members.join(GUILD, user)
    await pt.privacy.block(GUILD, 100, 200)
    await fire(pt, clock)
    told = [(k, u, p) for k, u, p in await queued(pt, DeliveryKind.SEND_DM) if ":unplaced:" in k]
    assert sorted(u for _, u, _ in told) == [100, 200]
    assert "couldn't find you a group" in told[0][2]["message"]["content"]
    assert "blocked" not in told[0][2]["message"]["content"]
    notes = [p for _, c, p in await queued(pt, DeliveryKind.POST_MESSAGE) if c == LOG]
    assert any("2 member(s) could not be grouped" in n["message"]["content"] for n in notes)


async def test_withdrawing_consent_cancels_the_unopened_thread(
    pt: Services, clock: FakeClock
) -> None:
    await weekly(pt)
    for user in PEOPLE[:2]:
        await pt.round_members.join(GUILD, user)
    await fire(pt, clock)
    assert len(await queued(pt, DeliveryKind.CREATE_THREAD)) == 1
    await pt.privacy.set_discoverable(GUILD, 100, False)
    assert await queued(pt, DeliveryKind.CREATE_THREAD) == []


async def test_run_once_groups_exactly_those_members_once_per_source(pt: Services) -> None:
    result = await pt.rounds.run_once(
        GUILD, CHANNEL, [100, 200, 300], source_key="event:1", label="CSM"
    )
    assert result is not None
    assert result.groups == 1
    assert (
        await pt.rounds.run_once(GUILD, CHANNEL, [100, 200], source_key="event:1", label="CSM")
        is None
    )
    with pytest.raises(InvalidInput):
        await pt.rounds.run_once(GUILD, CHANNEL, [100], source_key="schedule:1", label="x")


async def test_privacy_show_lists_rounds_and_delete_removes_them(pt: Services) -> None:
    await pt.round_members.join(GUILD, 100)
    summary = await pt.privacy.show(GUILD, 100)
    assert summary.rounds == ("every intro round in this server",)
    await pt.privacy.delete(GUILD, 100)
    assert (await pt.privacy.show(GUILD, 100)).rounds == ()


async def test_rounds_keep_local_time_across_the_dst_change(pt: Services, clock: FakeClock) -> None:
    await weekly(pt)  # Wednesdays 09:00 America/Chicago; clocks spring forward on 8 March
    for user in PEOPLE[:2]:
        await pt.round_members.join(GUILD, user)
    await fire(pt, clock)
    first = clock.now()
    await fire(pt, clock)
    second = clock.now()
    assert [first.hour, second.hour] == [15, 14]  # UTC: 09:00 CST, then 09:00 CDT
    assert (second - first) == timedelta(days=7, hours=-1)


async def test_a_slot_missed_while_down_runs_once_if_recent_else_is_skipped(
    pt: Services, clock: FakeClock
) -> None:
    await weekly(pt)
    for user in PEOPLE[:2]:
        await pt.round_members.join(GUILD, user)
    slot = (await pt.rounds.schedules(GUILD))[0].schedule.next_slot_at
    clock.set(slot + timedelta(hours=2))  # the bot was down at the slot
    assert await pt.rounds.tick() == 1
    assert await pt.rounds.tick() == 0
    clock.set(slot + timedelta(days=7, hours=13))  # next slot, more than 12 hours late
    assert await pt.rounds.tick() == 0
    assert len(await queued(pt, DeliveryKind.CREATE_THREAD)) == 1


async def test_snoozed_and_hidden_members_sit_out_untold(pt: Services, clock: FakeClock) -> None:
    await weekly(pt)
    for user in PEOPLE[:4]:
        await pt.round_members.join(GUILD, user)
    await pt.introductions.snooze(GUILD, 300, 2)
    await pt.privacy.set_discoverable(GUILD, 400, False)
    await fire(pt, clock)
    threads = await queued(pt, DeliveryKind.CREATE_THREAD)
    assert sorted(u for _, _, p in threads for u in p["member_ids"]) == [100, 200]
    assert [u for _, u, _ in await queued(pt, DeliveryKind.SEND_DM)] == []


async def test_a_trio_with_nothing_shared_by_all_is_told_what_each_pair_shares(
    services: Services, clock: FakeClock
) -> None:
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    await services.settings.set_defaults(GUILD, actor_id=MOD, discoverable_by_default=True)
    ana, ben, cat = 100, 200, 300
    for user, tags in ((ana, ["Sports", "Research"]), (ben, ["Sports"]), (cat, ["Research"])):
        for tag in tags:
            await services.member_tags.add_member_tag(GUILD, user, tag)
    await weekly(services)
    for user in (ana, ben, cat):
        assert await services.round_members.join(GUILD, user)
    assert await fire(services, clock) == 1
    [(_, _, thread)] = await queued(services, DeliveryKind.CREATE_THREAD)
    content = thread["message"]["content"]
    assert "nothing" not in content
    assert f"<@{ana}> and <@{ben}>: Sports" in content
    assert f"<@{ana}> and <@{cat}>: Research" in content

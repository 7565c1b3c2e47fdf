"""The outbox table on a real database: idempotent enqueue, lanes, crash recovery."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.domain.delivery import Delivery, DeliveryState, FailureReason
from bot.storage.database import Database


async def enqueue(db: Database, clock: FakeClock, *deliveries: Delivery) -> list[bool]:
    async with db.transaction() as uow:
        repo = uow.outbox
        return [await repo.enqueue(d, now=clock.now()) for d in deliveries]


async def test_enqueue_is_idempotent(database: Database, clock: FakeClock) -> None:
    first = Delivery.dm("welcome:1", 1, {"content": "hi"})
    assert await enqueue(database, clock, first, first) == [True, False]
    async with database.read() as uow:
        assert (await uow.outbox.counts()) == {"queued": 1}


async def test_enqueue_rolls_back_with_the_feature(database: Database, clock: FakeClock) -> None:
    async def enqueue_then_fail() -> None:
        async with database.transaction() as uow:
            outbox = uow.outbox
            assert await outbox.enqueue(Delivery.dm("k", 1, {}), now=clock.now())
            assert await outbox.get("k") is not None  # queued inside the transaction
            raise RuntimeError("the feature's own write failed")

    with pytest.raises(RuntimeError, match="the feature's own write failed"):
        await enqueue_then_fail()
    async with database.read() as uow:
        assert await uow.outbox.get("k") is None


async def test_one_item_per_lane_in_order(database: Database, clock: FakeClock) -> None:
    await enqueue(
        database,
        clock,
        Delivery.dm("a1", 1, {"content": "1"}),
        Delivery.dm("a2", 1, {"content": "2"}),
        Delivery.post("b1", 9, {"content": "x"}),
    )
    async with database.transaction() as uow:
        repo = uow.outbox
        due = await repo.due(now=clock.now(), limit=10, exclude_dms=False)
        assert [item.key for item in due] == ["a1", "b1"]
        assert await repo.mark_sending(due[0].id, now=clock.now())
        assert not await repo.mark_sending(due[0].id, now=clock.now())  # exactly once
        # Lane 1 is busy: its second item waits even though it is due.
        due = await repo.due(now=clock.now(), limit=10, exclude_dms=False)
        assert [item.key for item in due] == ["b1"]
        assert [i.key for i in await repo.due(now=clock.now(), limit=10, exclude_dms=True)] == [
            "b1"
        ]


async def test_retry_later_and_recovery(database: Database, clock: FakeClock) -> None:
    await enqueue(database, clock, Delivery.dm("k1", 1, {}), Delivery.dm("k2", 2, {}))
    async with database.transaction() as uow:
        repo = uow.outbox
        one, two = await repo.due(now=clock.now(), limit=10, exclude_dms=False)
        await repo.mark_sending(one.id, now=clock.now())
        await repo.mark_sending(two.id, now=clock.now())
        await repo.retry_later(
            one.id, not_before=clock.now() + timedelta(seconds=30), now=clock.now()
        )
    async with database.transaction() as uow:
        repo = uow.outbox
        assert [i.key for i in await repo.due(now=clock.now(), limit=10, exclude_dms=False)] == []
        assert await repo.requeue_interrupted(now=clock.now()) == 1  # k2 was left "sending"
        due_now = await repo.due(now=clock.now(), limit=10, exclude_dms=False)
        assert [i.key for i in due_now] == ["k2"]
        later = clock.now() + timedelta(seconds=31)
        assert {i.key for i in await repo.due(now=later, limit=10, exclude_dms=False)} == {
            "k1",
            "k2",
        }
        assert (await repo.get("k2")).attempts == 1  # type: ignore[union-attr]


async def test_cancel_only_touches_queued(database: Database, clock: FakeClock) -> None:
    await enqueue(database, clock, Delivery.dm("q", 1, {}), Delivery.dm("s", 2, {}))
    async with database.transaction() as uow:
        repo = uow.outbox
        sending = await repo.get("s")
        assert sending is not None
        await repo.mark_sending(sending.id, now=clock.now())
        assert await repo.cancel(["q", "s", "missing"], now=clock.now()) == 1
        assert await repo.state_of("q") == (DeliveryState.FAILED, FailureReason.CANCELLED)
        assert await repo.state_of("s") == (DeliveryState.SENDING, None)


async def test_dm_status_and_flags(database: Database, clock: FakeClock) -> None:
    until = clock.now() + timedelta(days=7)
    async with database.transaction() as uow:
        repo = uow.outbox
        assert await repo.dms_closed_until(5) is None
        await repo.set_dms_closed(5, until, now=clock.now())
        await repo.set_flag("dms_stopped", value="x", until=until, now=clock.now())
    async with database.read() as uow:
        repo = uow.outbox
        assert await repo.dms_closed_until(5) == until
        assert await repo.flag("dms_stopped") == ("x", until)
        assert await repo.flag("nothing") is None


async def test_export_and_delete_a_members_rows(database: Database, clock: FakeClock) -> None:
    guild, other_guild, maria, sam = 1, 2, 10, 11
    await enqueue(
        database,
        clock,
        Delivery.dm("to-maria", maria, {"content": "Hi Maria"}, guild_id=guild),
        Delivery.dm(
            "about-maria",
            sam,
            {"content": "Maria wants to meet you"},
            guild_id=guild,
            subject_user_id=maria,
        ),
        Delivery.dm("elsewhere", maria, {"content": "other server"}, guild_id=other_guild),
        Delivery.dm("to-sam", sam, {"content": "Hi Sam"}, guild_id=guild),
    )
    async with database.transaction() as uow:
        repo = uow.outbox
        await repo.set_dms_closed(maria, clock.now() + timedelta(days=1), now=clock.now())
        columns = repo.member_columns["outbox"]
        rows = await uow.member_rows.rows("outbox", columns, maria, guild)
        assert [json.loads(r["payload"])["message"]["content"] for r in rows] == [
            "Hi Maria",
            "Maria wants to meet you",
        ]
        assert await repo.delete_member(guild, maria) == 2
        assert await uow.member_rows.rows("outbox", columns, maria, guild) == []
        assert await repo.forget_everywhere(maria) == 1  # the DM cool-off
        assert await repo.get("elsewhere") is not None  # other servers untouched
        assert await repo.get("to-sam") is not None

"""The scheduler convention: rebuilders once at start, fixed ids, errors logged, real jobs."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import FakeClock
from bot.domain.delivery import Delivery
from bot.features.core import HOUSEKEEPING_JOB
from bot.jobs import register_jobs
from bot.scheduling import Scheduler
from bot.services import Services
from bot.services.housekeeping import SETTLED_DELIVERY_RETENTION


async def test_rebuilders_run_once_and_ids_are_fixed() -> None:
    scheduler = Scheduler()
    runs: list[str] = []

    async def job() -> None:
        runs.append("job")

    async def rebuild(s: Scheduler) -> None:
        runs.append("rebuild")
        s.add_job("feature:tick", job, IntervalTrigger(hours=1))
        s.add_job("feature:tick", job, IntervalTrigger(hours=1))  # replaced, not doubled

    scheduler.register_rebuilder("feature", rebuild)
    with pytest.raises(ValueError, match="twice"):
        scheduler.register_rebuilder("feature", rebuild)
    await scheduler.start()
    await scheduler.start()  # a second start (a reconnect) rebuilds nothing
    try:
        assert runs == ["rebuild"]
        assert scheduler.job_ids() == ["feature:tick"]
        await scheduler.run_now("feature:tick")
        assert runs == ["rebuild", "job"]
    finally:
        scheduler.shutdown()


async def test_failures_are_logged_with_their_id_and_stop_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    scheduler = Scheduler()

    async def broken_job() -> None:
        raise RuntimeError("boom")

    async def broken_rebuild(_s: Scheduler) -> None:
        raise RuntimeError("no database")

    async def good_rebuild(s: Scheduler) -> None:
        s.add_job("good:job", broken_job, IntervalTrigger(hours=1))

    scheduler.register_rebuilder("broken", broken_rebuild)
    scheduler.register_rebuilder("good", good_rebuild)
    with caplog.at_level(logging.ERROR, logger="bot.scheduling"):
        await scheduler.start()
        try:
            assert scheduler.job_ids() == ["good:job"]
            await scheduler.run_now("good:job")  # logged, not raised
        finally:
            scheduler.shutdown()
    messages = [r.getMessage() for r in caplog.records]
    assert any("of broken failed" in m for m in messages)
    assert any("Scheduled job good:job failed" in m for m in messages)


async def test_the_bots_jobs_are_registered(services: Services) -> None:
    scheduler = Scheduler()
    register_jobs(scheduler, services)
    await scheduler.start()
    try:
        assert HOUSEKEEPING_JOB in scheduler.job_ids()
    finally:
        scheduler.shutdown()


async def test_old_settled_deliveries_are_forgotten(services: Services, clock: FakeClock) -> None:
    async with services.db.transaction() as uow:
        for key in ("old-sent", "old-queued", "recent-sent"):
            await uow.outbox.enqueue(Delivery.post(key, 5, {"content": key}), now=clock.now())
    async with services.db.read() as uow:
        items = {key: await uow.outbox.get(key) for key in ("old-sent", "recent-sent")}
    async with services.db.transaction() as uow:
        for item in items.values():
            assert item is not None
            await uow.outbox.mark_sending(item.id, now=clock.now())
    async with services.db.transaction() as uow:
        old = items["old-sent"]
        assert old is not None
        await uow.outbox.mark_sent(old.id, {"id": "1"}, now=clock.now())
    clock.advance(SETTLED_DELIVERY_RETENTION - timedelta(days=1))
    async with services.db.transaction() as uow:
        recent = items["recent-sent"]
        assert recent is not None
        await uow.outbox.mark_sent(recent.id, {"id": "2"}, now=clock.now())
    assert await services.housekeeping.forget_old_deliveries() == 0  # nothing old enough yet
    clock.advance(timedelta(days=2))
    assert await services.housekeeping.forget_old_deliveries() == 1
    async with services.db.read() as uow:
        assert await uow.outbox.get("old-sent") is None
        assert await uow.outbox.get("old-queued") is not None  # never delivered: never dropped
        assert await uow.outbox.get("recent-sent") is not None

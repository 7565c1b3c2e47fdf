"""The shapes of scheduled jobs, and their registration before the scheduler starts.

A feature lists its jobs in its manifest (``Feature.jobs``): each is a ``register`` function
that receives the scheduler and the services and adds a rebuilder that re-creates the
feature's jobs from the database at start, with the fixed job ids it adds. Two shapes cover
every feature so far:

- :func:`periodic`: one job at a fixed interval that reads what is due from the database (and,
  at start, runs once for whatever fell due while the bot was down);
- :func:`woken`: our own next-due computation drives a one-off wake-up at the earliest due
  moment, re-armed after every change, with a watchdog at an interval for a lost wake-up or a
  clock jump (icebreakers, intro rounds).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.scheduling import Scheduler
from bot.services import Services

Due = Callable[[], Awaitable[object]]
GRACE = 3600  # seconds a late run still runs (a suspended VM wakes up and catches up)


def periodic(
    scheduler: Scheduler,
    name: str,
    job_id: str,
    every: IntervalTrigger,
    run: Due,
    *,
    at_start: bool,
) -> None:
    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(job_id, run, every, misfire_grace_time=GRACE)
        if at_start:
            await run()  # whatever fell due while the bot was down

    scheduler.register_rebuilder(name, rebuild)


def woken(
    scheduler: Scheduler,
    name: str,
    *,
    watchdog_id: str,
    wake_id: str,
    every: IntervalTrigger,
    tick: Due,
    wake_listeners: list[Callable[[datetime | None], None]],
    clock: Clock,
) -> None:
    def arm(earliest: datetime | None) -> None:
        if not scheduler.running:
            return
        if earliest is None:
            scheduler.remove_job(wake_id)
            return
        # The wait is measured on the injected clock (a simulated one in tests), so a wake-up
        # that is due on it now never turns into a loop of immediate wake-ups.
        wait = max(earliest - clock.now(), timedelta(0))
        at = DateTrigger(run_date=datetime.now(UTC) + wait)
        scheduler.add_job(wake_id, tick, at, misfire_grace_time=GRACE)

    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(watchdog_id, tick, every, misfire_grace_time=GRACE)
        wake_listeners.append(arm)
        await tick()  # runs (or skips and logs) what fell due while the bot was down

    scheduler.register_rebuilder(name, rebuild)


def register_jobs(scheduler: Scheduler, services: Services) -> None:
    """Every feature's jobs, from its manifest (``bot.features``)."""
    # Imported here: the manifests import the job shapes above.
    from bot.features import FEATURES

    for feature in FEATURES:
        for job in feature.jobs:
            job.register(scheduler, services)

"""Every feature's scheduled jobs, registered before the scheduler starts (see bot.scheduling).

A feature adds one ``register`` function here; it receives the scheduler and the services and
adds a rebuilder that re-creates the feature's jobs from the database at start.
"""

from __future__ import annotations

from collections.abc import Callable

from apscheduler.triggers.interval import IntervalTrigger

from bot.scheduling import Scheduler
from bot.services import Services

HOUSEKEEPING_JOB = "housekeeping:forget-old-deliveries"
HOUSEKEEPING_EVERY = IntervalTrigger(hours=6)


def register_housekeeping(scheduler: Scheduler, services: Services) -> None:
    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(
            HOUSEKEEPING_JOB,
            services.housekeeping.forget_old_deliveries,
            HOUSEKEEPING_EVERY,
            misfire_grace_time=3600,
        )

    scheduler.register_rebuilder("housekeeping", rebuild)


INTRO_ENDINGS_JOB = "introductions:end-expired"
INTRO_ENDINGS_EVERY = IntervalTrigger(minutes=5)


def register_introductions(scheduler: Scheduler, services: Services) -> None:
    """Requests that expired: each requester hears "it didn't work out", once (see the service)."""

    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(
            INTRO_ENDINGS_JOB,
            services.introductions.end_expired,
            INTRO_ENDINGS_EVERY,
            misfire_grace_time=3600,
        )
        await services.introductions.end_expired()  # whatever fell due while the bot was down

    scheduler.register_rebuilder("introductions", rebuild)


FEATURE_JOBS: tuple[Callable[[Scheduler, Services], None], ...] = (
    register_housekeeping,
    register_introductions,
)


def register_jobs(scheduler: Scheduler, services: Services) -> None:
    for register in FEATURE_JOBS:
        register(scheduler, services)

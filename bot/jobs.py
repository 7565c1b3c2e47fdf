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


FEATURE_JOBS: tuple[Callable[[Scheduler, Services], None], ...] = (register_housekeeping,)


def register_jobs(scheduler: Scheduler, services: Services) -> None:
    for register in FEATURE_JOBS:
        register(scheduler, services)

"""APScheduler wrapper (ARCHITECTURE rule 8): it only wakes code; services decide what is due.

Features register a *rebuilder*: an async function that re-creates their jobs from the database.
Rebuilders run once at start; every job has a fixed id and ``replace_existing`` so a rebuild
never duplicates a job.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger

log = logging.getLogger(__name__)

Rebuilder = Callable[["Scheduler"], Awaitable[None]]
DEFAULT_MISFIRE_GRACE_SECONDS = 60


class Scheduler:
    def __init__(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        self._rebuilders: list[tuple[str, Rebuilder]] = []

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def register_rebuilder(self, name: str, rebuilder: Rebuilder) -> None:
        if any(existing == name for existing, _ in self._rebuilders):
            raise ValueError(f"rebuilder {name!r} is registered twice")
        self._rebuilders.append((name, rebuilder))

    async def start(self) -> None:
        """Start once (not on every reconnect) and rebuild every feature's jobs."""
        if self.running:
            log.warning("Scheduler.start called twice; ignoring")
            return
        self._scheduler.start()
        for name, rebuild in self._rebuilders:
            await rebuild(self)
            log.info("Rebuilt scheduled jobs for %s", name)

    def add_job(
        self,
        job_id: str,
        func: Callable[..., Any],
        trigger: BaseTrigger,
        *,
        misfire_grace_time: int = DEFAULT_MISFIRE_GRACE_SECONDS,
        **kwargs: Any,
    ) -> None:
        self._scheduler.add_job(
            func,
            trigger,
            id=job_id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=misfire_grace_time,
            **kwargs,
        )

    def remove_job(self, job_id: str) -> None:
        if self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs())

    def shutdown(self) -> None:
        if self.running:
            self._scheduler.shutdown(wait=False)

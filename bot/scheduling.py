"""APScheduler wrapper (ARCHITECTURE rule 8): it only wakes code; services decide what is due.

The convention every feature follows:

- A feature's jobs live with the feature, in a ``register(scheduler, services)`` function
  (``bot/jobs.py`` lists them; ``SigBot.setup_hook`` calls them before the scheduler starts).
- ``register`` adds a *rebuilder*: an async function that re-creates the feature's jobs from the
  database. Rebuilders run once at start (never on a gateway reconnect).
- Every job has a fixed id (``"<feature>:<what>[:<record id>]"``) and ``replace_existing``, so
  a rebuild never duplicates a job; ``coalesce`` and ``max_instances=1`` stop pile-ups.
- A job calls one service method; the service reads what is due from the database and the
  injected clock, so a late, early or repeated wake-up changes nothing.
- A failing job or rebuilder is logged with its id and never stops the others.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger

log = logging.getLogger(__name__)

Rebuilder = Callable[["Scheduler"], Awaitable[None]]
Job = Callable[[], Awaitable[Any]]
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
            try:
                await rebuild(self)
            except Exception:
                log.exception("Rebuilding the scheduled jobs of %s failed", name)
            else:
                log.info("Rebuilt scheduled jobs for %s", name)

    def add_job(
        self,
        job_id: str,
        func: Job,
        trigger: BaseTrigger,
        *,
        misfire_grace_time: int = DEFAULT_MISFIRE_GRACE_SECONDS,
    ) -> None:
        self._scheduler.add_job(
            _logged(job_id, func),
            trigger,
            id=job_id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=misfire_grace_time,
        )

    def remove_job(self, job_id: str) -> None:
        if self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs())

    async def run_now(self, job_id: str) -> None:
        """Run a job's function at once (tests, and moderators' "run now" commands)."""
        job = self._scheduler.get_job(job_id)
        if job is None:
            raise KeyError(job_id)
        await job.func()

    def shutdown(self) -> None:
        if self.running:
            self._scheduler.shutdown(wait=False)


def _logged(job_id: str, func: Job) -> Job:
    @functools.wraps(func)
    async def run() -> None:
        try:
            await func()
        except Exception:
            log.exception("Scheduled job %s failed; it runs again at its next time", job_id)

    return run

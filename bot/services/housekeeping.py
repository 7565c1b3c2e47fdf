"""Data the bot no longer needs is forgotten on a schedule.

A delivered (or finally failed) outbox item is kept for :data:`SETTLED_DELIVERY_RETENTION`, long
enough to dedupe any retry of the feature that queued it and to show in ``/privacy export``,
then deleted: the bot does not keep copies of old DMs and posts.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.clock import Clock
from bot.storage.database import Database

log = logging.getLogger(__name__)

SETTLED_DELIVERY_RETENTION = timedelta(days=30)


class HousekeepingService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def forget_old_deliveries(self) -> int:
        """Delete outbox items settled more than the retention period ago; how many."""
        before = self.clock.now() - SETTLED_DELIVERY_RETENTION
        async with self.db.transaction() as uow:
            purged = await uow.outbox.purge_settled(before=before)
        if purged:
            log.info("Forgot %d deliveries settled before %s", purged, before.isoformat())
        return purged

"""Moderator reports: gather every registered source in one read snapshot."""

from __future__ import annotations

from collections.abc import Sequence

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.reports import REPORT_DAYS, Report, Window, build_report
from bot.services.reports.sources import Source
from bot.storage.database import Database


class ReportService:
    def __init__(self, db: Database, clock: Clock, sources: Sequence[Source]) -> None:
        self.db = db
        self.clock = clock
        self.sources = tuple(sources)

    async def report(self, guild_id: int, days: int = 30) -> Report:
        if days not in REPORT_DAYS:
            choices = " or ".join(str(d) for d in REPORT_DAYS)
            raise InvalidInput(f"A report covers the last {choices} days.")
        window = Window.last(days, now=self.clock.now())
        async with self.db.read() as uow:
            parts = [await source(uow, guild_id, window) for source in self.sources]
        return build_report(window, parts)

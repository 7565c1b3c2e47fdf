"""Use cases. Services take plain ids, run one transaction each, and never import discord."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.services.delivery import OutcomeRouter
from bot.services.profiles import ProfileService
from bot.services.settings import SettingsService
from bot.services.tags import TagService
from bot.storage.database import Database


@dataclass
class Services:
    """Every service the cogs may call, built once in ``bot.__main__`` (or a test)."""

    db: Database
    clock: Clock
    outcomes: OutcomeRouter
    settings: SettingsService
    tags: TagService
    profiles: ProfileService

    @classmethod
    def build(cls, db: Database, clock: Clock, *, default_timezone: str = "UTC") -> Services:
        return cls(
            db=db,
            clock=clock,
            outcomes=OutcomeRouter(),
            settings=SettingsService(db, clock, default_timezone=default_timezone),
            tags=TagService(db, clock),
            profiles=ProfileService(db, clock),
        )

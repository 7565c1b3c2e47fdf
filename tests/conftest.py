"""Shared fixtures: a real SQLite file per test, migrated, and a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.services import Services
from bot.storage.database import Database


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    db = await Database.open(db_url)
    await db.migrate()
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(database: Database, clock: FakeClock) -> Services:
    return Services.build(database, clock, default_timezone="America/Chicago")

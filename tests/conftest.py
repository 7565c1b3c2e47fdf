"""Shared fixtures: a real database per test, migrated, and a fake clock.

SQLite files by default. With ``SIGBOT_TEST_DATABASE_URL=postgresql+asyncpg://…`` the storage
and service tests run against PostgreSQL instead (its public schema is reset for each test).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.clock import FakeClock
from bot.services import Services
from bot.storage.database import Database

POSTGRES_URL = os.environ.get("SIGBOT_TEST_DATABASE_URL", "")


@pytest.fixture
def asyncpg_installed() -> None:
    """PostgreSQL tests skip, with the reason, where the optional driver is not installed."""
    pytest.importorskip("asyncpg", reason="PostgreSQL needs asyncpg (pip install -e '.[postgres]')")


@pytest.fixture
def db_url(tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if POSTGRES_URL:
        request.getfixturevalue("asyncpg_installed")
        return POSTGRES_URL
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"


@pytest.fixture
def sqlite_only(db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite-specific (file, pragmas, writer lock, backup API)")


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    db = await Database.open(db_url)
    if not db.is_sqlite:
        async with db.engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
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

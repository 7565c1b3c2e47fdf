"""Fresh databases for tests that need more than one per test (a hypothesis example each).

Like the ``database`` fixture in ``tests/conftest.py``, a run uses one backend: SQLite by
default, PostgreSQL when ``SIGBOT_TEST_DATABASE_URL`` names one (CI's second pass). Parametrised
with :data:`BACKENDS`, a test lists both and skips the one this run does not use; open a
database per example with :func:`scratch_database`.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.storage.database import Database

POSTGRES_URL = os.environ.get("SIGBOT_TEST_DATABASE_URL", "")

BACKENDS = [
    pytest.param(
        "sqlite",
        id="sqlite",
        marks=pytest.mark.skipif(bool(POSTGRES_URL), reason="this run is on PostgreSQL"),
    ),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[
            pytest.mark.skipif(not POSTGRES_URL, reason="SIGBOT_TEST_DATABASE_URL is not set"),
            pytest.mark.skipif(
                importlib.util.find_spec("asyncpg") is None, reason="asyncpg is not installed"
            ),
        ],
    ),
]


@asynccontextmanager
async def scratch_database(backend: str) -> AsyncIterator[Database]:
    """An empty, migrated database: a new SQLite file, or PostgreSQL with its schema reset."""
    with tempfile.TemporaryDirectory() as scratch:
        sqlite_url = f"sqlite+aiosqlite:///{Path(scratch) / 'bot.sqlite3'}"
        database = await Database.open(POSTGRES_URL if backend == "postgresql" else sqlite_url)
        try:
            if not database.is_sqlite:  # one shared database: start from an empty schema
                async with database.engine.begin() as conn:
                    for statement in ("DROP SCHEMA public CASCADE", "CREATE SCHEMA public"):
                        await conn.execute(text(statement))
            await database.migrate()
            yield database
        finally:
            await database.close()

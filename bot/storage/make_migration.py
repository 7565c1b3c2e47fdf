"""Developer tool: write the next migration from the difference between schema and database.

    python -m bot.storage.make_migration 0003 "interest tags"

It upgrades a scratch database to head, compares it with ``bot.storage.schema`` and writes
``bot/storage/migrations/versions/<rev>_<slug>.py``. Read and tidy the result before committing.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from alembic import command

from bot.storage.database import Database


async def make_migration(revision: str, message: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        db = await Database.open(f"sqlite+aiosqlite:///{Path(scratch) / 'scratch.sqlite3'}")
        try:
            await db.migrate()
            async with db.engine.connect() as conn:
                await conn.run_sync(
                    lambda sync: command.revision(
                        Database.alembic_config(sync),
                        message=message,
                        autogenerate=True,
                        rev_id=revision,
                    )
                )
        finally:
            await db.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit('usage: python -m bot.storage.make_migration REVISION "message"')
    asyncio.run(make_migration(sys.argv[1], sys.argv[2]))

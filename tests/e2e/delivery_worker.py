"""A sender in a process of its own, for the SIGKILL test.

python delivery_worker.py DATABASE_URL API_BASE_URL TOKEN
"""

from __future__ import annotations

import asyncio
import sys

from bot.clock import SystemClock
from bot.delivery.bucket import TokenBucket
from bot.delivery.sender import OutboxSender
from bot.delivery.transport import DiscordTransport
from bot.services import Services
from bot.storage.database import Database


async def main(database_url: str, api_base_url: str, token: str) -> None:
    db = await Database.open(database_url)
    services = Services.build(db, SystemClock())
    transport = DiscordTransport(
        api_base_url=api_base_url,
        token=token,
        bucket=TokenBucket(200.0),
        dm_open_bucket=TokenBucket(200.0),
    )
    sender = OutboxSender(db, services.clock, transport, services.outcomes)
    await sender.start()
    print("started", flush=True)
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))

"""A sender in a process of its own, for the SIGKILL test.

python delivery_worker.py DATABASE_URL API_BASE_URL TOKEN [STALL]

STALL is ``before:CALL:N`` or ``after:CALL:N`` (CALL a transport method such as
``create_thread``): at the N-th such call the worker prints ``stalled before|after CALL`` and
hangs, so the test's SIGKILL lands exactly there. ``after`` is the dangerous spot: Discord did
it, the outbox does not know yet. Without STALL it prints ``drained`` once nothing is left.
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from typing import Any

from bot.clock import SystemClock
from bot.delivery.bucket import TokenBucket
from bot.delivery.sender import OutboxSender
from bot.delivery.transport import DiscordTransport
from bot.services import Services
from bot.storage.database import Database

CALLS = ("open_dm", "create_message", "edit_message", "create_thread", "add_thread_member")
CALLS += ("update_thread",)


class StallingTransport(DiscordTransport):
    def __init__(self, stall: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.when, self.call, count = stall.split(":") if stall else ("", "", "0")
        self.count = int(count)
        self.calls: Counter[str] = Counter()
        self.cut_off: asyncio.Future[Any] | None = None
        for name in CALLS:
            setattr(self, name, self._watched(name, getattr(self, name)))

    def _watched(self, name: str, call: Any) -> Any:
        async def watched(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            stall_here = name == self.call and self.calls[name] == self.count
            if stall_here and self.when == "before":
                await self._stall(name, call(*args, **kwargs))
            result = await call(*args, **kwargs)
            if stall_here:
                await self._stall(name)
            return result

        return watched

    async def _stall(self, name: str, request: Any = None) -> None:
        if request is not None:  # the request is on its way when the kill lands
            self.cut_off = asyncio.ensure_future(request)
            await asyncio.sleep(0)
        print(f"stalled {self.when} {name}", flush=True)
        await asyncio.Event().wait()  # until killed


async def main(database_url: str, api_base_url: str, token: str, stall: str | None) -> None:
    db = await Database.open(database_url)
    services = Services.build(db, SystemClock())
    transport = StallingTransport(
        stall,
        api_base_url=api_base_url,
        token=token,
        bucket=TokenBucket(200.0),
        dm_open_bucket=TokenBucket(200.0),
    )
    sender = OutboxSender(db, services.clock, transport, services.outcomes)
    await sender.start()
    print("started", flush=True)
    await sender.drain(timeout=60)
    print("drained", flush=True)
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4], sys.argv[4] if len(sys.argv) > 4 else None))

"""Sandbox figures that used to be timed assertions in tests: start, conformance, shutdown.

    python bench/bench_startup.py [--starts 20] [--shutdowns 10] [--quick]

* Server start → bot ready: a fresh ``SandboxServer`` (with Discord's references checked, as in
  ``tests/e2e``) and the real bot built as ``python -m bot`` builds it (``build_bot``), logged
  in through ``sandbox.harness.run_client``; timed from ``server.started_at`` to the moment the
  bot is ready and the server saw its session READY. Each start then does a little work (the
  moderator applies the pt preset, a member lists her tags and autocompletes one) so the
  conformance figures below see interactions too.
* Conformance check time: every ``check_request`` / ``check_response`` / ``check_gateway`` the
  server made during those starts, timed through a wrapper around the real ``Conformance``;
  median, p99 and max per kind. Skipped with a note when ``../shared`` is absent.
* Clean shutdown with an item in flight: an outbox sender (grace period 0.3 s, as in
  ``tests/e2e/test_delivery.py``) has one post hanging inside the sandbox (3 s slow route);
  ``sender.stop()`` is timed, and the item must be back in the queue.

Prints tables; asserts nothing. ``--quick`` (or BENCH_QUICK=1) does 5 starts and 3 shutdowns.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from bot.app import build_bot
from bot.clock import SystemClock
from bot.delivery.bucket import TokenBucket
from bot.delivery.sender import OutboxSender, SenderConfig
from bot.delivery.transport import DiscordTransport
from bot.domain.delivery import Delivery, DeliveryState
from bot.services import Services
from bot.storage.database import Database
from config.settings import load_settings
from sandbox.demo import build_demo_community
from sandbox.harness import load_conformance, run_client
from sandbox.server import ConformanceChecker, SandboxServer

CREATE_MESSAGE = "POST /channels/{channel_id}/messages"
HANG_SECONDS = 3.0
GRACE_SECONDS = 0.3


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


class TimedConformance:
    """The real checker, with the time of every call kept per kind of check."""

    def __init__(self, inner: ConformanceChecker) -> None:
        self.inner = inner
        self.seconds: dict[str, list[float]] = {}

    def _timed(self, kind: str, check: Callable[[], list[str]]) -> list[str]:
        started = time.perf_counter()
        errors = check()
        self.seconds.setdefault(kind, []).append(time.perf_counter() - started)
        return errors

    def check_request(
        self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> list[str]:
        return self._timed(
            "REST request", lambda: self.inner.check_request(method, path, query, headers, body)
        )

    def check_response(
        self,
        method: str,
        path: str,
        query: str,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
    ) -> list[str]:
        return self._timed(
            "REST response",
            lambda: self.inner.check_response(method, path, query, status, headers, body),
        )

    def check_gateway(
        self, direction: Literal["to_client", "from_client"], payload: dict[str, Any]
    ) -> list[str]:
        kind = "gateway, server → bot" if direction == "to_client" else "gateway, bot → server"
        return self._timed(kind, lambda: self.inner.check_gateway(direction, payload))


# -- start → ready ------------------------------------------------------------------------------


async def one_start(scratch: Path, n: int, conformance: TimedConformance | None) -> float:
    """Start a server and the real bot; seconds from server start to ready. Then a little work."""
    server = SandboxServer(conformance)
    await server.start()
    try:
        community = build_demo_community(server)
        config = load_settings(
            database_url=f"sqlite+aiosqlite:///{scratch / f'bot-{n}.sqlite3'}",
            discord_api_base_url=server.api_base_url,
            discord_gateway_url=server.gateway_url,
            dev_guild_id=community.guild.id,
        )
        bot = await build_bot(config)
        async with run_client(server, bot):
            ready = time.perf_counter() - server.started_at
            await (await community.moderator.slash("setup tags preset", name="pt")).final()
            member = next(iter(community.members.values()))
            await (await member.slash("tags mine")).final()
            await member.autocomplete("tags add", focused="tag", value="or")
    finally:
        await server.stop()
    return ready


# -- shutdown with an item in flight ------------------------------------------------------------


async def state_of(db: Database, key: str) -> DeliveryState | None:
    async with db.read() as uow:
        found = await uow.outbox.state_of(key)
    return None if found is None else found[0]


async def hanging(server: SandboxServer) -> None:
    """Until the post is inside the sandbox's slow route (polled: no state change marks it)."""
    async with asyncio.timeout(10):
        while not server.requests_for(CREATE_MESSAGE):  # noqa: ASYNC110 - no event to wait on
            await asyncio.sleep(0.005)


async def one_shutdown(scratch: Path, n: int) -> tuple[float, DeliveryState | None]:
    """Seconds ``sender.stop()`` took with one post hanging, and the item's state after."""
    db = await Database.open(f"sqlite+aiosqlite:///{scratch / f'outbox-{n}.sqlite3'}")
    await db.migrate()
    services = Services.build(db, SystemClock())
    try:
        async with SandboxServer() as server:
            channel = server.create_guild("Chapter").add_text_channel("general")
            server.faults.slow(CREATE_MESSAGE, delay=HANG_SECONDS)  # Discord hangs
            transport = DiscordTransport(
                api_base_url=server.api_base_url,
                token=server.token,
                bucket=TokenBucket(200.0),
                dm_open_bucket=TokenBucket(200.0),
            )
            config = SenderConfig(shutdown_seconds=GRACE_SECONDS)
            sender = OutboxSender(db, services.clock, transport, services.outcomes, config)
            await sender.start()
            async with db.transaction() as uow:
                delivery = Delivery.post("stuck", channel.id, {"content": "hello"})
                await uow.outbox.enqueue(delivery, now=services.clock.now())
            await hanging(server)
            started = time.perf_counter()
            await sender.stop()
            stopped = time.perf_counter() - started
        return stopped, await state_of(db, "stuck")
    finally:
        await db.close()


# -- report -------------------------------------------------------------------------------------


def print_table(title: str, rows: dict[str, list[float]]) -> None:
    print(title)
    print("| figure | count | median ms | p99 ms | max ms |")
    print("| --- | --- | --- | --- | --- |")
    for name, values in rows.items():
        print(
            f"| {name} | {len(values)} | {percentile(values, 0.5) * 1000:.2f} "
            f"| {percentile(values, 0.99) * 1000:.2f} | {max(values) * 1000:.2f} |"
        )


async def bench(starts: int, shutdowns: int) -> None:
    logging.disable(logging.WARNING)  # the bot's start-up and shutdown logs would drown the figures
    loading = time.perf_counter()
    checker = load_conformance()
    load_seconds = time.perf_counter() - loading
    conformance = TimedConformance(checker) if checker is not None else None
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        readies = [await one_start(scratch, n, conformance) for n in range(starts)]
        stops = [await one_shutdown(scratch, n) for n in range(shutdowns)]
    print(f"sandbox figures on {os.cpu_count()} cores")
    print_table(
        f"server start → bot ready ({starts} starts, conformance "
        f"{'checked' if conformance else 'off'})",
        {"start → ready": readies},
    )
    if conformance is None:
        print("conformance not timed: ../shared (Discord's references) not found")
    else:
        print(f"loading Discord's references: {load_seconds * 1000:.0f} ms (once per process)")
        print_table(
            "conformance check per request/payload (real traffic of those starts)",
            {kind: conformance.seconds[kind] for kind in sorted(conformance.seconds)},
        )
    requeued = sum(state is DeliveryState.QUEUED for _, state in stops)
    print_table(
        f"clean shutdown, one post hanging {HANG_SECONDS:g} s, grace {GRACE_SECONDS:g} s "
        f"(back in the queue after: {requeued} of {shutdowns})",
        {"sender.stop()": [seconds for seconds, _ in stops]},
    )


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--starts", type=int, default=20)
    cli.add_argument("--shutdowns", type=int, default=10)
    cli.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK") == "1")
    args = cli.parse_args()
    if args.quick:
        args.starts, args.shutdowns = 5, 3
    asyncio.run(bench(args.starts, args.shutdowns))

"""End to end: the real bot (built as ``python -m bot`` builds it) against the sandbox server.

Every REST request and gateway payload is validated against Discord's references in
``../shared`` when they are present; a test that caused a violation fails, naming it. Without
them each test still runs and is then reported skipped with the reason (in CI it fails).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_bot
from bot.client import SigBot
from config.settings import load_settings
from sandbox.demo import DemoCommunity, build_demo_community
from sandbox.server import SandboxServer
from sandbox.testing import (
    conformance_status,
    conformance_violations,
    require_conformance_in_ci,
    run_client,
    without_conformance,
)

CONFORMANCE, CONFORMANCE_MISSING = conformance_status()
READY_SECONDS: list[float] = []  # server start → bot ready, per bot start


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Figures for the closing note: what conformance covered, how fast the bot starts."""
    write = terminalreporter.write_line
    if CONFORMANCE is None:
        write(f"conformance: NOT CHECKED, {CONFORMANCE_MISSING} (each such test is skipped)")
    elif CONFORMANCE.counts:
        counted = ", ".join(f"{n} {what}" for what, n in sorted(CONFORMANCE.counts.items()))
        write(f"conformance: validated {counted}")
    if READY_SECONDS:
        ordered = sorted(READY_SECONDS)
        median = ordered[len(ordered) // 2]
        write(
            f"sandbox: server start to bot ready median {median * 1000:.0f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms over {len(ordered)} starts"
        )


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    require_conformance_in_ci(CONFORMANCE, CONFORMANCE_MISSING)
    sandbox = SandboxServer(CONFORMANCE)
    await sandbox.start()
    try:
        yield sandbox
    finally:
        await sandbox.stop()
    assert not sandbox.unknown_routes, (
        f"the bot called routes the sandbox lacks: {sandbox.unknown_routes}"
    )
    if CONFORMANCE is None:
        without_conformance(CONFORMANCE_MISSING)  # after the test body ran: it still counts
    assert conformance_violations(sandbox) == []


@pytest.fixture
def community(server: SandboxServer) -> DemoCommunity:
    return build_demo_community(server)


class BotRunner:
    """Starts, stops and restarts the real bot on one database file."""

    def __init__(self, server: SandboxServer, guild_id: int, database: Path) -> None:
        self.server = server
        self.guild_id = guild_id
        self.database = database
        self.bot: SigBot | None = None
        self.first_start = True
        self._stack: contextlib.AsyncExitStack | None = None

    async def start(self, **settings: object) -> SigBot:
        config = load_settings(
            database_url=f"sqlite+aiosqlite:///{self.database}",
            discord_api_base_url=self.server.api_base_url,
            discord_gateway_url=self.server.gateway_url,
            dev_guild_id=self.guild_id,
            **settings,
        )
        bot = await build_bot(config)
        self._stack = contextlib.AsyncExitStack()
        self.bot = await self._stack.enter_async_context(run_client(self.server, bot))
        if self.first_start:
            READY_SECONDS.append(time.perf_counter() - self.server.started_at)
            self.first_start = False
        return bot

    async def stop(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
            self._stack = None
            self.bot = None

    async def restart(self) -> SigBot:
        await self.stop()
        return await self.start()


@pytest.fixture
async def runner(
    server: SandboxServer, community: DemoCommunity, tmp_path: Path
) -> AsyncIterator[BotRunner]:
    bot_runner = BotRunner(server, community.guild.id, tmp_path / "bot.sqlite3")
    try:
        yield bot_runner
    finally:
        await bot_runner.stop()


@pytest.fixture
async def bot(runner: BotRunner) -> SigBot:
    return await runner.start()

"""End to end: the real bot (built as ``python -m bot`` builds it) against the sandbox server.

Every REST request and gateway payload is validated against Discord's references in
``../shared`` when they are present; a test that caused a violation fails, naming it. Without
them each test still runs and is then reported skipped with the reason (in CI it fails).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.client import SigBot
from sandbox.demo import DemoCommunity, build_demo_community
from sandbox.render import render_message
from sandbox.server import SandboxServer
from sandbox.testing import (
    conformance_status,
    conformance_violations,
    require_conformance_in_ci,
    without_conformance,
)
from tests.e2e.support import READY_SECONDS, BotRunner, ClockedRunner, answer

CONFORMANCE, CONFORMANCE_MISSING = conformance_status()


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


@pytest.fixture(autouse=True)
def nothing_pings(request: pytest.FixtureRequest) -> Iterator[None]:
    """Checked after every test that runs a sandbox server: no message the bot sent or edited
    could notify anyone. Tests without a server (CLI parsing, processes) start none for it."""
    if "server" not in request.fixturenames:
        yield
        return
    server: SandboxServer = request.getfixturevalue("server")
    yield
    loud = [m for m in server.state.messages.values() if m.could_ping]
    assert loud == [], [render_message(m) for m in loud]


@pytest.fixture
def community(server: SandboxServer) -> DemoCommunity:
    return build_demo_community(server)


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


@pytest.fixture
async def clocked(
    server: SandboxServer, community: DemoCommunity, tmp_path: Path
) -> AsyncIterator[ClockedRunner]:
    runner = ClockedRunner(server, community.guild.id, tmp_path / "bot.sqlite3")
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


@pytest.fixture
async def pt(bot: SigBot, community: DemoCommunity) -> DemoCommunity:
    """The demo server after the moderator applied the physical-therapy preset."""
    reply = await answer(await community.moderator.slash("setup tags preset", name="pt"))
    assert "Applied **pt**" in reply
    return community

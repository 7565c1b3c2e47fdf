"""`python -m bot run` as a process: clean stops log no error, network trouble is one line a
try (issue #9). Unreachable means a closed port on 127.0.0.1, never another address."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.demo import DemoCommunity, build_demo_community
from sandbox.server import SandboxServer
from tests.e2e.support import bot_env, python_m_bot

pytestmark = pytest.mark.e2e

LOG_LEVELS = (" INFO ", " WARNING ", " ERROR ", " DEBUG ", " CRITICAL ")


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        yield sock.getsockname()[1]


def not_log_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if not any(k in line[:20] for k in LOG_LEVELS)]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_clean_stop_logs_no_error(
    server: SandboxServer, community: DemoCommunity, tmp_path: Path, signum: signal.Signals
) -> None:
    env = bot_env(server, tmp_path) | {"DEV_GUILD_ID": str(community.guild.id)}
    run = await python_m_bot("run", env=env, cwd=tmp_path)
    try:
        await server.wait_ready(timeout=30)
        await (await community.members["maria"].slash("help")).final()
    finally:
        run.send_signal(signum)
        _, err = await asyncio.wait_for(run.communicate(), 30)
    log = err.decode()
    assert run.returncode == 0, log
    assert "Shutting down" in log
    assert " ERROR " not in log
    assert "Traceback" not in log


async def test_no_network_at_login_is_one_line(
    server: SandboxServer, tmp_path: Path, closed_port: int
) -> None:
    env = bot_env(server, tmp_path)
    env["DISCORD_API_BASE_URL"] = f"http://127.0.0.1:{closed_port}/api/v10"
    run = await python_m_bot("run", env=env, cwd=tmp_path)
    _, err = await asyncio.wait_for(run.communicate(), 60)
    assert run.returncode == 1
    [line] = not_log_lines(err.decode())
    assert line.startswith(f"cannot reach Discord at http://127.0.0.1:{closed_port}/api/v10")
    assert "check the network" in line


class Cable:
    """A TCP relay on 127.0.0.1 in front of the sandbox server: unplug it, plug it back in."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self._listener: asyncio.Server | None = None
        self._transports: list[asyncio.WriteTransport] = []

    async def plug_in(self) -> None:
        self._listener = await asyncio.start_server(
            self._relay, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._listener.sockets[0].getsockname()[1]

    async def unplug(self) -> None:
        assert self._listener is not None
        self._listener.close()
        for transport in self._transports:
            transport.abort()
        self._transports.clear()
        await self._listener.wait_closed()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self._transports += [writer.transport, up_writer.transport]
        await asyncio.gather(
            _pipe(reader, up_writer), _pipe(up_reader, writer), return_exceptions=True
        )


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.close()


async def read_until(stream: asyncio.StreamReader, text: str, seen: list[str]) -> None:
    while True:
        line = (await asyncio.wait_for(stream.readline(), 60)).decode()
        assert line, "the bot stopped: " + "".join(seen)
        seen.append(line)
        if text in line:
            return


async def test_gateway_retries_say_so_in_one_line_each(tmp_path: Path) -> None:
    # Its own server without the conformance check: discord.py's RESUME after such an outage
    # carries ``seq: null``, which the gateway schema rejects (discord.py's, not the bot's).
    async with SandboxServer() as server:
        community = build_demo_community(server)
        log = await run_through_an_outage(server, community, tmp_path)
    assert "Traceback" not in log
    assert "Lost the connection to Discord (Cannot connect to host 127.0.0.1" in log
    assert not_log_lines(log) == []


async def run_through_an_outage(
    server: SandboxServer, community: DemoCommunity, tmp_path: Path
) -> str:
    """Run the bot through a cable; unplug it until the bot retries, plug it back, serve."""
    cable = Cable(server.port)
    await cable.plug_in()
    server.port, sandbox_port = cable.port, server.port  # every URL the bot learns: the cable
    env = bot_env(server, tmp_path) | {"DEV_GUILD_ID": str(community.guild.id)}
    run = await python_m_bot("run", env=env, cwd=tmp_path)
    assert run.stderr is not None
    seen: list[str] = []
    try:
        await server.wait_ready(timeout=30)
        sessions = server.identify_count + server.resume_count
        await cable.unplug()
        await read_until(run.stderr, "attempting a reconnect", seen)
        await cable.plug_in()  # the network is back: discord.py connects again by itself
        await server.wait_for(
            lambda: server.identify_count + server.resume_count > sessions and server.gateway.ready,
            timeout=60,
            what="the bot back on the gateway",
        )
        await (await community.members["maria"].slash("help")).final()
    finally:
        server.port = sandbox_port
        run.send_signal(signal.SIGTERM)
        _, rest = await asyncio.wait_for(run.communicate(), 30)
    assert run.returncode == 0, "".join(seen) + rest.decode()
    return "".join(seen) + rest.decode()

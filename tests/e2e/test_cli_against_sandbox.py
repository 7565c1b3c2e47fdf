"""The operator's path, for real: `python -m bot sync` and `run` as processes, configured only
by environment variables, serving the sandbox exactly as they would serve Discord."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from sandbox.demo import DemoCommunity
from sandbox.server import SandboxServer
from tests.e2e.support import bot_env, python_m_bot

pytestmark = pytest.mark.e2e


async def test_sync_then_run_then_sigterm(
    server: SandboxServer, community: DemoCommunity, tmp_path: Path
) -> None:
    env = bot_env(server, tmp_path)
    sync = await python_m_bot("sync", "--guild", str(community.guild.id), env=env, cwd=tmp_path)
    out, err = await asyncio.wait_for(sync.communicate(), 60)
    assert sync.returncode == 0, err.decode()
    assert f"to server {community.guild.id}" in out.decode()
    assert server.token not in (out + err).decode()  # never logged
    assert {c["name"] for c in community.server_commands()} >= {"help", "setup", "tags"}

    run = await python_m_bot("run", env=env, cwd=tmp_path)
    try:
        await server.wait_ready(timeout=30)
        ix = await community.members["maria"].slash("help")
        assert "How I can help" in str((await ix.final()).embeds)
    finally:
        run.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(run.communicate(), 20)
    assert run.returncode == 0, err.decode()
    assert "Shutting down" in err.decode()
    assert server.token not in (out + err).decode()
    assert server.identify_count == 1


async def test_check_reports_the_running_bots_gateway_heartbeat(
    server: SandboxServer, community: DemoCommunity, tmp_path: Path
) -> None:
    env = bot_env(server, tmp_path) | {"DEV_GUILD_ID": str(community.guild.id)}
    heartbeat = tmp_path / "bot.sqlite3.heartbeat"
    run = await python_m_bot("run", env=env, cwd=tmp_path)
    try:
        await server.wait_ready(timeout=30)
        # A full interaction round trip: the heartbeat sent on HELLO has been ACKed long before.
        ix = await community.members["maria"].slash("help")
        await ix.final()
        check = await python_m_bot("check", env=env, cwd=tmp_path)
        out, err = await asyncio.wait_for(check.communicate(), 60)
        assert check.returncode == 0, err.decode()
        assert "DISCORD_TOKEN present" in out.decode()
        assert "gateway heartbeat: last ACK" in out.decode()
        assert "(recent)" in out.decode()
    finally:
        run.send_signal(signal.SIGTERM)
        await asyncio.wait_for(run.communicate(), 20)
    assert run.returncode == 0
    assert not heartbeat.exists()  # a clean stop: check reports the bot as not running

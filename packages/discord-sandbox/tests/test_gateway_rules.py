"""Gateway rules Discord enforces: privileged intents (4014) and a realistic HEARTBEAT_ACK."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp
import discord
import discord.gateway
import pytest

from sandbox.gateway import GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT
from sandbox.server import SandboxServer
from sandbox.testing import run_client


async def identify(server: SandboxServer, intents: int) -> tuple[int | None, Any]:
    """IDENTIFY over a raw socket; the close code (or None) and the first dispatch."""
    async with aiohttp.ClientSession() as http, http.ws_connect(server.gateway_url) as ws:
        hello = json.loads((await ws.receive()).data)
        assert hello["op"] == 10
        await ws.send_json(
            {
                "op": 2,
                "d": {
                    "token": server.token,
                    "intents": intents,
                    "properties": {"os": "linux", "browser": "raw", "device": "raw"},
                },
            }
        )
        msg = await ws.receive()
        if msg.type is aiohttp.WSMsgType.CLOSE:
            return msg.data, None
        return None, json.loads(msg.data)


@pytest.mark.parametrize("intent", [GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT])
async def test_privileged_intents_not_granted_close_with_4014(
    sandbox_server: SandboxServer, intent: int
) -> None:
    code, _ = await identify(sandbox_server, 1 | intent)
    assert code == 4014
    assert sandbox_server.identify_count == 0


async def test_unprivileged_intents_are_ready(sandbox_server: SandboxServer) -> None:
    code, ready = await identify(sandbox_server, 1 | 1 << 9)  # guilds, guild messages
    assert code is None
    assert ready["t"] == "READY"


async def test_a_granted_privileged_intent_is_accepted(sandbox_server: SandboxServer) -> None:
    sandbox_server.gateway.granted_intents = GUILD_MEMBERS
    code, ready = await identify(sandbox_server, 1 | GUILD_MEMBERS)
    assert code is None
    assert ready["t"] == "READY"


class HeartbeatWatch:
    """Records, for each ACK discord.py receives, whether it had recorded its send time yet."""

    def __init__(self) -> None:
        self.sent: list[float] = []
        self.acks_before_send_recorded = 0
        self.acks = 0
        self.enough = asyncio.Event()  # set after ``wanted`` ACKs
        self.wanted = 12

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        watch = self
        original_ack = discord.gateway.KeepAliveHandler.ack
        original_send = discord.gateway.DiscordWebSocket.send_heartbeat

        async def send_heartbeat(ws: Any, data: Any) -> None:
            await original_send(ws, data)
            watch.sent.append(ws._keep_alive._last_send if ws._keep_alive else 0.0)

        def ack(handler: Any) -> None:
            # ``sent[-1]`` is the previous beat's send time as the thread saw it when this
            # beat went out; if ``_last_send`` still equals it, the ACK beat the thread.
            if len(watch.sent) >= 1 and handler._last_send == watch.sent[-1]:
                watch.acks_before_send_recorded += 1
            watch.acks += 1
            if watch.acks >= watch.wanted:
                watch.enough.set()  # ack() runs on the event loop thread
            original_ack(handler)

        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "send_heartbeat", send_heartbeat)
        monkeypatch.setattr(discord.gateway.KeepAliveHandler, "ack", ack)


async def test_heartbeat_ack_arrives_after_discord_py_recorded_the_send(
    sandbox_server: SandboxServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The race behind "Can't keep up, ... websocket is 41.3s behind": an instant ACK is
    handled before discord.py's heartbeat thread stores the send time, so the latency it
    computes is a whole heartbeat interval."""
    watch = HeartbeatWatch()
    watch.install(monkeypatch)
    sandbox_server.gateway.heartbeat_interval_ms = 150
    guild = sandbox_server.create_guild("Beats")
    intents = discord.Intents.none()
    intents.guilds = True
    client = discord.Client(intents=intents)
    caplog.set_level(logging.WARNING, logger="discord.gateway")
    async with run_client(sandbox_server, client):
        assert client.get_guild(guild.id) is not None
        await asyncio.wait_for(watch.enough.wait(), timeout=10)
    assert watch.acks_before_send_recorded == 0
    assert not [r for r in caplog.records if "behind" in r.getMessage()]

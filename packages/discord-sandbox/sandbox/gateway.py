"""The sandbox gateway: HELLO, IDENTIFY/READY, heartbeats, RESUME with replay, op 7 and op 9."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import zlib
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import WSMsgType, web

from sandbox import shapes
from sandbox.context import ServerContext
from sandbox.state import SandboxState

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE, RESUME, RECONNECT = 0, 1, 2, 3, 4, 6, 7
REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11

# Privileged intents: an app must be granted them in the developer portal, else 4014.
GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT = 1 << 1, 1 << 8, 1 << 15
PRIVILEGED_INTENTS = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
DISALLOWED_INTENTS = 4014


@dataclass
class GatewaySession:
    id: str
    intents: int
    seq: int = 0
    log: list[dict[str, Any]] = field(default_factory=list)


class GatewayConnection:
    def __init__(self, ws: web.WebSocketResponse, compress: bool) -> None:
        self.ws = ws
        self.compressor = zlib.compressobj() if compress else None
        self.session: GatewaySession | None = None
        self.ready = False
        self.queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.writer: asyncio.Task[None] | None = None

    def encode(self, payload: dict[str, Any]) -> bytes | str:
        text = json.dumps(payload, separators=(",", ":"))
        if self.compressor is None:
            return text
        return self.compressor.compress(text.encode()) + self.compressor.flush(zlib.Z_SYNC_FLUSH)


class Gateway:
    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self.sessions: dict[str, GatewaySession] = {}
        self.connections: set[GatewayConnection] = set()
        self.current: GatewayConnection | None = None
        self.identify_count = 0
        self.resume_count = 0
        self.heartbeat_count = 0
        self.heartbeat_interval_ms = 41250
        # Discord's ACK takes a network round trip; answering at once races discord.py's
        # heartbeat thread, which records the send time only after the send returns.
        self.heartbeat_ack_delay = 0.03
        self.granted_intents = 0  # privileged intents the sandbox app was granted: none
        self.received: list[dict[str, Any]] = []  # every payload the bot sent, in order

    @property
    def state(self) -> SandboxState:
        return self.ctx.state

    @property
    def ready(self) -> bool:
        return self.current is not None and self.current.ready

    # --- sending ---------------------------------------------------------------------------
    def _check(
        self, direction: Literal["to_client", "from_client"], payload: dict[str, Any]
    ) -> None:
        conf = self.ctx.conformance
        if conf is None:
            return
        label = payload.get("t") or f"op {payload.get('op')}"
        self.ctx.record_violations(
            f"gateway {direction} {label}", lambda: conf.check_gateway(direction, payload)
        )

    async def _writer(self, conn: GatewayConnection) -> None:
        while True:
            payload = await conn.queue.get()
            if payload is None:
                return
            self._check("to_client", payload)
            data = conn.encode(payload)
            try:
                if isinstance(data, bytes):
                    await conn.ws.send_bytes(data)
                else:
                    await conn.ws.send_str(data)
            except (ConnectionError, RuntimeError):
                return

    def _send(self, conn: GatewayConnection, op: int, d: Any) -> None:
        payload: dict[str, Any] = {"op": op, "s": None, "t": None}
        if d is not None:  # Discord omits "d" for HEARTBEAT_ACK and RECONNECT
            payload["d"] = d
        conn.queue.put_nowait(payload)

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH to the bot's session (kept for RESUME replay if disconnected)."""
        conn = self.current
        session = conn.session if conn else None
        if session is None:
            session = self._latest_session()
        if session is None:
            return
        session.seq += 1
        payload = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
        session.log.append(payload)
        if conn is not None and conn.session is session and conn.ready:
            conn.queue.put_nowait(payload)

    def _latest_session(self) -> GatewaySession | None:
        return next(reversed(self.sessions.values()), None) if self.sessions else None

    # --- the socket ------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        compress = request.query.get("compress")
        if compress not in (None, "zlib-stream"):
            await ws.close(code=4000, message=b"unsupported compression")
            return ws
        conn = GatewayConnection(ws, compress == "zlib-stream")
        conn.writer = asyncio.create_task(self._writer(conn))
        self.connections.add(conn)
        self._send(conn, HELLO, {"heartbeat_interval": self.heartbeat_interval_ms})
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    payload = json.loads(msg.data)
                elif msg.type is WSMsgType.BINARY:
                    payload = json.loads(msg.data.decode())
                else:
                    break
                self.received.append(payload)
                self._check("from_client", payload)
                await self._on_payload(conn, payload)
        finally:
            conn.ready = False
            self.connections.discard(conn)
            if self.current is conn:
                self.current = None
            conn.queue.put_nowait(None)
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(conn.writer, 1.0)
            self.state.changed()
        return ws

    async def _on_payload(self, conn: GatewayConnection, payload: dict[str, Any]) -> None:
        op = payload.get("op")
        d = payload.get("d")
        if op == HEARTBEAT:
            self.heartbeat_count += 1
            asyncio.get_running_loop().call_later(
                self.heartbeat_ack_delay, self._send, conn, HEARTBEAT_ACK, None
            )
        elif op == IDENTIFY:
            await self._identify(conn, d or {})
        elif op == RESUME:
            await self._resume(conn, d or {})
        elif op in (PRESENCE, VOICE, REQUEST_MEMBERS, 31):
            return
        else:
            await conn.ws.close(code=4001, message=b"Unknown opcode")

    def _take_over(self, conn: GatewayConnection) -> None:
        old = self.current
        self.current = conn
        if old is not None and old is not conn:
            old.ready = False
            asyncio.get_running_loop().create_task(old.ws.close(code=4000))

    async def _identify(self, conn: GatewayConnection, d: dict[str, Any]) -> None:
        if conn.session is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated")
            return
        if d.get("token") != self.ctx.token:
            await conn.ws.close(code=4004, message=b"Authentication failed")
            return
        intents = int(d.get("intents", 0))
        if intents & PRIVILEGED_INTENTS & ~self.granted_intents:
            await conn.ws.close(code=DISALLOWED_INTENTS, message=b"Disallowed intent(s).")
            return
        self.identify_count += 1
        session = GatewaySession(secrets.token_hex(16), intents)
        self.sessions[session.id] = session
        conn.session = session
        self.state.intents = intents
        self._take_over(conn)
        state = self.state
        bot = state.bot_user
        guilds = [g for g in state.guilds.values() if bot.id in g.members]
        user = shapes.user(bot)
        user.update({"verified": True, "mfa_enabled": False, "bot": True})
        ready: dict[str, Any] = {
            "v": 10,
            "user": user,
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "resume_gateway_url": self.ctx.address.gateway_url,
            "application": {"id": str(state.application_id), "flags": 0, "flags_new": "0"},
        }
        if "shard" in d:
            ready["shard"] = d["shard"]
        conn.ready = True
        self.dispatch("READY", ready)
        for guild in guilds:
            self.dispatch("GUILD_CREATE", shapes.guild_create(guild))
        self.state.changed()

    async def _resume(self, conn: GatewayConnection, d: dict[str, Any]) -> None:
        session = self.sessions.get(str(d.get("session_id")))
        if d.get("token") != self.ctx.token or session is None:
            self._send(conn, INVALID_SESSION, False)
            return
        self.resume_count += 1
        seq = int(d.get("seq") or 0)
        conn.session = session
        self._take_over(conn)
        for payload in session.log:
            if payload["s"] > seq:
                conn.queue.put_nowait(payload)
        conn.ready = True
        # The schema types RESUMED's d as absent, but discord.py indexes it as a dict.
        self.dispatch("RESUMED", {})
        self.state.changed()

    # --- test hooks ------------------------------------------------------------------------
    async def reconnect(self) -> None:
        conn = self._require_current()
        conn.ready = False
        self._send(conn, RECONNECT, None)
        self.state.changed()

    async def invalid_session(self, resumable: bool) -> None:
        conn = self._require_current()
        conn.ready = False
        if not resumable and conn.session is not None:
            self.sessions.pop(conn.session.id, None)
        self._send(conn, INVALID_SESSION, resumable)
        self.state.changed()

    async def disconnect(self, code: int = 4000) -> None:
        conn = self._require_current()
        conn.ready = False
        self.current = None
        await conn.ws.close(code=code)
        self.state.changed()

    def _require_current(self) -> GatewayConnection:
        if self.current is None:
            raise RuntimeError("sandbox: no bot is connected to the gateway")
        return self.current

    async def close_all(self) -> None:
        for conn in list(self.connections):
            conn.ready = False
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001)

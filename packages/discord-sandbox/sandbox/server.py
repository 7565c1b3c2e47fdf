"""``SandboxServer``: a local Discord-compatible server (REST + gateway) on 127.0.0.1."""

from __future__ import annotations

import base64
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

from aiohttp import web

from sandbox.channels import Channel
from sandbox.context import Address, ConformanceChecker, RequestRecord, ServerContext
from sandbox.control.actor import Actor
from sandbox.control.interaction import Interaction
from sandbox.faults import Faults
from sandbox.gateway import Gateway
from sandbox.guilds import Guild
from sandbox.members import MemberLike, User, as_member
from sandbox.messages import Message
from sandbox.ratelimits import RateLimits
from sandbox.rest.pipeline import RestApi
from sandbox.state import SandboxState

__all__ = ["ConformanceChecker", "SandboxServer", "peak_per_second"]

log = logging.getLogger(__name__)


class SandboxServer:
    """A Discord stand-in the real discord.py client talks to over HTTP and WebSocket.

    ``async with SandboxServer() as server:`` then point discord.py at ``server.api_base_url``
    and ``server.gateway_url`` and log in with ``server.token``. Its parts (REST routes,
    gateway, control API) share ``server.context``, not the server.
    """

    def __init__(
        self,
        conformance: ConformanceChecker | None = None,
        *,
        seed: int = 0,
        bot_name: str = "SandboxBot",
        host: str = "127.0.0.1",
    ) -> None:
        state = SandboxState(bot_name)
        prefix = base64.b64encode(str(state.bot_user.id).encode()).decode().rstrip("=")
        self.context = ServerContext(
            state=state,
            token=f"{prefix}.Sandbx.{secrets.token_urlsafe(27)}",
            address=Address(host),
            faults=Faults(seed),
            conformance=conformance,
        )
        self.gateway = Gateway(self.context)
        self.rest = RestApi(self.context)
        state.dispatch = self.gateway.dispatch
        self.started_at = 0.0
        self._runner: web.AppRunner | None = None

    # --- lifecycle -------------------------------------------------------------------------
    async def start(self) -> SandboxServer:
        self.started_at = time.perf_counter()  # for "server start → bot ready" figures
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/", self._root)
        self.rest.install(app)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def stop(self) -> None:
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SandboxServer:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _root(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await self.gateway.handle(request)
        return await self.rest.unknown(request)

    # --- what the parts share ----------------------------------------------------------------
    @property
    def state(self) -> SandboxState:
        return self.context.state

    @property
    def faults(self) -> Faults:
        return self.context.faults

    @property
    def conformance(self) -> ConformanceChecker | None:
        return self.context.conformance

    @property
    def token(self) -> str:
        return self.context.token

    @property
    def requests(self) -> list[RequestRecord]:
        return self.context.requests

    @property
    def violations(self) -> list[str]:
        return self.context.violations

    @property
    def unknown_routes(self) -> list[str]:
        return self.context.unknown_routes

    @property
    def interactions_by_token(self) -> dict[str, Interaction]:
        return self.state.interactions_by_token

    @property
    def interaction_ack_timeout(self) -> float:
        """Discord's 3 s to acknowledge an interaction (tests may shorten it)."""
        return self.context.deadlines.ack

    @interaction_ack_timeout.setter
    def interaction_ack_timeout(self, seconds: float) -> None:
        self.context.deadlines.ack = seconds

    # --- addresses and identity ------------------------------------------------------------
    @property
    def host(self) -> str:
        return self.context.address.host

    @property
    def port(self) -> int:
        return self.context.address.port

    @port.setter
    def port(self, port: int) -> None:
        self.context.address.port = port

    @property
    def api_base_url(self) -> str:
        return self.context.address.api_base_url

    @property
    def gateway_url(self) -> str:
        return self.context.address.gateway_url

    @property
    def bot_user(self) -> User:
        return self.state.bot_user

    @property
    def application_id(self) -> int:
        return self.state.application_id

    # --- building the world and acting in it -------------------------------------------------
    def create_guild(self, name: str, *, owner: User | None = None) -> Guild:
        return self.state.create_guild(name, owner=owner)

    def create_user(self, username: str, display_name: str | None = None) -> User:
        return self.state.create_user(username, display_name)

    def actor(self, member: MemberLike) -> Actor:
        """Act as ``member``: ``await server.actor(member).slash("help")``."""
        return member if isinstance(member, Actor) else Actor(self.context, as_member(member))

    # --- reading ---------------------------------------------------------------------------
    def dm_channel(self, who: MemberLike | User) -> Channel | None:
        return self.state.dm_channels.get(who.id)

    def dm_messages(self, who: MemberLike | User) -> list[Message]:
        """Messages the bot sent (and kept) in its DM with this user, oldest first."""
        channel = self.state.dm_channels.get(who.id)
        return channel.messages if channel else []

    def commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        """Registered application commands (global, or one guild's)."""
        return list(self.state.commands.get(guild.id if guild else None, {}).values())

    def peak_request_rate(self) -> int:
        """The most REST requests that arrived in any one-second window (half-open)."""
        return peak_per_second([r.time for r in self.requests])

    @property
    def rate_limits(self) -> RateLimits:
        """The enforced buckets: ``server.rate_limits.set(route, limit=..., window=...)``."""
        return self.context.limits

    @property
    def rate_limited_count(self) -> int:
        """429s answered because a bucket or the global limit was exhausted (not faults)."""
        return self.context.limits.refused

    def requests_for(self, route: str) -> list[RequestRecord]:
        """Requests for one route template, e.g. ``"POST /channels/{channel_id}/messages"``."""
        return [r for r in self.requests if r.route == route]

    @property
    def identify_count(self) -> int:
        return self.gateway.identify_count

    @property
    def resume_count(self) -> int:
        return self.gateway.resume_count

    async def wait_for(
        self, predicate: Callable[[], Any], *, timeout: float = 5.0, what: str = "condition"
    ) -> Any:
        """Wait until ``predicate()`` is truthy; re-checked on every state change, no polling."""
        return await self.state.wait_for(predicate, timeout=timeout, what=what)

    async def wait_ready(self, timeout: float = 5.0) -> None:
        """Wait until a bot is connected and its session is READY or RESUMED."""
        await self.state.wait_for(
            lambda: self.gateway.ready,
            timeout=timeout,
            what=(
                f"the bot to be connected and ready (identifies={self.identify_count}, "
                f"resumes={self.resume_count})"
            ),
        )

    # --- gateway test hooks ----------------------------------------------------------------
    async def gateway_reconnect(self) -> None:
        """Send op 7 RECONNECT; the bot should reconnect and RESUME."""
        await self.gateway.reconnect()

    async def gateway_invalid_session(self, resumable: bool) -> None:
        """Send op 9 INVALID_SESSION; the bot should RESUME (True) or IDENTIFY again (False)."""
        await self.gateway.invalid_session(resumable)

    async def gateway_disconnect(self, code: int = 4000) -> None:
        """Drop the bot's socket; it should reconnect and RESUME."""
        await self.gateway.disconnect(code)


def peak_per_second(times: Iterable[float]) -> int:
    """The most events in any one-second window (half-open), e.g. request times."""
    ordered = sorted(times)
    peak, start = 0, 0
    for end, t in enumerate(ordered):
        while ordered[start] <= t - 1.0:
            start += 1
        peak = max(peak, end - start + 1)
    return peak

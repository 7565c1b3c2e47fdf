"""``ServerContext``: what the parts of the sandbox server share, and nothing more.

The REST routes, the gateway and the control API each get this small object instead of the
whole :class:`~sandbox.server.SandboxServer`: the world (``state``), the token, what the server
saw (requests, unknown routes, violations), the faults and rate limits in force, Discord's
interaction deadlines, the clocks, and the addresses the bot is told about.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from sandbox import wallclock
from sandbox.faults import Faults
from sandbox.ratelimits import RateLimits
from sandbox.state import SandboxState


class ConformanceChecker(Protocol):
    """What ``sandbox.conformance.Conformance`` provides; each method returns error strings."""

    def check_request(
        self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> list[str]: ...

    def check_response(
        self,
        method: str,
        path: str,
        query: str,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
    ) -> list[str]: ...

    def check_gateway(
        self, direction: Literal["to_client", "from_client"], payload: dict[str, Any]
    ) -> list[str]: ...


@dataclass
class RequestRecord:
    """One REST request the bot made: ``server.requests``."""

    method: str
    route: str  # "POST /channels/{channel_id}/messages" (or the raw path when unknown)
    path: str
    query: str
    time: float  # event loop time when it arrived
    status: int = 0
    body: Any = None  # parsed JSON payload (payload_json for multipart), if any
    response: Any = None
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def loop_time() -> float:
    return asyncio.get_running_loop().time()


@dataclass(frozen=True)
class Clock:
    """``loop``: the event loop's monotonic time (deadlines); ``wall``: epoch seconds."""

    loop: Callable[[], float] = loop_time
    wall: Callable[[], float] = wallclock.now


@dataclass
class Deadlines:
    """Discord's interaction deadlines (tests may shorten them)."""

    ack: float = 3.0  # acknowledge within 3 s
    token_ttl: float = 15 * 60.0  # interaction tokens are valid 15 minutes


@dataclass
class Address:
    host: str
    port: int = 0

    @property
    def api_base_url(self) -> str:
        return f"http://{self.host}:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/"


@dataclass
class ServerContext:
    state: SandboxState
    token: str
    address: Address
    faults: Faults
    conformance: ConformanceChecker | None = None
    clock: Clock = field(default_factory=Clock)
    deadlines: Deadlines = field(default_factory=Deadlines)
    limits: RateLimits = field(init=False)
    requests: list[RequestRecord] = field(default_factory=list)
    unknown_routes: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.limits = RateLimits(self.clock.loop, self.clock.wall)

    def record_violations(self, label: str, check: Callable[[], list[str]]) -> None:
        """Run one conformance check; its findings (or its crash) become violations."""
        try:
            errors = check()
        except Exception as exc:  # a validator crash is a finding, not a server crash
            errors = [f"validator raised {exc!r}"]
        self.violations.extend(f"{label}: {e}" for e in errors)

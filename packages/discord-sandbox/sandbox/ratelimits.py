"""Discord's rate limits, enforced: per-route buckets (per major parameter) and the global limit.

Every answer carries the bucket's ``X-RateLimit-*`` headers; a request over a bucket's limit, or
over the global limit, is answered 429 with ``retry_after`` the way Discord answers it. The
figures are the sandbox's (Discord publishes only the global 50 per second) and tests may
tighten any route: ``server.rate_limits.set(route, limit=5, window=0.25)``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAJOR_PARAMETERS = ("channels", "guilds", "webhooks", "interactions")
# Interaction responses and followups are not bound by the bot's global limit.
GLOBAL_EXEMPT_PREFIXES = ("/interactions/", "/webhooks/")


@dataclass(frozen=True)
class Limit:
    limit: int
    window: float  # seconds


@dataclass
class Window:
    start: float
    used: int = 0


@dataclass
class Verdict:
    headers: dict[str, str]
    status: int | None = None  # 429 when refused
    body: dict[str, Any] | None = None


def major_of(path: str) -> str:
    """The id after /channels/, /guilds/, /webhooks/ or /interactions/ ("" if none)."""
    for key in MAJOR_PARAMETERS:
        marker = f"/{key}/"
        if marker in path:
            return path.split(marker, 1)[1].split("/")[0]
    return ""


def _reset_after(window: Window, limit: Limit, now: float) -> float:
    return max(0.0, window.start + limit.window - now)


class RateLimits:
    """The buckets and the global window; ``clock`` is the event loop's time, ``wall`` epoch."""

    def __init__(self, clock: Callable[[], float], wall: Callable[[], float]) -> None:
        self.clock = clock
        self.wall = wall
        self.default = Limit(50, 1.0)
        self.routes: dict[str, Limit] = {}
        self.global_limit = Limit(50, 1.0)
        self.refused = 0  # 429s the limits themselves answered (not injected faults)
        self._windows: dict[str, Window] = {}
        self._global: Window | None = None

    def set(self, route: str, *, limit: int, window: float) -> None:
        self.routes[route] = Limit(limit, window)

    def _window(self, key: str, limit: Limit, now: float) -> Window:
        window = self._windows.get(key)
        if window is None or now - window.start >= limit.window:
            window = self._windows[key] = Window(now)
        return window

    def take(self, route: str, path: str) -> Verdict:
        """Count one request; a 429 verdict when it is over the bucket or the global limit."""
        now = self.clock()
        limit = self.routes.get(route, self.default)
        bucket = hashlib.sha1(route.encode()).hexdigest()[:16]
        window = self._window(f"{bucket}:{major_of(path)}", limit, now)
        if window.used >= limit.limit:
            return self._refuse(
                _reset_after(window, limit, now), self._headers(bucket, limit, 0, window, now)
            )
        if not path.startswith(GLOBAL_EXEMPT_PREFIXES):
            refused = self._take_global(now)
            if refused is not None:
                return refused
        window.used += 1
        return Verdict(self._headers(bucket, limit, limit.limit - window.used, window, now))

    def _take_global(self, now: float) -> Verdict | None:
        limit = self.global_limit
        if self._global is None or now - self._global.start >= limit.window:
            self._global = Window(now)
        if self._global.used >= limit.limit:
            retry = _reset_after(self._global, limit, now)
            headers = {"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}
            return self._refuse(retry, headers, is_global=True)
        self._global.used += 1
        return None

    def _refuse(
        self, retry_after: float, headers: dict[str, str], *, is_global: bool = False
    ) -> Verdict:
        self.refused += 1
        headers = {
            **headers,
            "Retry-After": str(max(1, round(retry_after + 0.5))),
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        body = {
            "message": "You are being rate limited.",
            "retry_after": round(retry_after, 3),
            "global": is_global,
            "code": 0,
        }
        return Verdict(headers, 429, body)

    def _headers(
        self, bucket: str, limit: Limit, remaining: int, window: Window, now: float
    ) -> dict[str, str]:
        reset_after = _reset_after(window, limit, now)
        return {
            "X-RateLimit-Limit": str(limit.limit),
            "X-RateLimit-Remaining": str(max(0, remaining)),
            "X-RateLimit-Reset": f"{self.wall() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket,
        }

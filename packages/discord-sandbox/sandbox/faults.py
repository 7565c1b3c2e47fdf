"""Fault injection for the sandbox server: 429s, 5xx, slow routes and Discord error codes.

Every rule matches a route template such as ``"POST /channels/{channel_id}/messages"`` (or
``None`` for every route) and fires either for the next ``count`` matching requests or with a
``probability`` drawn from a seeded ``random.Random``, so a run is reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

QUARANTINE_CODE = 20026
QUARANTINE_MESSAGE = (
    "Your bot has been flagged by our anti-spam system for abusive behavior. Please reach out to "
    "our team by going to https://dis.gd/app-quarantine and appealing."
)


@dataclass
class FaultRule:
    kind: str  # "rate_limit", "error", "delay"
    route: str | None
    count: int | None = None
    probability: float | None = None
    status: int = 500
    code: int = 0
    message: str = ""
    retry_after: float = 1.0
    global_: bool = False
    delay: float = 0.0
    user_ids: frozenset[int] = frozenset()  # for DM-open rules: only these recipients
    fired: int = 0

    def matches(self, route: str) -> bool:
        return self.route is None or self.route == route


@dataclass
class FaultDecision:
    delay: float = 0.0
    status: int | None = None
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


class Faults:
    """What the server should get wrong, on demand. ``server.faults``."""

    def __init__(self, seed: int = 0) -> None:
        self.random = random.Random(seed)
        self.rules: list[FaultRule] = []
        self.closed_dm_user_ids: dict[int, int] = {}  # user id -> error code (50007 default)
        self.quarantined = False

    def seed(self, seed: int) -> None:
        self.random.seed(seed)

    def clear(self) -> None:
        self.rules.clear()
        self.closed_dm_user_ids.clear()
        self.quarantined = False

    def _add(self, rule: FaultRule) -> FaultRule:
        if rule.count is None and rule.probability is None:
            rule.count = 1
        self.rules.append(rule)
        return rule

    # --- public API -------------------------------------------------------------------------
    def rate_limit(
        self,
        route: str | None = None,
        *,
        count: int | None = None,
        probability: float | None = None,
        retry_after: float = 0.2,
        global_: bool = False,
    ) -> FaultRule:
        """Answer 429 with ``retry_after`` (body and headers), per route or global."""
        return self._add(
            FaultRule(
                "rate_limit",
                route,
                count,
                probability,
                status=429,
                retry_after=retry_after,
                global_=global_,
            )
        )

    def server_error(
        self,
        route: str | None = None,
        *,
        count: int | None = None,
        probability: float | None = None,
        status: int = 500,
    ) -> FaultRule:
        return self._add(
            FaultRule(
                "error",
                route,
                count,
                probability,
                status=status,
                code=0,
                message=f"{status}: Internal Server Error",
            )
        )

    def error(
        self,
        route: str | None,
        *,
        status: int,
        code: int,
        message: str,
        count: int | None = None,
        probability: float | None = None,
    ) -> FaultRule:
        """Any Discord JSON error on a route."""
        return self._add(FaultRule("error", route, count, probability, status, code, message))

    def slow(
        self,
        route: str | None = None,
        *,
        delay: float,
        count: int | None = None,
        probability: float | None = None,
    ) -> FaultRule:
        """Delay matching responses by ``delay`` seconds (forever unless count/probability)."""
        if count is None and probability is None:
            probability = 1.0
        return self._add(FaultRule("delay", route, count, probability, delay=delay))

    def close_dms(self, user: Any, *, code: int = 50007) -> None:
        """Sending a DM to this user fails with 403 ``code`` (50007 Cannot send messages)."""
        self.closed_dm_user_ids[int(getattr(user, "id", user))] = code

    def dm_open_too_fast(
        self, *, count: int | None = None, probability: float | None = None
    ) -> FaultRule:
        """POST /users/@me/channels answers 403 code 40003."""
        return self.error(
            "POST /users/@me/channels",
            status=403,
            code=40003,
            message="You are opening direct messages too fast",
            count=count,
            probability=probability,
        )

    def quarantine(self, enabled: bool = True) -> None:
        """The app is quarantined: opening DMs and sending to new DM channels fail with 20026."""
        self.quarantined = enabled

    def max_active_threads(
        self, *, count: int | None = None, probability: float | None = None
    ) -> list[FaultRule]:
        """Thread creation answers 400 code 160006 Maximum number of active threads reached."""
        return [
            self.error(
                route,
                status=400,
                code=160006,
                message="Maximum number of active threads reached",
                count=count,
                probability=probability,
            )
            for route in (
                "POST /channels/{channel_id}/threads",
                "POST /channels/{channel_id}/messages/{message_id}/threads",
            )
        ]

    # --- evaluation (server side) -------------------------------------------------------------
    def _fires(self, rule: FaultRule) -> bool:
        if rule.count is not None:
            if rule.fired >= rule.count:
                return False
            rule.fired += 1
            return True
        if rule.probability is not None and self.random.random() < rule.probability:
            rule.fired += 1
            return True
        return False

    def decide(self, route: str) -> FaultDecision:
        decision = FaultDecision()
        for rule in self.rules:
            if not rule.matches(route):
                continue
            if rule.kind == "delay":
                if self._fires(rule):
                    decision.delay += rule.delay
                continue
            if decision.status is not None or not self._fires(rule):
                continue
            decision.status = rule.status
            if rule.kind == "rate_limit":
                decision.body = {
                    "message": "You are being rate limited.",
                    "retry_after": rule.retry_after,
                    "global": rule.global_,
                    "code": 0,
                }
                decision.headers = {
                    "Retry-After": str(max(1, round(rule.retry_after + 0.5))),
                    "X-RateLimit-Scope": "global" if rule.global_ else "user",
                }
                if rule.global_:
                    decision.headers["X-RateLimit-Global"] = "true"
                else:
                    decision.headers.update(
                        {
                            "X-RateLimit-Limit": "5",
                            "X-RateLimit-Remaining": "0",
                            "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
                        }
                    )
            else:
                decision.body = {"message": rule.message, "code": rule.code}
        return decision

"""Outcomes of deliveries, routed back to the feature that enqueued them.

A feature registers a handler under a name and passes that name as ``outcome_handler`` when it
enqueues. The sender calls the handler inside the transaction that settles the item, so a
fallback ("DMs closed → open a private thread instead") is enqueued atomically with it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.domain.delivery import Outcome
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

OutcomeHandler = Callable[[UnitOfWork, Outcome, datetime], Awaitable[None]]


class OutcomeRouter:
    def __init__(self) -> None:
        self._handlers: dict[str, OutcomeHandler] = {}
        self._departures: list[Callable[[int, int], Awaitable[None]]] = []

    def register(self, name: str, handler: OutcomeHandler) -> None:
        if name in self._handlers:
            raise ValueError(f"outcome handler {name!r} is registered twice")
        self._handlers[name] = handler

    async def dispatch(
        self, uow: UnitOfWork, name: str | None, outcome: Outcome, now: datetime
    ) -> None:
        if name is None:
            return
        handler = self._handlers.get(name)
        if handler is None:
            log.error("No outcome handler %r for delivery %s", name, outcome.key)
            return
        await handler(uow, outcome, now)

    def on_member_left(self, listener: Callable[[int, int], Awaitable[None]]) -> None:
        """Hear of a member Discord says is gone (10007 Unknown Member on a send)."""
        self._departures.append(listener)

    async def member_left(self, guild_id: int, user_id: int) -> None:
        for listener in self._departures:
            await listener(guild_id, user_id)

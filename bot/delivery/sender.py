"""The one sender that drains the outbox (ARCHITECTURE rule 9).

Per item: ``queued → sending → sent | failed``. Items of one recipient leave in order, one at a
time; a few recipients are served concurrently. Every request passes the token buckets. Crash
recovery puts ``sending`` items back in the queue; Discord's ``nonce`` + ``enforce_nonce``
turns the resend of a message that did go out into a no-op; thread creation records that it
began, and a try after an interruption looks for the thread before creating it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.delivery.posts import QuietChannel, post_message
from bot.delivery.threads import ThreadOpener, add_members
from bot.delivery.transport import DiscordError, DiscordTransport
from bot.domain.delivery import (
    GIVE_UP_ON_THREAD_LIMIT,
    MAX_ACTIVE_THREADS_CODE,
    MAX_ATTEMPTS,
    Delivery,
    DeliveryKind,
    FailureReason,
    Outcome,
    Reaction,
    backoff_seconds,
    react_to,
)
from bot.domain.settings import ChannelPurpose
from bot.services.delivery import OutcomeRouter
from bot.storage.database import Database
from bot.storage.repositories.outbox import OutboxItem, OutboxRepository

log = logging.getLogger(__name__)

DMS_STOPPED = "dms_stopped"  # the app is quarantined
DM_OPENS_PAUSED = "dm_opens_paused"  # Discord said 40003
QUARANTINE_NOTICE = (
    "⚠️ Discord has restricted this bot from sending direct messages (app quarantine). "
    "Introductions and notices wait in the queue and nothing is lost; the bot owner should "
    "appeal at https://dis.gd/app-quarantine."
)


@dataclass(frozen=True)
class SenderConfig:
    concurrency: int = 4
    dm_closed_cooloff: timedelta = timedelta(days=7)
    dm_open_pause: timedelta = timedelta(minutes=10)
    quarantine_pause: timedelta = timedelta(hours=24)
    thread_limit_pause: timedelta = timedelta(minutes=15)
    retry_base_seconds: float = 2.0  # first backoff after a 5xx or a dropped connection
    idle_poll_seconds: float = 1.0
    shutdown_seconds: float = 10.0


class DmsClosed(Exception):
    """The recipient's DMs are known to be closed; no request is made during the cool-off."""


class OutboxSender:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        transport: DiscordTransport,
        router: OutcomeRouter,
        config: SenderConfig | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.transport = transport
        self.threads = ThreadOpener(transport, self._checkpoint)
        self.router = router
        self.config = config or SenderConfig()
        self._dm_channels: dict[int, int] = {}
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._in_flight: set[asyncio.Task[None]] = set()
        self._opening: set[int] = set()  # in-flight items that must open a DM channel first
        self.delivered = 0

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        if self._task is not None:
            return
        async with self.db.transaction() as uow:
            recovered = await uow.outbox.requeue_interrupted(now=self.clock.now())
        if recovered:
            log.warning("Re-queued %d deliveries interrupted by a restart", recovered)
        self.db.commit_listeners.append(self.wake)
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    def wake(self) -> None:
        self._wake.set()

    async def stop(self) -> None:
        """Finish in-flight items within the grace period; anything left goes back to the queue."""
        if self._task is None:
            return
        self._stopping.set()
        self.wake()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._task), self.config.shutdown_seconds)
        if not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            async with self.db.transaction() as uow:
                await uow.outbox.requeue_interrupted(now=self.clock.now())
        self._task = None
        with contextlib.suppress(ValueError):
            self.db.commit_listeners.remove(self.wake)
        await self.transport.close()

    async def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                started = await self._start_due_items()
                if not started:
                    await self._idle()
            if self._in_flight:
                await asyncio.gather(*self._in_flight, return_exceptions=True)
        except asyncio.CancelledError:
            for task in self._in_flight:
                task.cancel()
            await asyncio.gather(*self._in_flight, return_exceptions=True)
            raise

    async def _start_due_items(self) -> int:
        free = self.config.concurrency - len(self._in_flight)
        if free <= 0:
            return 0
        now = self.clock.now()
        async with self.db.transaction() as uow:
            repo = uow.outbox
            exclude_dms = await self._dms_held(repo, now)
            # A wide window, so messages to open DM channels are found behind items that
            # still wait for the (much slower) DM-open budget.
            candidates = await repo.due(now=now, limit=free * 50, exclude_dms=exclude_dms)
            chosen = self._choose(candidates, free)
            claimed = [item for item in chosen if await repo.mark_sending(item.id, now=now)]
        for item in claimed:
            if self._needs_dm_open(item):
                self._opening.add(item.id)
            task = asyncio.create_task(self._deliver(item))
            self._in_flight.add(task)
            task.add_done_callback(self._finished)
        return len(claimed)

    def _choose(self, candidates: list[OutboxItem], free: int) -> list[OutboxItem]:
        """Oldest first, but at most one item waiting to open a DM channel at a time.

        DM opens have a much smaller budget; items that need one would otherwise fill every
        slot while messages to already-open channels wait.
        """
        chosen: list[OutboxItem] = []
        opening = len(self._opening)
        for item in candidates:
            if len(chosen) == free:
                break
            if self._needs_dm_open(item):
                if opening >= 1:
                    continue
                opening += 1
            chosen.append(item)
        return chosen

    def _needs_dm_open(self, item: OutboxItem) -> bool:
        return item.kind is DeliveryKind.SEND_DM and item.target_id not in self._dm_channels

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self.wake()
        if not task.cancelled() and task.exception() is not None:
            log.error("Delivery task crashed", exc_info=task.exception())

    async def _idle(self) -> None:
        self._wake.clear()
        timeout = self.config.idle_poll_seconds
        if not self._in_flight:
            async with self.db.read() as uow:
                due_at = await uow.outbox.next_due_at()
            if due_at is not None:
                until_due = (due_at - self.clock.now()).total_seconds()
                timeout = min(timeout, max(until_due, 0.01))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)

    async def _dms_held(self, repo: OutboxRepository, now: datetime) -> bool:
        for name in (DMS_STOPPED, DM_OPENS_PAUSED):
            flag = await repo.flag(name)
            if flag is not None and flag[1] is not None and flag[1] > now:
                return True
        return False

    # -- one item -----------------------------------------------------------------------------

    async def _deliver(self, item: OutboxItem) -> None:
        try:
            result = await self._perform(item)
        except DmsClosed:
            await self._settle(item, failure=FailureReason.DMS_CLOSED)
        except QuietChannel:
            await self._settle(item, failure=FailureReason.QUIET)
        except DiscordError as error:
            await self._on_error(item, error)
        else:
            await self._settle(item, result=result)
        finally:
            self._opening.discard(item.id)

    async def _perform(self, item: OutboxItem) -> dict[str, Any]:
        payload = item.payload
        if item.kind is DeliveryKind.SEND_DM:
            channel_id = await self._dm_channel(item.target_id)
            message_id = await self.transport.create_message(
                channel_id, payload["message"], item.nonce()
            )
            return {"channel_id": channel_id, "message_id": message_id}
        if item.kind is DeliveryKind.POST_MESSAGE:
            return await post_message(self.transport, item, self._checkpoint)
        if item.kind is DeliveryKind.CREATE_THREAD:
            return await self._create_thread(item)
        if item.kind is DeliveryKind.EDIT_MESSAGE:
            await self.transport.edit_message(
                item.target_id, payload["message_id"], payload["message"]
            )
            return {"channel_id": item.target_id, "message_id": payload["message_id"]}
        await self.transport.update_thread(
            item.target_id, archived=payload["archived"], locked=payload["locked"]
        )
        return {"thread_id": item.target_id}

    async def _dm_channel(self, user_id: int) -> int:
        async with self.db.read() as uow:
            closed_until = await uow.outbox.dms_closed_until(user_id)
        if closed_until is not None and closed_until > self.clock.now():
            raise DmsClosed
        if user_id not in self._dm_channels:
            self._dm_channels[user_id] = await self.transport.open_dm(user_id)
        return self._dm_channels[user_id]

    async def _checkpoint(self, item: OutboxItem, result: dict[str, Any]) -> None:
        async with self.db.transaction() as uow:
            await uow.outbox.checkpoint(item.id, result, now=self.clock.now())

    async def _create_thread(self, item: OutboxItem) -> dict[str, Any]:
        payload, result = item.payload, dict(item.result)
        if "thread_id" not in result:
            result["thread_id"] = await self.threads.open(item, result)
            await self._checkpoint(item, result)  # never create it twice
        thread_id = result["thread_id"]
        gone = await add_members(self.transport, item, thread_id, self.router.member_left)
        if gone:
            result["left_server"] = gone
        if payload.get("message"):
            result["message_id"] = await self.transport.create_message(
                thread_id, payload["message"], item.nonce("first")
            )
        return result

    # -- outcomes -----------------------------------------------------------------------------

    async def _settle(
        self,
        item: OutboxItem,
        *,
        result: dict[str, Any] | None = None,
        failure: FailureReason | None = None,
    ) -> None:
        now = self.clock.now()
        outcome = Outcome(
            item_id=item.id,
            key=item.key,
            kind=item.kind,
            target_id=item.target_id,
            guild_id=item.guild_id,
            sent=failure is None,
            failure=failure,
            result=result or {},
        )
        async with self.db.transaction() as uow:
            repo = uow.outbox
            if failure is None:
                await repo.mark_sent(item.id, outcome.result, now=now)
            else:
                await repo.mark_failed(item.id, failure, now=now)
                if failure is FailureReason.DMS_CLOSED:
                    until = now + self.config.dm_closed_cooloff
                    if (await repo.dms_closed_until(item.target_id) or now) <= now:
                        await repo.set_dms_closed(item.target_id, until, now=now)
            await self.router.dispatch(uow, item.outcome_handler, outcome, now)
        if failure is None:
            self.delivered += 1
        else:
            log.info("Delivery %s failed: %s", item.key, failure.value)

    async def _on_error(self, item: OutboxItem, error: DiscordError) -> None:
        if error.code == MAX_ACTIVE_THREADS_CODE and item.payload.get(GIVE_UP_ON_THREAD_LIMIT):
            await self._settle(item, failure=FailureReason.THREAD_LIMIT)
            return
        reaction, failure = react_to(error.status, error.code)
        if reaction is Reaction.RETRY:
            await self._retry(item, error)
        elif reaction is Reaction.DMS_CLOSED:
            self._dm_channels.pop(item.target_id, None)
            await self._settle(item, failure=FailureReason.DMS_CLOSED)
        elif reaction is Reaction.PAUSE_DM_OPENS:
            log.warning("Discord says DMs are opened too fast (40003); pausing DM opens")
            await self._hold_dms(item, DM_OPENS_PAUSED, self.config.dm_open_pause)
        elif reaction is Reaction.STOP_DMS:
            await self._quarantined(item)
        else:
            log.error("Delivery %s refused by Discord: %s", item.key, error)
            await self._settle(item, failure=failure)

    async def _retry(self, item: OutboxItem, error: DiscordError) -> None:
        if error.retry_after is not None:
            delay = error.retry_after
            if error.is_global:
                self.transport.bucket.pause(delay)
        elif error.code == MAX_ACTIVE_THREADS_CODE:
            delay = self.config.thread_limit_pause.total_seconds()
        else:
            if item.attempts >= MAX_ATTEMPTS:
                log.error("Giving up on delivery %s after %d tries", item.key, item.attempts)
                await self._settle(item, failure=FailureReason.GAVE_UP)
                return
            delay = backoff_seconds(item.attempts, base=self.config.retry_base_seconds)
        now = self.clock.now()
        async with self.db.transaction() as uow:
            await uow.outbox.retry_later(
                item.id, not_before=now + timedelta(seconds=delay), now=now
            )

    async def _hold_dms(self, item: OutboxItem, flag: str, pause: timedelta) -> bool:
        """Pause DMs until ``now + pause``; True if this call set the flag (first to notice)."""
        now = self.clock.now()
        until = now + pause
        async with self.db.transaction() as uow:
            repo = uow.outbox
            current = await repo.flag(flag)
            held_until = current[1] if current is not None else None
            first = held_until is None or held_until <= now
            if first:
                await repo.set_flag(flag, value=now.isoformat(), until=until, now=now)
                held_until = until
            assert held_until is not None
            await repo.retry_later(item.id, not_before=held_until, now=now)
        return first

    async def _quarantined(self, item: OutboxItem) -> None:
        if not await self._hold_dms(item, DMS_STOPPED, self.config.quarantine_pause):
            return
        log.critical("Discord quarantined the app: all DMs stopped until an appeal succeeds")
        now = self.clock.now()
        async with self.db.transaction() as uow:
            channels = await uow.settings.channels_for(ChannelPurpose.MODERATION_LOG)
            outbox = uow.outbox
            for guild_id, channel_id in channels:
                notice = Delivery.post(
                    f"delivery:quarantine:{now.date().isoformat()}:{guild_id}",
                    channel_id,
                    {"content": QUARANTINE_NOTICE},
                    guild_id=guild_id,
                )
                await outbox.enqueue(notice, now=now)

    # -- for tests and benchmarks -------------------------------------------------------------

    async def drain(self, timeout: float = 60.0) -> None:
        """Wait until nothing is queued, due or in flight (the sender must be running)."""
        async with asyncio.timeout(timeout):
            while True:
                async with self.db.read() as uow:
                    repo = uow.outbox
                    counts = await repo.counts()
                    due_at = await repo.next_due_at()
                if not counts.get("sending") and due_at is None and not self._in_flight:
                    return
                await asyncio.sleep(0.05)

"""Double opt-in introductions: request, answer, withdraw, snooze, and the neutral ending.

Every use case is one transaction. What must reach Discord later (the request DM, the two
introductions, the requester's "didn't work out") is an outbox row written in that transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain.consent import may_surface
from bot.domain.delivery import Delivery
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.introductions import (
    DAY,
    IntroRequest,
    PairHistory,
    RequestState,
    check_requester_side,
    clean_note,
    neutral_answer,
    target_may_be_asked,
)
from bot.services.introductions import messages
from bot.services.introductions.fallback import FallbackThreads, shared_tags
from bot.services.members import MemberDirectory
from bot.services.moderation_log import log_moderator_action
from bot.services.settings import SettingsService
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

INTRO_DM_HANDLER = "introductions.introduction"
MAX_SNOOZE_WEEKS = 12


@dataclass(frozen=True)
class Answer:
    """What the target's click did, for the cog to say."""

    request: IntroRequest
    text: str


@dataclass(frozen=True)
class PendingRequests:
    incoming: tuple[IntroRequest, ...]
    outgoing: tuple[IntroRequest, ...]
    # Accepted, but neither a DM nor a thread could carry the introduction yet (retried).
    undelivered: tuple[IntroRequest, ...] = ()


class IntroductionService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        directory: MemberDirectory,
        settings: SettingsService,
    ) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory
        self.settings = settings
        directory.on_consent_withdrawn(self.cancel_pending)
        self.fallback = FallbackThreads(db, clock, directory)

    def _guild_name(self, guild_id: int) -> str:
        return self.directory.guild_name(guild_id)

    # -- asking ---------------------------------------------------------------------------------

    async def request(
        self, guild_id: int, requester_id: int, target_id: int, note: str | None = None
    ) -> str:
        """Ask ``target_id`` for an introduction; the answer is the same whatever they'd say."""
        cleaned = clean_note(note)
        now = self.clock.now()
        async with self.db.transaction() as uow:
            defaults = await self.settings.defaults_in(uow, guild_id)
            requester = await self.directory.ensure(uow, guild_id, requester_id)
            if not requester.discoverable:
                raise Conflict(
                    "People you ask will see your profile, so you need to be discoverable "
                    "first: use /privacy discoverable on."
                )
            history = await self._history(uow, guild_id, requester_id, target_id, now)
            check_requester_side(requester_id, target_id, history, defaults, now)
            consent = await self._consents(uow, guild_id, requester_id, target_id, now)
            delivered = target_may_be_asked(history, defaults, consent=consent)
            request = await uow.intro_requests.add(
                guild_id,
                requester_id,
                target_id,
                note=cleaned,
                delivered=delivered,
                now=now,
                expires_at=now + timedelta(days=defaults.intro_expiry_days),
            )
            if delivered:
                await self._ask(uow, request)
        log.info("Guild %s: intro request %s (delivered=%s)", guild_id, request.id, delivered)
        return neutral_answer(defaults.intro_expiry_days)

    async def _consents(
        self, uow: UnitOfWork, guild_id: int, requester_id: int, target_id: int, now: datetime
    ) -> bool:
        target = await uow.members.get(guild_id, target_id)
        if target is None:
            return False
        blocked = await uow.blocks.between(guild_id, requester_id, target_id)
        blocks = {(requester_id, target_id)} if blocked else set()
        return may_surface(requester_id, target.standing, at=now, blocks=blocks)

    async def _history(
        self, uow: UnitOfWork, guild_id: int, requester_id: int, target_id: int, now: datetime
    ) -> PairHistory:
        between = await uow.intro_requests.between(guild_id, requester_id, target_id)
        mine = [r for r in between if r.requester_id == requester_id]
        theirs = [r for r in between if r.requester_id == target_id]
        refusals = [r for r in mine if r.state in (RequestState.DECLINED, RequestState.REPORTED)]
        last_refusal = max((r.created_at for r in refusals), default=None)
        asked_back = any(last_refusal and r.created_at > last_refusal for r in theirs)
        introduced = [r.decided_at for r in between if r.state is RequestState.ACCEPTED]
        return PairHistory(
            requester_waiting=await uow.intro_requests.waiting_count(guild_id, requester_id),
            requester_sent_today=await uow.intro_requests.sent_since(
                guild_id, requester_id, now - DAY
            ),
            target_incoming=await uow.intro_requests.incoming_count(guild_id, target_id),
            last_request=mine[-1] if mine else None,
            target_declined_requester=bool(refusals) and not asked_back,
            target_asked_requester=any(r.waiting_for_target for r in theirs),
            introduced_at=next((at for at in introduced if at is not None), None),
        )

    async def _ask(self, uow: UnitOfWork, request: IntroRequest) -> None:
        guild_id = request.guild_id
        profile = await uow.profiles.get(guild_id, request.requester_id)
        shared = await shared_tags(uow, guild_id, request.requester_id, request.target_id)
        message = messages.request_dm(
            request,
            guild_name=self._guild_name(guild_id),
            requester_profile=profile,
            shared=shared,
        )
        await uow.outbox.enqueue(
            Delivery.dm(
                _ask_key(request.id),
                request.target_id,
                message,
                guild_id=guild_id,
                subject_user_id=request.requester_id,
            ),
            now=self.clock.now(),
        )

    # -- answering ------------------------------------------------------------------------------

    async def accept(self, request_id: int, user_id: int) -> Answer:
        now = self.clock.now()
        async with self.db.transaction() as uow:
            request = await self._answerable(uow, request_id, user_id)
            if not await self._consents(
                uow, request.guild_id, request.target_id, request.requester_id, now
            ):
                await uow.intro_requests.decide(request.id, RequestState.CANCELLED, now=now)
                return Answer(request, "This request has closed.")
            await uow.intro_requests.decide(request.id, RequestState.ACCEPTED, now=now, told=True)
            for me, other in (
                (request.requester_id, request.target_id),
                (request.target_id, request.requester_id),
            ):
                await self._introduce(uow, request, me, other)
        return Answer(request, "You accepted: you'll both get an introduction by DM now.")

    async def _introduce(self, uow: UnitOfWork, request: IntroRequest, me: int, other: int) -> None:
        guild_id = request.guild_id
        message = messages.introduction(
            other_id=other,
            guild_name=self._guild_name(guild_id),
            other_profile=await uow.profiles.get(guild_id, other),
            shared=await shared_tags(uow, guild_id, me, other),
        )
        await uow.outbox.enqueue(
            Delivery.dm(
                _intro_key(request.id, me),
                me,
                message,
                guild_id=guild_id,
                subject_user_id=other,
                outcome_handler=INTRO_DM_HANDLER,
            ),
            now=self.clock.now(),
        )

    async def decline(
        self, request_id: int, user_id: int, *, block: bool = False, report: bool = False
    ) -> Answer:
        now = self.clock.now()
        async with self.db.transaction() as uow:
            request = await self._answerable(uow, request_id, user_id)
            state = RequestState.REPORTED if report else RequestState.DECLINED
            await uow.intro_requests.decide(request.id, state, now=now)
            if block or report:
                await self.directory.block(uow, request.guild_id, user_id, request.requester_id)
            if report:
                await log_moderator_action(
                    uow, request.guild_id, user_id, messages.report_text(request), now=now
                )
        if report:
            text = "Declined, blocked and reported to the moderators. They won't be told."
        elif block:
            text = "Declined and blocked. They won't be told, and won't be suggested to you again."
        else:
            text = "Declined. They won't be told."
        return Answer(request, text)

    async def _answerable(self, uow: UnitOfWork, request_id: int, user_id: int) -> IntroRequest:
        request = await uow.intro_requests.by_id(request_id)
        if request is None or request.target_id != user_id:
            raise NotFound("That request no longer exists.")
        if not request.waiting_for_target:
            raise Conflict("This request has closed.")
        return request

    async def withdraw(self, guild_id: int, requester_id: int, request_id: int) -> IntroRequest:
        now = self.clock.now()
        async with self.db.transaction() as uow:
            request = await uow.intro_requests.get(guild_id, request_id)
            if request is None or request.requester_id != requester_id:
                raise NotFound("That request no longer exists.")
            if not request.waiting_for_requester:
                raise Conflict("That request has already closed.")
            if request.state is RequestState.PENDING:
                await uow.intro_requests.decide(
                    request.id, RequestState.WITHDRAWN, now=now, told=True
                )
                await uow.outbox.cancel([_ask_key(request.id)], now=now)
            else:
                await uow.intro_requests.mark_told(request.id, now=now)
        return request

    async def pending(self, guild_id: int, user_id: int) -> PendingRequests:
        async with self.db.read() as uow:
            incoming = await uow.intro_requests.incoming(guild_id, user_id)
            outgoing = await uow.intro_requests.outgoing(guild_id, user_id)
            undelivered = await uow.intro_requests.undelivered(
                before=self.clock.now(), guild_id=guild_id, user_id=user_id
            )
        return PendingRequests(tuple(incoming), tuple(outgoing), tuple(undelivered))

    # -- consent changes ------------------------------------------------------------------------

    async def cancel_pending(
        self, uow: UnitOfWork, guild_id: int, user_id: int, other_id: int | None = None
    ) -> None:
        """Consent changed: everything pending for ``user_id`` (with ``other_id``) is cancelled."""
        now = self.clock.now()
        pending = await uow.intro_requests.pending_involving(guild_id, user_id, other_id)
        for request in pending:
            await uow.intro_requests.decide(request.id, RequestState.CANCELLED, now=now)
        await uow.outbox.cancel([_ask_key(r.id) for r in pending], now=now)

    # -- snooze ---------------------------------------------------------------------------------

    async def snooze(self, guild_id: int, user_id: int, weeks: int) -> datetime:
        if not 1 <= weeks <= MAX_SNOOZE_WEEKS:
            raise InvalidInput(f"Snooze for 1 to {MAX_SNOOZE_WEEKS} weeks (you gave {weeks}).")
        until = self.clock.now() + timedelta(weeks=weeks)
        async with self.db.transaction() as uow:
            await self.directory.set_snooze(uow, guild_id, user_id, until)
        return until

    async def snooze_off(self, guild_id: int, user_id: int) -> None:
        async with self.db.transaction() as uow:
            await self.directory.set_snooze(uow, guild_id, user_id, None)

    # -- the neutral ending (a scheduled job) ---------------------------------------------------

    async def end_expired(self) -> int:
        """Tell each requester whose request expired without a yes, once; how many were told."""
        now = self.clock.now()
        async with self.db.transaction() as uow:
            due = await uow.intro_requests.due_for_ending(now=now)
            for request in due:
                if request.state is RequestState.PENDING:
                    await uow.intro_requests.decide(request.id, RequestState.EXPIRED, now=now)
                    await uow.outbox.cancel([_ask_key(request.id)], now=now)
                await uow.intro_requests.mark_told(request.id, now=now)
                await uow.outbox.enqueue(
                    Delivery.dm(
                        f"intro:{request.id}:ended",
                        request.requester_id,
                        messages.ended_dm(request.target_id, self._guild_name(request.guild_id)),
                        guild_id=request.guild_id,
                        subject_user_id=request.requester_id,
                    ),
                    now=now,
                )
        return len(due)


def _ask_key(request_id: int) -> str:
    return f"intro:{request_id}:ask"


def _intro_key(request_id: int, user_id: int) -> str:
    return f"intro:{request_id}:introduction:{user_id}"

"""Routing mentor requests: the card, the DMs to the best mentors, escalation and expiry.

The scheduler wakes :meth:`MentorRouting.tick`; what is due comes from the database
(``routed_wave``, ``opened_at``, ``escalated_at``) and the clock. A new request is routed in the
transaction that opens it; ``route_pending`` covers requests sent back after a poor fit (status
open, wave 0) and anything a crash interrupted. Consent is checked at every step: a withdrawal
excludes the member from the requests offered to them, and re-routes those left with nobody.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from bot.clock import Clock
from bot.domain.delivery import Delivery, DeliveryState
from bot.domain.mentorship.requests import (
    ESCALATE_AFTER,
    EXPIRE_AFTER,
    MentorRequest,
    RequestStatus,
)
from bot.domain.mentorship.routing import WAVE_SIZE, Candidate, choose_mentors, mentor_topics
from bot.domain.settings import ChannelPurpose
from bot.services.members import MemberDirectory
from bot.services.mentorship import messages
from bot.services.mentorship.messages import Ending
from bot.services.moderation_log import log_bot_notice
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

ANY_NUMBER = 1_000_000  # a limit on chosen mentors that is no limit


def new_card_key(request: MentorRequest) -> str:
    # Each routing from wave 0 (a new request, one sent back after a poor fit) posts a card of
    # its own; the request remembers the current one's key, and a key is never sent twice.
    return f"mentor:req:{request.id}:card:{secrets.token_hex(4)}"


def reopened(request: MentorRequest) -> bool:
    """Sent back after a poor fit (which opens it again from then)."""
    return request.opened_at != request.created_at


def dm_key(request: MentorRequest, mentor_id: int) -> str:
    key = f"mentor:req:{request.id}:dm:{mentor_id}"
    if not reopened(request):
        return key
    # Reopened after a poor fit: mentors told before get a new DM (their first says "Matched").
    return f"{key}:{request.opened_at.isoformat()}"


async def topic_name(uow: UnitOfWork, request: MentorRequest) -> str:
    tag = await uow.vocabulary.get_tag(request.guild_id, request.tag_id)
    return tag.name if tag else "a topic"


async def close_offer(
    uow: UnitOfWork, key: str, message: messages.Message, ending: Ending, now: datetime
) -> None:
    """A card or DM that can no longer be claimed: withdrawn if unsent, else edited."""
    item = await uow.outbox.get(key)
    if item is None:
        return
    if item.state is DeliveryState.QUEUED:
        await uow.outbox.cancel([key], now=now)
    elif item.state is DeliveryState.SENT and "message_id" in item.result:
        edit = Delivery.edit(
            f"{key}:{ending.value}",
            int(item.result["channel_id"]),
            int(item.result["message_id"]),
            message,
            guild_id=item.guild_id,
        )
        await uow.outbox.enqueue(edit, now=now)


async def announce_ended(
    uow: UnitOfWork,
    request: MentorRequest,
    ending: Ending,
    now: datetime,
    *,
    winner: tuple[int, int] | None = None,
) -> None:
    """The card and every mentor's DM say the request can no longer be claimed; ``winner``
    (mentor, thread) gets a DM of its own pointing at the thread."""
    topic = await topic_name(uow, request)
    message = messages.ended(request, topic, ending)
    if request.card_key:
        await close_offer(uow, request.card_key, message, ending, now)
    for mentor_id in await uow.mentor_requests.told(request.id):
        mine = winner is not None and winner[0] == mentor_id
        text = messages.claimed_by_you(request, topic, winner[1]) if winner and mine else message
        await close_offer(uow, dm_key(request, mentor_id), text, ending, now)


class MentorRouting:
    def __init__(self, db: Database, clock: Clock, directory: MemberDirectory) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory
        directory.on_consent_withdrawn(self.on_consent_withdrawn)

    # -- the job --------------------------------------------------------------------------------

    async def tick(self) -> None:
        """Route, escalate and expire whatever is due (one transaction each)."""
        await self.route_pending()
        await self.escalate_due()
        await self.expire_due()

    async def route_pending(self) -> int:
        """Route every open request at wave 0 (new, sent back after a poor fit, interrupted)."""
        now = self.clock.now()
        routed = 0
        async with self.db.transaction() as uow:
            for request in await uow.mentor_requests.to_route():
                routed += await self.route(uow, request, now)
        return routed

    async def route(self, uow: UnitOfWork, request: MentorRequest, now: datetime) -> bool:
        """Post the card and DM the first mentors; False (try later) while the mentee snoozes."""
        mentee = await uow.members.get(request.guild_id, request.mentee_id)
        if mentee is None or not mentee.standing.visible(now):
            return False
        topic = await topic_name(uow, request)
        channel = await uow.settings.channel_for(request.guild_id, ChannelPurpose.MENTOR_REQUESTS)
        if request.card_key is not None:  # reopened after a poor fit: one card, the new one
            repost = messages.ended(request, topic, Ending.REPOSTED)
            await close_offer(uow, request.card_key, repost, Ending.REPOSTED, now)
        if channel is not None:
            key = new_card_key(request)
            card = Delivery.post(
                key,
                channel,
                messages.card(request, topic),
                guild_id=request.guild_id,
                subject_user_id=request.mentee_id,
            )
            await uow.outbox.enqueue(card, now=now)
            await uow.mentor_requests.set_card(request.id, channel, key)
        told = await self.tell_next(uow, request, wave=max(1, request.routed_wave), now=now)
        if not told:
            await log_bot_notice(
                uow,
                request.guild_id,
                f"A {'reopened' if reopened(request) else 'new'} mentor request in {topic} "
                f"(request {request.id}) found no mentor with "
                "room for that topic"
                + (" to DM; it waits on the mentor-requests card." if channel else ".")
                + (" Set a mentor-requests channel with /setup channel." if not channel else ""),
                now=now,
            )
        log.info("Guild %s: mentor request %s routed to %d", request.guild_id, request.id, told)
        return True

    async def tell_next(
        self, uow: UnitOfWork, request: MentorRequest, *, wave: int, now: datetime
    ) -> int:
        """DM the next mentors nobody told yet (least loaded first); how many were told."""
        chosen = await self._choose(uow, request, now)
        await self._tell(uow, request, chosen, wave=wave, now=now)
        await uow.mentor_requests.set_routed(request.id, wave)
        return len(chosen)

    async def tell_resumed(
        self, uow: UnitOfWork, guild_id: int, mentor_id: int, now: datetime
    ) -> int:
        """A mentor back from a pause hears of the open requests that passed them by while
        paused and that they could take now (room, topic, consent); how many."""
        told = 0
        for request in await uow.mentor_requests.open_in(guild_id):
            if request.routed_wave == 0:
                continue  # not routed yet: routing itself will consider this mentor
            if mentor_id in await self._choose(uow, request, now, limit=ANY_NUMBER):
                await self._tell(uow, request, [mentor_id], wave=request.routed_wave, now=now)
                told += 1
        return told

    async def _tell(
        self,
        uow: UnitOfWork,
        request: MentorRequest,
        mentor_ids: list[int],
        *,
        wave: int,
        now: datetime,
    ) -> None:
        topic = await topic_name(uow, request)
        guild_name = self.directory.guild_name(request.guild_id)
        for mentor_id in mentor_ids:
            dm = Delivery.dm(
                dm_key(request, mentor_id),
                mentor_id,
                messages.mentor_dm(request, topic, guild_name),
                guild_id=request.guild_id,
                subject_user_id=request.mentee_id,
            )
            await uow.outbox.enqueue(dm, now=now)
        await uow.mentor_requests.tell(request, mentor_ids, wave=wave, now=now)

    async def _choose(
        self, uow: UnitOfWork, request: MentorRequest, now: datetime, limit: int = WAVE_SIZE
    ) -> list[int]:
        guild_id = request.guild_id
        profiles = await uow.mentors.in_guild(guild_id)
        held = await uow.member_tags.held_in(guild_id)
        records = await uow.members.many(guild_id, (p.user_id for p in profiles))
        holding = await uow.mentor_requests.holding_counts(guild_id)
        waiting = await uow.mentor_requests.waiting_counts(guild_id)
        last_told = await uow.mentor_requests.last_told(guild_id)
        candidates = [
            Candidate(
                standing=records[p.user_id].standing,
                capacity=p.capacity,
                active=holding.get(p.user_id, 0),
                topics=mentor_topics(p.topics, frozenset(held.get(p.user_id, ()))),
                paused=p.paused,
                waiting=waiting.get(p.user_id, 0),
                last_told=last_told.get(p.user_id),
            )
            for p in profiles
            if p.user_id in records
        ]
        return choose_mentors(
            candidates,
            mentee_id=request.mentee_id,
            tag_id=request.tag_id,
            at=now,
            blocks=set(await uow.blocks.pairs_in(guild_id)),
            told=set(await uow.mentor_requests.told(request.id)),
            limit=limit,
        )

    # -- 3 days: the next mentors and a note to moderators ------------------------------------

    async def escalate_due(self) -> int:
        now = self.clock.now()
        async with self.db.transaction() as uow:
            due = await uow.mentor_requests.due_escalation(opened_before=now - ESCALATE_AFTER)
            for request in due:
                told = await self.tell_next(uow, request, wave=request.routed_wave + 1, now=now)
                await uow.mentor_requests.set_routed(
                    request.id, request.routed_wave + 1, escalated_at=now
                )
                topic = await topic_name(uow, request)
                more = (
                    f"I told {told} more mentor{'s' if told != 1 else ''}."
                    if told
                    else "No other mentor has room for that topic: could someone help?"
                )
                await log_bot_notice(
                    uow,
                    request.guild_id,
                    f"A mentor request in {topic} (request {request.id}) has waited 3 days "
                    f"without a claim. {more}",
                    now=now,
                )
        return len(due)

    # -- 14 days: the request expires, and the mentee is told kindly --------------------------

    async def expire_due(self) -> int:
        now = self.clock.now()
        expired = 0
        async with self.db.transaction() as uow:
            for request in await uow.mentor_requests.due_expiry(opened_before=now - EXPIRE_AFTER):
                if not await uow.mentor_requests.move(
                    request.id, RequestStatus.OPEN, RequestStatus.EXPIRED, now=now
                ):
                    continue
                expired += 1
                await announce_ended(uow, request, Ending.EXPIRED, now)
                topic = await topic_name(uow, request)
                guild_name = self.directory.guild_name(request.guild_id)
                await uow.outbox.enqueue(
                    Delivery.dm(
                        f"mentor:req:{request.id}:expired",
                        request.mentee_id,
                        messages.expired_dm(request, topic, guild_name),
                        guild_id=request.guild_id,
                        subject_user_id=request.mentee_id,
                    ),
                    now=now,
                )
        return expired

    # -- pause and consent ----------------------------------------------------------------------

    async def reroute_offered_only_to(
        self, uow: UnitOfWork, guild_id: int, mentor_id: int, now: datetime
    ) -> int:
        """Requests that only ``mentor_id`` could claim go to the next mentors; how many."""
        rerouted = 0
        for request in await uow.mentor_requests.offered_to(guild_id, mentor_id):
            told = await uow.mentor_requests.told(request.id)
            if any(not excluded and m != mentor_id for m, excluded in told.items()):
                continue
            await self.tell_next(uow, request, wave=request.routed_wave + 1, now=now)
            rerouted += 1
        return rerouted

    async def on_consent_withdrawn(
        self, uow: UnitOfWork, guild_id: int, user_id: int, other_id: int | None = None
    ) -> None:
        """Opt-out or deletion: the member's open request is cancelled and they are taken off
        every request offered to them. A block: each is taken off the other's request."""
        now = self.clock.now()
        own = await uow.mentor_requests.current_for(guild_id, user_id)
        if own is not None and own.status is RequestStatus.OPEN:
            if other_id is None:
                if await uow.mentor_requests.move(
                    own.id, RequestStatus.OPEN, RequestStatus.CANCELLED, now=now
                ):
                    await announce_ended(uow, own, Ending.CANCELLED, now)
            else:
                await self._take_off(uow, own, other_id, now)
        for request in await uow.mentor_requests.offered_to(guild_id, user_id):
            if other_id is None or request.mentee_id == other_id:
                await self._take_off(uow, request, user_id, now)

    async def _take_off(
        self, uow: UnitOfWork, request: MentorRequest, mentor_id: int, now: datetime
    ) -> None:
        """``mentor_id`` may no longer see or claim ``request``; the rest get it instead."""
        was_told = mentor_id in await uow.mentor_requests.told(request.id)
        await uow.mentor_requests.exclude(request, mentor_id)
        if not was_told:
            return
        message = messages.ended(request, await topic_name(uow, request), Ending.UNAVAILABLE)
        await close_offer(uow, dm_key(request, mentor_id), message, Ending.UNAVAILABLE, now)
        told = await uow.mentor_requests.told(request.id)
        if not any(not excluded for excluded in told.values()):
            await self.tell_next(uow, request, wave=request.routed_wave + 1, now=now)

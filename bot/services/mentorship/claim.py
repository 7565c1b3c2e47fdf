"""The claim: one transaction decides the winner, then the private thread opens (or not).

Capacity and "still open" are checked in the claiming transaction, and the request moves from
open to matched with a conditional update, so of two mentors clicking at once exactly one wins.
The match starts as ``opening`` (capacity taken, request not claimable) and its thread is an
outbox item; the thread's outcome makes the match ``active`` and the card say "matched", or, if
Discord refused (missing permission, 160006 too many active threads), deletes the match, opens
the request again and tells the moderators why: nothing is left half-done.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain.consent import blocked_between
from bot.domain.delivery import GIVE_UP_ON_THREAD_LIMIT, Delivery, FailureReason, Outcome
from bot.domain.errors import Conflict, NotFound
from bot.domain.mentorship.requests import (
    FIRST_CHECKIN_AFTER,
    MentorRequest,
    RequestStatus,
    add_months,
)
from bot.domain.settings import ChannelPurpose
from bot.services.members import MemberDirectory
from bot.services.mentorship import messages
from bot.services.mentorship.messages import Ending
from bot.services.mentorship.routing import announce_ended, topic_name
from bot.services.moderation_log import log_bot_notice
from bot.storage.database import Database
from bot.storage.repositories.mentor_openings import MatchStub
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

THREAD_HANDLER = "mentorship.thread"
ALREADY_CLAIMED = "Another mentor claimed this request a moment ago. Thank you for offering!"
CLOSED = "This request has closed. Thank you for offering!"
NOT_FOR_YOU = "This request is not open to you. Thank you for offering!"
_WHY = {
    FailureReason.THREAD_LIMIT: "the server has reached Discord's limit of active threads "
    "(error 160006); archive some threads",
    FailureReason.FORBIDDEN: "I am missing a permission there (I need View Channel, Send "
    "Messages in Threads and Create Private Threads; /setup show names what is missing)",
    FailureReason.NOT_FOUND: "the channel is gone; set another with /setup channel",
}


@dataclass(frozen=True)
class Claimed:
    request: MentorRequest
    match: MatchStub
    channel_id: int


def thread_key(match: MatchStub) -> str:
    # Match ids can be reused after a failed thread's match is deleted (SQLite), and a key is
    # never sent twice, so each claim's thread gets a key of its own.
    return f"mentor:match:{match.id}:thread:{secrets.token_hex(4)}"


class MentorClaims:
    def __init__(self, db: Database, clock: Clock, directory: MemberDirectory) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory

    async def claim(self, request_id: int, mentor_id: int) -> Claimed:
        now = self.clock.now()
        async with self.db.transaction() as uow:
            request = await uow.mentor_requests.get(request_id)
            if request is None:
                raise NotFound(CLOSED)
            guild_id = request.guild_id
            if request.status is not RequestStatus.OPEN:
                raise Conflict(
                    ALREADY_CLAIMED if request.status is RequestStatus.MATCHED else CLOSED
                )
            await self._check_mentor(uow, request, mentor_id, now)
            channel = await uow.settings.channel_for(guild_id, ChannelPurpose.MENTORSHIP)
            if channel is None:
                raise Conflict(
                    "No mentorship channel is set here yet, so I can't open your private "
                    "thread. Ask a moderator to set one with /setup channel."
                )
            if not await uow.mentor_requests.move(
                request.id, RequestStatus.OPEN, RequestStatus.MATCHED, now=now
            ):
                raise Conflict(ALREADY_CLAIMED)
            match = await uow.mentor_requests.open_match(
                request, mentor_id, now=now, term_ends_at=add_months(now, request.term_months)
            )
            await self._open_thread(uow, request, match, channel, now)
        log.info("Guild %s: request %s claimed (match %s)", guild_id, request.id, match.id)
        return Claimed(request, match, channel)

    async def _check_mentor(
        self, uow: UnitOfWork, request: MentorRequest, mentor_id: int, now: datetime
    ) -> None:
        guild_id = request.guild_id
        if mentor_id == request.mentee_id:
            raise Conflict("That's your own request: a mentor will claim it.")
        # Locks the offer (PostgreSQL) so two claims by one mentor count capacity in turn.
        profile = await uow.mentors.get(guild_id, mentor_id, lock=True)
        if profile is None:
            raise Conflict("Only mentors can claim requests: offer with /mentor offer first.")
        if profile.paused:
            raise Conflict("You're paused as a mentor: /mentor resume first, then claim.")
        if (await uow.mentor_requests.told(request.id)).get(mentor_id):
            raise Conflict(NOT_FOR_YOU)
        record = await uow.members.get(guild_id, mentor_id)
        if record is None or not record.discoverable:
            raise Conflict("Mentors need to be discoverable: /privacy discoverable on.")
        if record.standing.snoozed(now):
            raise Conflict("You're snoozed: end it with /intro snooze-off to claim requests.")
        if blocked_between(mentor_id, request.mentee_id, set(await uow.blocks.pairs_in(guild_id))):
            raise Conflict(NOT_FOR_YOU)
        holding = (await uow.mentor_requests.holding_counts(guild_id)).get(mentor_id, 0)
        if holding >= profile.capacity:
            raise Conflict(
                f"You're at your capacity ({profile.capacity} at once), so I can't add another "
                "mentee. Raise it with /mentor offer capacity, or leave this one for others."
            )

    async def _open_thread(
        self,
        uow: UnitOfWork,
        request: MentorRequest,
        match: MatchStub,
        channel: int,
        now: datetime,
    ) -> None:
        topic = await topic_name(uow, request)
        opening = messages.opening(
            request,
            topic,
            mentor_id=match.mentor_id,
            term_ends_at=match.term_ends_at,
            mentor_profile=await uow.profiles.get(request.guild_id, match.mentor_id),
            mentee_profile=await uow.profiles.get(request.guild_id, request.mentee_id),
        )
        thread = Delivery.thread(
            thread_key(match),
            channel,
            name=messages.thread_name(topic),
            private=True,
            member_ids=(request.mentee_id, match.mentor_id),
            message=opening,
            guild_id=request.guild_id,
            subject_user_id=request.mentee_id,
            outcome_handler=THREAD_HANDLER,
        )
        payload = {**thread.payload, GIVE_UP_ON_THREAD_LIMIT: True}
        await uow.outbox.enqueue(
            Delivery(
                thread.key,
                thread.kind,
                thread.target_id,
                payload,
                guild_id=thread.guild_id,
                subject_user_id=thread.subject_user_id,
                outcome_handler=thread.outcome_handler,
            ),
            now=now,
        )

    # -- what the sender reports back -----------------------------------------------------------

    async def on_thread(self, uow: UnitOfWork, outcome: Outcome, now: datetime) -> None:
        match = await uow.mentor_requests.match(int(outcome.key.split(":")[2]))
        if match is None or match.status != "opening":
            return  # deleted meanwhile (the member deleted their data)
        request = await uow.mentor_requests.get(match.request_id)
        assert request is not None  # a match's request is deleted with it
        if outcome.sent and "thread_id" in outcome.result:
            await uow.mentor_requests.activate_match(
                match.id,
                int(outcome.result["thread_id"]),
                next_checkin_at=match.matched_at + FIRST_CHECKIN_AFTER,
            )
            await announce_ended(uow, request, Ending.MATCHED, now)
            return
        await self._undo(uow, request, match, outcome, now)

    async def _undo(
        self,
        uow: UnitOfWork,
        request: MentorRequest,
        match: MatchStub,
        outcome: Outcome,
        now: datetime,
    ) -> None:
        """The thread could not be made: no match, the request claimable again, and why."""
        await uow.mentor_requests.drop_opening_match(match.id)
        await uow.mentor_requests.move(
            request.id, RequestStatus.MATCHED, RequestStatus.OPEN, now=now
        )
        topic = await topic_name(uow, request)
        why = _WHY.get(
            outcome.failure or FailureReason.REJECTED,
            f"Discord refused it ({(outcome.failure or FailureReason.REJECTED).value})",
        )
        await log_bot_notice(
            uow,
            request.guild_id,
            f"A mentor claimed a request in {topic} (request {request.id}), but I could not "
            f"open the private thread in <#{outcome.target_id}>: {why}. The request is open "
            "again and can be claimed.",
            now=now,
        )
        guild_name = self.directory.guild_name(request.guild_id)
        await uow.outbox.enqueue(
            Delivery.dm(
                f"{outcome.key}:failed",
                match.mentor_id,
                messages.thread_failed_dm(request, topic, guild_name),
                guild_id=request.guild_id,
                subject_user_id=match.mentor_id,
            ),
            now=now,
        )
        log.warning("Guild %s: thread for match %s failed: %s", request.guild_id, match.id, why)

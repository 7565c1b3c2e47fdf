"""An accepted introduction whose DM could not be delivered (DMs closed) goes to a private
thread in the introductions channel. If that fails too (no channel set, no permission there),
the moderators are told once, both members see it in ``/intro pending``, and the thread is
tried again every hour until it opens (so it goes through once the permission returns).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain.delivery import Delivery, FailureReason, Outcome
from bot.domain.introductions import IntroRequest
from bot.domain.settings import ChannelPurpose
from bot.services.introductions import messages
from bot.services.members import MemberDirectory
from bot.services.moderation_log import log_bot_notice
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

INTRO_THREAD_HANDLER = "introductions.thread"
RETRY_EVERY = timedelta(hours=1)


def thread_key(request_id: int, attempt: int) -> str:
    """One key per hourly attempt, so the job that retries can run as often as it likes."""
    base = f"intro:{request_id}:thread"
    return base if attempt == 0 else f"{base}:{attempt}"


async def shared_tags(uow: UnitOfWork, guild_id: int, a: int, b: int) -> list[str]:
    shared = await uow.member_tags.tag_ids(guild_id, a) & await uow.member_tags.tag_ids(guild_id, b)
    tags = await uow.vocabulary.tags_by_ids(guild_id, shared)
    return sorted(t.name for t in tags)


class FallbackThreads:
    def __init__(self, db: Database, clock: Clock, directory: MemberDirectory) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory

    async def on_introduction_outcome(
        self, uow: UnitOfWork, outcome: Outcome, now: datetime
    ) -> None:
        """DMs closed on either side: the introduction goes to a private thread with both."""
        if outcome.failure is not FailureReason.DMS_CLOSED or outcome.guild_id is None:
            return
        request = await uow.intro_requests.get(outcome.guild_id, int(outcome.key.split(":")[1]))
        if request is not None:
            await self._open(uow, request, attempt=0, now=now)

    async def on_thread_outcome(self, uow: UnitOfWork, outcome: Outcome, now: datetime) -> None:
        if outcome.guild_id is None:
            return
        request = await uow.intro_requests.get(outcome.guild_id, int(outcome.key.split(":")[1]))
        if request is None:
            return
        if outcome.sent:
            await uow.intro_requests.set_undelivered(request.id, None)
            return
        reason = outcome.failure.value if outcome.failure else "unknown"
        log.warning("Introduction %s: no fallback thread (%s)", request.id, reason)
        await self._undelivered(
            uow,
            request,
            f"I could not open a private thread in <#{outcome.target_id}> ({reason})",
            now,
        )

    async def retry(self) -> int:
        """Each introduction still undelivered gets one more thread attempt per hour."""
        now = self.clock.now()
        tried = 0
        async with self.db.transaction() as uow:
            for request in await uow.intro_requests.undelivered(before=now - RETRY_EVERY):
                assert request.undelivered_since is not None
                attempt = int((now - request.undelivered_since) / RETRY_EVERY)
                tried += await self._open(uow, request, attempt=attempt, now=now)
        return tried

    async def _open(
        self, uow: UnitOfWork, request: IntroRequest, *, attempt: int, now: datetime
    ) -> bool:
        guild_id = request.guild_id
        channel = await uow.settings.channel_for(guild_id, ChannelPurpose.INTRODUCTIONS)
        if channel is None:
            await self._undelivered(uow, request, "no introductions channel is set", now)
            return False
        both = (request.requester_id, request.target_id)
        content = (
            f"<@{both[0]}> and <@{both[1]}>: you both said yes to meeting, and one of you has "
            "DMs closed, so here is your introduction. Only you two (and the server's "
            "moderators) can see this thread."
        )
        guild_name = self.directory.guild_name(guild_id)
        first = messages.introduction(
            other_id=both[1],
            guild_name=guild_name,
            other_profile=await uow.profiles.get(guild_id, both[1]),
            shared=await shared_tags(uow, guild_id, *both),
        )
        second = messages.introduction(
            other_id=both[0],
            guild_name=guild_name,
            other_profile=await uow.profiles.get(guild_id, both[0]),
            shared=[],
        )
        return await uow.outbox.enqueue(
            Delivery.thread(
                thread_key(request.id, attempt),
                channel,
                name="Your introduction",
                private=True,
                member_ids=both,
                message={"content": content, "embeds": first["embeds"] + second["embeds"]},
                guild_id=guild_id,
                subject_user_id=request.requester_id,
                outcome_handler=INTRO_THREAD_HANDLER,
            ),
            now=now,
        )

    async def _undelivered(
        self, uow: UnitOfWork, request: IntroRequest, reason: str, now: datetime
    ) -> None:
        """Told once (moderators here, both members in /intro pending); retried hourly."""
        if request.undelivered_since is not None:
            return
        await uow.intro_requests.set_undelivered(request.id, now)
        # Something moderators must fix, not something a moderator did: a bot notice, and it
        # names nobody (the log is read by every moderator).
        await log_bot_notice(
            uow,
            request.guild_id,
            f"An introduction was accepted, but one side's DMs are closed and {reason}, so it "
            "could not be delivered. Set one with /setup channel where I can create private "
            "threads (/setup show checks it); I try again every hour.",
            now=now,
        )

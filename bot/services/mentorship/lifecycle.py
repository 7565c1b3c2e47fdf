"""A mentor match after the claim: fit check, check-ins, the term's end, extension and close.

The scheduler only wakes :meth:`MentorMatches.tick`; what is due comes from each match's
``*_at`` columns and the clock (``bot.domain.mentorship.matches.due_steps``). Each step is
saved with a guard on the columns it read and enqueued under a key of its own, in one
transaction, so no tick, restart or double click does a step twice.

Ending a match (by a party, at the fit check, or with no answer after the term) is one
transaction: the match closed, a kind closing message and the archive-and-lock queued for its
thread, the record DMs queued for both, and the request closed, or, after a poor fit, sent
back to routing with that mentor excluded.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.domain.delivery import Delivery, FailureReason, Message, Outcome
from bot.domain.errors import Conflict, NotFound
from bot.domain.mentorship import matches as rules
from bot.domain.mentorship.matches import FitAnswer, Match, MatchOutcome, MatchStatus, Step
from bot.services.members import MemberDirectory
from bot.services.mentorship import match_messages as messages
from bot.services.mentorship.record import MentorRecords
from bot.services.moderation_log import log_bot_notice, log_moderator_action
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

MATCH_THREAD_HANDLER = "mentorship.match-thread"
FIT_CHECK_HANDLER = "mentorship.fit-check"
THREAD_PROBLEMS = {
    FailureReason.FORBIDDEN: (
        "it lacks a permission there (send messages in threads, and manage threads to lock)"
    ),
    FailureReason.NOT_FOUND: "the thread is gone",
}

FIT_REPLIES = {
    FitAnswer.GOOD: "Glad to hear it. Thanks for letting us know.",
    FitAnswer.UNSURE: "Thanks: that's fine, give it time. Nothing changes for now.",
}
POOR_FIT_REPLY = (
    "Thank you for saying so. The mentorship has ended kindly, without naming who answered or "
    "why, and the request is offered to other mentors."
)


def _key(match: Match, *parts: object) -> str:
    return ":".join(["mentor-match", str(match.id), *map(str, parts)])


class MentorMatches:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        directory: MemberDirectory,
        records: MentorRecords,
        reroute: Callable[[], Awaitable[Any]],
    ) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory
        self.records = records
        # Routing (the requests side) offers a request sent back after a poor fit to other
        # mentors: ``MentorRouting.route_pending``.
        self.reroute = reroute
        directory.on_consent_withdrawn(self.on_consent_withdrawn)

    # -- reads for the cog ------------------------------------------------------------------------

    async def in_channel(self, guild_id: int, channel_id: int, user_id: int) -> Match:
        """The active match whose thread this is, if ``user_id`` is one of its parties."""
        async with self.db.read() as uow:
            match = await uow.mentor_matches.in_thread(guild_id, channel_id)
        if match is None or match.party(user_id) is None:
            raise NotFound("Use this in your mentorship's private thread.")
        if match.status is not MatchStatus.ACTIVE:
            raise Conflict("This mentorship has already ended.")
        return match

    async def current(self, guild_id: int, channel_id: int, user_id: int) -> Match:
        """The thread's match, or the member's only active match when used elsewhere."""
        async with self.db.read() as uow:
            here = await uow.mentor_matches.in_thread(guild_id, channel_id)
            mine = await uow.mentor_matches.of_member(guild_id, user_id, status=MatchStatus.ACTIVE)
        if here is not None and here.party(user_id) is not None:
            return here
        if len(mine) == 1:
            return mine[0]
        if not mine:
            raise NotFound("You have no mentorship under way in this server.")
        raise Conflict("You have several mentorships: use this in the one's private thread.")

    async def check_closable(self, match_id: int, user_id: int, outcome: MatchOutcome) -> Match:
        """Before the feedback form opens: may ``user_id`` close this match now?"""
        async with self.db.read() as uow:
            match = await uow.mentor_matches.by_id(match_id)
        if match is None:
            raise NotFound("That mentorship no longer exists.")
        rules.close_by_member(match, user_id, outcome, self.clock.now())
        return match

    # -- the scheduled steps ----------------------------------------------------------------------

    async def tick(self) -> int:
        """Do every step that is due, each once; how many steps were done."""
        now = self.clock.now()
        async with self.db.read() as uow:
            active = await uow.mentor_matches.active()
        done = 0
        for match in active:
            if rules.due_steps(match, now):
                done += await self._advance(match.id, now)
        return done

    async def _advance(self, match_id: int, now: datetime) -> int:
        async with self.db.transaction() as uow:
            match = await uow.mentor_matches.by_id(match_id)
            steps = rules.due_steps(match, now) if match else []
            for step in steps:
                assert match is not None
                after = rules.step_done(match, step, now)
                if not await uow.mentor_matches.save(match, after):
                    return 0  # another tick got there first
                await self._announce(uow, match, step, after, now)
                match = after
        return len(steps)

    async def _announce(
        self, uow: UnitOfWork, before: Match, step: Step, after: Match, now: datetime
    ) -> None:
        if step is Step.FIT_CHECK:
            topic = (await self.records.build(uow, after)).topic
            for user_id in after.parties:
                message = messages.fit_check_dm(
                    after, guild_name=self.directory.guild_name(after.guild_id), topic=topic
                )
                await uow.outbox.enqueue(
                    Delivery.dm(
                        _key(after, "fit-check", user_id),
                        user_id,
                        message,
                        guild_id=after.guild_id,
                        subject_user_id=after.other(user_id),
                        outcome_handler=FIT_CHECK_HANDLER,
                    ),
                    now=now,
                )
        elif step is Step.CHECKIN_PROMPT:
            await self._post(
                uow,
                after,
                messages.checkin_prompt(after),
                "checkin",
                now,
                before.next_checkin_at.isoformat() if before.next_checkin_at else "",
            )
        elif step is Step.END_REMINDER:
            await self._post(
                uow, after, messages.end_reminder(after), "end-reminder", now, after.extensions
            )
        elif step is Step.TERM_END_PROMPT:
            days = rules.AUTO_CLOSE_AFTER.days
            await self._post(
                uow, after, messages.term_end_prompt(after, days), "term-end", now, after.extensions
            )
        else:
            await self._finish(uow, after, now)

    async def _post(
        self,
        uow: UnitOfWork,
        match: Match,
        message: Message,
        what: str,
        now: datetime,
        which: object,
    ) -> None:
        if match.thread_id is None:
            return
        await uow.outbox.enqueue(
            Delivery.post(
                _key(match, what, which),
                match.thread_id,
                message,
                guild_id=match.guild_id,
                outcome_handler=MATCH_THREAD_HANDLER,
            ),
            now=now,
        )

    # -- ending ---------------------------------------------------------------------------------

    async def _finish(self, uow: UnitOfWork, closed: Match, now: datetime) -> None:
        """What every close does, in the closing transaction (see the module doc)."""
        if closed.thread_id is not None:
            await self._post(uow, closed, messages.closing_message(closed), "closing", now, "")
            await uow.outbox.enqueue(
                Delivery.update_thread(
                    _key(closed, "lock"),
                    closed.thread_id,
                    archived=True,
                    locked=True,
                    guild_id=closed.guild_id,
                    outcome_handler=MATCH_THREAD_HANDLER,
                ),
                now=now,
            )
        if closed.outcome is MatchOutcome.POOR_FIT:
            await uow.mentor_matches.reopen_request(
                closed.request_id, closed.guild_id, closed.mentor_id, now
            )
        else:
            await uow.mentor_matches.close_request(closed.request_id, now)
        await self.records.enqueue(uow, closed, now=now, key=_key(closed, "record"))
        log.info("Guild %s: mentorship %s closed (%s)", closed.guild_id, closed.id, closed.outcome)

    async def _rerouted(self) -> None:
        try:
            await self.reroute()
        except Exception:  # the routing job runs again on its own schedule
            log.exception("Re-routing after a poor fit failed; the routing job will retry")

    async def _close(
        self,
        match_id: int,
        change: Callable[[Match], Match],
        also: Callable[[UnitOfWork, Match], Awaitable[None]] | None = None,
    ) -> Match:
        """Close with ``change`` and do ``also`` in the same transaction."""
        now = self.clock.now()
        async with self.db.transaction() as uow:
            match = await uow.mentor_matches.by_id(match_id)
            if match is None:
                raise NotFound("That mentorship no longer exists.")
            closed = change(match)
            if not await uow.mentor_matches.save(match, closed):
                raise Conflict("This mentorship changed a moment ago: try again.")
            if also is not None:
                await also(uow, closed)
            await self._finish(uow, closed, now)
        if closed.outcome is MatchOutcome.POOR_FIT:
            await self._rerouted()
        return closed

    # -- members' actions -----------------------------------------------------------------------

    async def answer_fit(self, match_id: int, user_id: int, answer: FitAnswer) -> str:
        """A fit-check button; "not a good fit" comes here only after its confirmation."""
        now = self.clock.now()
        if answer is FitAnswer.POOR:

            async def record(uow: UnitOfWork, closed: Match) -> None:
                await uow.mentor_matches.record_fit(closed, user_id, answer, now)

            await self._close(match_id, lambda m: self._poor_fit(m, user_id, now), record)
            return POOR_FIT_REPLY
        async with self.db.transaction() as uow:
            match = await uow.mentor_matches.by_id(match_id)
            if match is None:
                raise NotFound("That mentorship no longer exists.")
            rules.answer_fit(match, user_id, answer)
            await uow.mentor_matches.record_fit(match, user_id, answer, now)
        return FIT_REPLIES[answer]

    @staticmethod
    def _poor_fit(match: Match, user_id: int, now: datetime) -> Match:
        rules.answer_fit(match, user_id, FitAnswer.POOR)
        return rules.close(match, MatchOutcome.POOR_FIT, by=None, now=now)  # nobody is named

    async def checkin(
        self, guild_id: int, channel_id: int, user_id: int, note: str, minutes: int | None
    ) -> Match:
        match = await self.current(guild_id, channel_id, user_id)
        now = self.clock.now()
        async with self.db.transaction() as uow:
            fresh = await uow.mentor_matches.by_id(match.id)
            assert fresh is not None
            cleaned = rules.check_checkin(fresh, user_id, note, minutes)
            await uow.mentor_matches.add_checkin(fresh, user_id, cleaned, minutes, now)
        return match

    async def close(
        self,
        match_id: int,
        user_id: int,
        outcome: MatchOutcome,
        rating_text: str,
        comment: str | None,
    ) -> Match:
        """``/mentor close`` or the Close button, with the feedback form's answers."""
        rating, cleaned = rules.check_feedback(rating_text, comment)
        now = self.clock.now()

        async def feedback(uow: UnitOfWork, closed: Match) -> None:
            await uow.mentor_matches.add_feedback(closed, user_id, rating, cleaned, now)
            note = messages.feedback_note(closed, user_id, rating, cleaned)
            await log_moderator_action(uow, closed.guild_id, user_id, note, now=now)

        return await self._close(
            match_id, lambda m: rules.close_by_member(m, user_id, outcome, now), feedback
        )

    async def press_extend(self, match_id: int, user_id: int) -> str:
        now = self.clock.now()
        async with self.db.transaction() as uow:
            match = await uow.mentor_matches.by_id(match_id)
            if match is None:
                raise NotFound("That mentorship no longer exists.")
            after, extended = rules.press_extend(match, user_id, now)
            if after == match:
                return "You already chose to extend: waiting for the other side."
            if not await uow.mentor_matches.save(match, after):
                raise Conflict("This mentorship changed a moment ago: try again.")
            if extended:
                await self._post(
                    uow, after, messages.extended_notice(after), "extended", now, after.extensions
                )
        if extended:
            return (
                f"Extended by 3 months: the term now ends on {messages.when(after.term_ends_at)}."
            )
        return "Noted: the term is extended when the other side presses Extend too."

    async def on_thread_outcome(self, uow: UnitOfWork, outcome: Outcome, now: datetime) -> None:
        """A post or the lock in a match's thread failed: the moderators are told why."""
        problem = THREAD_PROBLEMS.get(outcome.failure) if outcome.failure else None
        if problem is None or outcome.guild_id is None:
            return
        what = "lock" if outcome.key.endswith(":lock") else "post in"
        await log_bot_notice(
            uow,
            outcome.guild_id,
            f"I could not {what} the mentorship thread <#{outcome.target_id}>: {problem}. "
            "Check my permissions in the mentorship channel (/setup show).",
            now=now,
        )

    async def on_fit_check_outcome(self, uow: UnitOfWork, outcome: Outcome, now: datetime) -> None:
        """DMs closed: the question goes to the thread instead; answers stay ephemeral."""
        if outcome.failure is not FailureReason.DMS_CLOSED:
            return
        _, match_id, _, user_id = outcome.key.split(":")
        match = await uow.mentor_matches.by_id(int(match_id))
        if match is None or match.status is not MatchStatus.ACTIVE:
            return
        message = messages.fit_check_in_thread(match, int(user_id))
        await self._post(uow, match, message, "fit-check-here", now, user_id)

    # -- consent --------------------------------------------------------------------------------

    async def on_consent_withdrawn(
        self, uow: UnitOfWork, guild_id: int, user_id: int, other_id: int | None
    ) -> None:
        """A block between the two parties ends their match (withdrawn), in the block's own
        transaction. Opting out or snoozing does not: an active match was already agreed."""
        if other_id is None:
            return
        now = self.clock.now()
        for match in await uow.mentor_matches.active_between(guild_id, user_id, other_id):
            closed = rules.close(match, MatchOutcome.WITHDRAWN, by=None, now=now)
            if await uow.mentor_matches.save(match, closed):
                await self._finish(uow, closed, now)

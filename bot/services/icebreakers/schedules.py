"""Icebreaker schedules: set up, list, pause, resume, remove, and post each slot exactly once.

The scheduler only wakes :meth:`IcebreakerSchedules.tick`; what is due comes from the database
(``next_slot_at``) and the clock. Each slot is claimed in ``icebreaker_posts`` (primary key
schedule + slot) in the same transaction as its outbox post, keyed by schedule and slot, so no
wake-up, restart or clock jump can post it twice. A slot missed while the bot was down is posted
once if it is less than the server's catch-up window late, else skipped and logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain.delivery import Delivery, FailureReason, Outcome
from bot.domain.errors import InvalidInput
from bot.domain.icebreakers import LOW_POOL, Schedule, next_prompt, thread_name, unused_count
from bot.domain.schedules import catch_up, local_label, recurrence
from bot.services.moderation_log import log_bot_notice, log_moderator_action
from bot.services.schedules import RecurringSchedules, ScheduleKind, ScheduleModeration
from bot.services.settings import SettingsService
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

SCHEDULE_KIND = ScheduleKind(
    rows=lambda uow: uow.icebreakers,
    feature="icebreakers",
    noun="icebreaker schedule",
)

POST_HANDLER = "icebreakers.post"
POST_NOW_KEY = "icebreaker:now"  # + schedule id (0: none) : channel id : the instant asked

# What the moderation log says when Discord did not take a post-now, by the sender's reason.
REFUSALS = {
    FailureReason.FORBIDDEN: "I lack a permission there (View Channel or Send Messages)",
    FailureReason.NOT_FOUND: "the channel is gone",
}


def off_the_minute(now: datetime) -> datetime:
    """The instant a post-now is recorded at: scheduled slots fall on whole minutes, so one
    just off the minute never takes a slot's place in ``icebreaker_posts``."""
    return now if now.second or now.microsecond else now + timedelta(microseconds=1)


def post_now_outcome_text(outcome: Outcome) -> str:
    where = f"<#{outcome.target_id}>"
    if outcome.sent:
        return f"The icebreaker asked for with post-now is up in {where}."
    failure = outcome.failure or FailureReason.REJECTED
    why = REFUSALS.get(failure, f"Discord refused it ({failure.value})")
    return f"I could not post the icebreaker asked for in {where}: {why}."


@dataclass(frozen=True)
class ScheduleView:
    schedule: Schedule
    next_label: str
    prompts_left: int
    next_prompt: str | None


class IcebreakerSchedules(ScheduleModeration[Schedule, ScheduleView]):
    def __init__(self, db: Database, clock: Clock, settings: SettingsService) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.recurring = RecurringSchedules(db, clock, settings, SCHEDULE_KIND, self._view)

    # -- moderators -----------------------------------------------------------------------------

    async def add(
        self,
        guild_id: int,
        channel_id: int,
        *,
        cadence: str,
        time: str,
        weekday: int | None,
        timezone: str | None,
        thread: bool,
        skip_if_quiet: bool,
        actor_id: int,
    ) -> ScheduleView:
        return await self.recurring.add(
            guild_id,
            channel_id,
            timezone=timezone,
            recurrence_in=lambda zone, anchor: recurrence(cadence, time, zone, weekday, anchor),
            options={
                "thread": thread,
                "skip_if_quiet": skip_if_quiet,
                "cycle": 0,
                "thread_problem_told": False,
            },
            actor_id=actor_id,
        )

    async def _view(self, uow: UnitOfWork, schedule: Schedule) -> ScheduleView:
        pool = await uow.icebreakers.prompt_ids(schedule.guild_id)
        used = await uow.icebreakers.used_in_cycle(schedule.id, schedule.cycle)
        chosen = next_prompt(pool, used, schedule.id, schedule.cycle)
        text = None
        if chosen is not None:
            found = await uow.icebreakers.prompt(schedule.guild_id, chosen[0])
            text = found[1] if found else None
        return ScheduleView(
            schedule,
            local_label(schedule.recurrence, schedule.next_slot_at),
            unused_count(pool, used),
            text,
        )

    async def post_now(self, guild_id: int, channel_id: int, *, actor_id: int) -> str:
        """One prompt now, from the channel's schedule rotation (or the pool's order)."""
        now = self.clock.now()
        async with self.db.transaction() as uow:
            schedules = [
                s for s in await uow.icebreakers.schedules(guild_id) if s.channel_id == channel_id
            ]
            schedule = schedules[0] if schedules else None
            text = await self._post(uow, schedule, guild_id, channel_id, now, slot=None)
            if text is None:
                raise InvalidInput(
                    "There are no prompts yet: add some with /setup icebreakers pack."
                )
            # Only what was asked: whether Discord took it is logged when the sender knows.
            await log_moderator_action(
                uow, guild_id, actor_id, f"asked for an icebreaker in <#{channel_id}> now.", now=now
            )
        return text

    # -- the wake-up (a scheduled job) ----------------------------------------------------------

    async def tick(self) -> int:
        """Handle every due slot once; how many were posted. Then re-arm the next wake."""
        now = self.clock.now()
        posted = 0
        async with self.db.transaction() as uow:
            for schedule in await uow.icebreakers.due(now=now):
                posted += await self._run(uow, schedule, now)
        await self.recurring.changed()
        return posted

    async def _run(self, uow: UnitOfWork, schedule: Schedule, now: datetime) -> int:
        grace = timedelta(
            minutes=(
                await self.settings.defaults_in(uow, schedule.guild_id)
            ).icebreaker_catch_up_minutes
        )
        to_post, skipped = catch_up(schedule.recurrence, schedule.last_slot_at, now, grace)
        for slot in skipped:
            if await uow.icebreakers.claim_slot(
                schedule.id, slot, prompt_id=None, cycle=schedule.cycle, state="late", now=now
            ):
                log.warning(
                    "Icebreaker schedule %s: slot %s missed by more than %s, skipped",
                    schedule.id,
                    slot.isoformat(),
                    grace,
                )
        posted = 0
        if to_post is not None:
            text = await self._post(
                uow, schedule, schedule.guild_id, schedule.channel_id, now, slot=to_post
            )
            posted = int(text is not None)
        await self.recurring.advance(uow, schedule, (to_post, *skipped), now)
        return posted

    async def _post(
        self,
        uow: UnitOfWork,
        schedule: Schedule | None,
        guild_id: int,
        channel_id: int,
        now: datetime,
        *,
        slot: datetime | None,
    ) -> str | None:
        pool = await uow.icebreakers.prompt_ids(guild_id)
        schedule_id, cycle = (schedule.id, schedule.cycle) if schedule else (0, 0)
        used = await uow.icebreakers.used_in_cycle(schedule_id, cycle) if schedule else set()
        chosen = next_prompt(pool, used, schedule_id, cycle)
        if chosen is None:
            log.warning("Guild %s: icebreaker slot with an empty prompt pool", guild_id)
            return None
        prompt_id, cycle = chosen
        found = await uow.icebreakers.prompt(guild_id, prompt_id)
        assert found is not None
        text = found[1]
        if schedule is not None:
            # A post-now takes its turn in the rotation too: it is claimed at the instant asked.
            if not await uow.icebreakers.claim_slot(
                schedule.id,
                slot or off_the_minute(now),
                prompt_id=prompt_id,
                cycle=cycle,
                state="queued",
                now=now,
            ):
                return None  # this slot was handled already
            if cycle != schedule.cycle:
                await uow.icebreakers.update_schedule(schedule.id, cycle=cycle)
            await self._note_low_pool(uow, schedule, pool, cycle, now)
        await uow.outbox.enqueue(
            self._delivery(schedule, guild_id, channel_id, text, slot, now), now=now
        )
        return text

    def _delivery(
        self,
        schedule: Schedule | None,
        guild_id: int,
        channel_id: int,
        text: str,
        slot: datetime | None,
        now: datetime,
    ) -> Delivery:
        key = (
            f"icebreaker:{schedule.id}:{slot.isoformat()}"
            if schedule is not None and slot is not None
            else f"{POST_NOW_KEY}:{schedule.id if schedule else 0}:{channel_id}:"
            f"{off_the_minute(now).isoformat()}"
        )
        delivery = Delivery.post(
            key,
            channel_id,
            {"content": f"**Icebreaker** · {text}"},
            guild_id=guild_id,
            outcome_handler=POST_HANDLER,
        )
        payload = dict(delivery.payload)
        if schedule is not None:
            payload["schedule_id"] = schedule.id
            payload["slot"] = slot.isoformat() if slot else None
        if schedule is not None and schedule.thread:
            payload["thread_name"] = thread_name(text)
        if schedule is not None and schedule.skip_if_quiet and schedule.quiet_channel_id:
            payload["skip_if_quiet"] = {
                "channel_id": schedule.quiet_channel_id,
                "last_message_id": schedule.quiet_message_id,
            }
        return Delivery(
            delivery.key,
            delivery.kind,
            delivery.target_id,
            payload,
            guild_id=guild_id,
            outcome_handler=delivery.outcome_handler,
        )

    async def _note_low_pool(
        self, uow: UnitOfWork, schedule: Schedule, pool: list[int], cycle: int, now: datetime
    ) -> None:
        used = await uow.icebreakers.used_in_cycle(schedule.id, cycle)
        left = unused_count(pool, used)
        if left < LOW_POOL and schedule.low_pool_told_cycle != cycle:
            await uow.icebreakers.update_schedule(schedule.id, low_pool_told_cycle=cycle)
            await log_bot_notice(
                uow,
                schedule.guild_id,
                f"Icebreaker schedule {schedule.id} in <#{schedule.channel_id}> has "
                f"{left} unused prompts left in this round; add more with /setup icebreakers "
                "pack or add-prompt (it starts over after that).",
                now=now,
            )

    # -- what the sender reports back -----------------------------------------------------------

    async def on_posted(self, uow: UnitOfWork, outcome: Outcome, now: datetime) -> None:
        """Remember where the prompt can be answered (skip-if-quiet), and thread problems;
        a post-now's outcome also goes to the moderation log."""
        if outcome.key.startswith(f"{POST_NOW_KEY}:"):
            _, _, schedule_part, _, at = outcome.key.split(":", 4)
            schedule_id, slot = int(schedule_part), datetime.fromisoformat(at)
            if outcome.guild_id is not None:
                await log_bot_notice(uow, outcome.guild_id, post_now_outcome_text(outcome), now=now)
        else:
            _, schedule_part, at = outcome.key.split(":", 2)
            schedule_id, slot = int(schedule_part), datetime.fromisoformat(at)
        schedule = await uow.icebreakers.schedule_by_id(schedule_id)
        if schedule is None:
            return
        if outcome.failure is FailureReason.QUIET:
            await uow.icebreakers.set_post_state(schedule.id, slot, "quiet")
            return
        if not outcome.sent:
            await uow.icebreakers.set_post_state(schedule.id, slot, "failed")
            return
        await uow.icebreakers.set_post_state(schedule.id, slot, "posted")
        result = outcome.result
        if "thread_id" in result:  # replies go to the thread, which starts empty
            quiet = {"quiet_channel_id": int(result["thread_id"]), "quiet_message_id": None}
        else:
            quiet = {
                "quiet_channel_id": outcome.target_id,
                "quiet_message_id": int(result["message_id"]),
            }
        await uow.icebreakers.update_schedule(schedule.id, **quiet)
        if "thread_error" in result and not schedule.thread_problem_told:
            await uow.icebreakers.update_schedule(schedule.id, thread_problem_told=True)
            await log_bot_notice(
                uow,
                schedule.guild_id,
                f"I posted the icebreaker in <#{schedule.channel_id}> but could not open "
                f"a thread for it (Discord error {result['thread_error']}): check that I can "
                "create public threads there (/setup show names what is missing).",
                now=now,
            )

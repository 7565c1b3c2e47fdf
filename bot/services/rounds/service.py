"""Intro-round schedules (PRODUCT.md "Intro rounds"): set up, list, pause, resume, remove, run
each slot exactly once, run one-off rounds (an event's), and ask "Did you meet?" once per round.

The scheduler only wakes :meth:`RoundsService.tick`; what is due comes from the database
(``next_slot_at``, ``checkin_at``) and the clock. A slot missed while the bot was down runs once
if it is less than ``CATCH_UP`` late, otherwise it is recorded as late and skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain.delivery import Delivery, Outcome
from bot.domain.errors import InvalidInput
from bot.domain.rounds.rules import (
    DEFAULT_COOLDOWN,
    RoundSchedule,
    check_options,
    round_recurrence,
    slot_key,
)
from bot.domain.schedules import catch_up, local_label
from bot.services.introductions import FindService
from bot.services.members import MemberDirectory
from bot.services.moderation_log import log_bot_notice, log_moderator_action
from bot.services.rounds import messages
from bot.services.rounds.running import RoundPlan, RoundResult, run_round
from bot.services.schedules import RecurringSchedules, ScheduleKind, ScheduleModeration
from bot.services.settings import SettingsService
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

SCHEDULE_KIND = ScheduleKind(
    rows=lambda uow: uow.rounds,  # its wake includes pending check-ins
    feature="intro rounds",
    noun="intro round schedule",
)

CATCH_UP = timedelta(hours=12)


@dataclass(frozen=True)
class RoundScheduleView:
    schedule: RoundSchedule
    next_label: str
    participants: int
    tag_name: str | None


class RoundsService(ScheduleModeration[RoundSchedule, RoundScheduleView]):
    def __init__(
        self,
        db: Database,
        clock: Clock,
        settings: SettingsService,
        directory: MemberDirectory,
        find: FindService,
    ) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.recurring = RecurringSchedules(db, clock, settings, SCHEDULE_KIND, self._view)
        self.directory = directory
        self.find = find

    # -- moderators -----------------------------------------------------------------------------

    async def add(
        self,
        guild_id: int,
        channel_id: int,
        *,
        cadence: str,
        weekday: int | None,
        time: str,
        group_size: int = 2,
        tag: str | None = None,
        cooldown_rounds: int = DEFAULT_COOLDOWN,
        actor_id: int,
    ) -> RoundScheduleView:
        check_options(group_size, cooldown_rounds)
        tag_id = (await self.find.tags.get(guild_id)).resolve(tag).id if tag else None
        return await self.recurring.add(
            guild_id,
            channel_id,
            timezone=None,  # rounds follow the server's time zone
            recurrence_in=lambda zone, anchor: round_recurrence(
                cadence, time, zone, weekday, anchor
            ),
            options={
                "group_size": group_size,
                "tag_id": tag_id,
                "cooldown_rounds": cooldown_rounds,
            },
            actor_id=actor_id,
        )

    async def _view(self, uow: UnitOfWork, schedule: RoundSchedule) -> RoundScheduleView:
        tag_name = None
        if schedule.tag_id is not None:
            found = await uow.vocabulary.tags_by_ids(schedule.guild_id, {schedule.tag_id})
            tag_name = found[0].name if found else None
        return RoundScheduleView(
            schedule,
            local_label(schedule.recurrence, schedule.next_slot_at),
            len(await uow.rounds.participants(schedule.guild_id, schedule.id)),
            tag_name,
        )

    async def run_now(self, guild_id: int, schedule_id: int, *, actor_id: int) -> RoundResult:
        """A round of the schedule now, outside its slots (its next slot stays as it was)."""
        now = self.clock.now()
        async with self.db.read() as uow:
            schedule = await self.recurring.owned(uow, guild_id, schedule_id)
        index = await self.find.index(guild_id)
        key = f"schedule:{schedule.id}:now:{now.isoformat()}"
        plan = _plan(schedule, slot=None, source_key=key, when=now)
        async with self.db.transaction() as uow:
            result = await run_round(uow, plan, index, guild_name=self._name(guild_id), now=now)
            assert result is not None  # the key is new
            await log_moderator_action(
                uow,
                guild_id,
                actor_id,
                f"ran intro round schedule {schedule.id} now ({result.groups} groups).",
                now=now,
            )
        await self.recurring.changed()
        return result

    async def run_once(
        self,
        guild_id: int,
        channel_id: int,
        member_ids: Sequence[int],
        *,
        source_key: str,
        label: str,
        group_size: int = 2,
    ) -> RoundResult | None:
        """One round among exactly ``member_ids`` (an event's attendees), once per
        ``source_key``; the consent rule still applies. None if that source ran already."""
        check_options(group_size, DEFAULT_COOLDOWN)
        if not source_key or source_key.startswith("schedule:"):
            raise InvalidInput("A one-off round needs its own source key, e.g. event:<id>.")
        now = self.clock.now()
        index = await self.find.index(guild_id)
        plan = RoundPlan(
            guild_id, channel_id, source_key, label, group_size, member_ids=tuple(member_ids)
        )
        async with self.db.transaction() as uow:
            result = await run_round(uow, plan, index, guild_name=self._name(guild_id), now=now)
        await self.recurring.changed()
        return result

    def _name(self, guild_id: int) -> str:
        return self.directory.guild_name(guild_id)

    # -- the wake-up (a scheduled job) ----------------------------------------------------------

    async def tick(self) -> int:
        """Run every due slot once and ask every due check-in once; rounds run. Re-arms."""
        now = self.clock.now()
        async with self.db.read() as uow:
            due = await uow.rounds.due(now=now)
        ran = 0
        for schedule in due:
            ran += await self._run_due(schedule, now)
        async with self.db.transaction() as uow:
            await self._checkins(uow, now)
        await self.recurring.changed()
        return ran

    async def _run_due(self, schedule: RoundSchedule, now: datetime) -> int:
        to_run, skipped = catch_up(schedule.recurrence, schedule.last_slot_at, now, CATCH_UP)
        index = await self.find.index(schedule.guild_id)
        async with self.db.transaction() as uow:
            current = await uow.rounds.schedule(schedule.guild_id, schedule.id)
            if current is None or current.next_slot_at != schedule.next_slot_at:
                return 0  # another wake-up handled it meanwhile
            for slot in skipped:
                if await uow.rounds.claim_round(_late(schedule, slot, now)):
                    log.warning("Round schedule %s: slot %s missed, skipped", schedule.id, slot)
            result = None
            if to_run is not None:
                key = slot_key(schedule.id, to_run)
                plan = _plan(schedule, slot=to_run, source_key=key, when=to_run)
                result = await run_round(
                    uow, plan, index, guild_name=self._name(schedule.guild_id), now=now
                )
            await self.recurring.advance(uow, schedule, (to_run, *skipped), now)
        return int(result is not None)

    async def _checkins(self, uow: UnitOfWork, now: datetime) -> None:
        """Halfway to the next round: "Did you meet?" in each group's thread, once per round."""
        for round_ in await uow.rounds.checkins_due(now=now):
            await uow.rounds.update_round(round_.id, checkin_done=True)
            for group in await uow.rounds.groups(round_.id):
                if group.thread_id is None:
                    continue  # the thread never opened: nobody to ask
                await uow.outbox.enqueue(
                    Delivery.post(
                        f"round:{round_.id}:group:{group.id}:checkin",
                        group.thread_id,
                        messages.checkin(group.id),
                        guild_id=group.guild_id,
                    ),
                    now=now,
                )
                await uow.rounds.mark_asked(group.id)

    # -- what the sender reports back -----------------------------------------------------------

    async def on_thread(self, uow: UnitOfWork, outcome: Outcome, now: datetime) -> None:
        """Remember each group's thread (the check-in goes there); tell moderators of a failure."""
        parts = outcome.key.split(":")  # round:<round id>:group:<group id>
        group = await uow.rounds.group(int(parts[3]))
        if group is None:
            return
        if outcome.sent and "thread_id" in outcome.result:
            await uow.rounds.set_thread(group.id, int(outcome.result["thread_id"]))
            return
        first = min(g.id for g in await uow.rounds.groups(group.round_id))
        reason = outcome.failure.value if outcome.failure else "unknown"
        log.warning("Round group %s: no thread (%s)", group.id, reason)
        if group.id == first and outcome.guild_id is not None:
            await log_bot_notice(
                uow,
                outcome.guild_id,
                f"I could not open the private threads of an intro round in <#{outcome.target_id}> "
                f"({reason}): check that I can create private threads there (/setup show).",
                now=now,
            )


def _plan(
    schedule: RoundSchedule, *, slot: datetime | None, source_key: str, when: datetime
) -> RoundPlan:
    local = when.astimezone(schedule.recurrence.zone)
    return RoundPlan(
        schedule.guild_id,
        schedule.channel_id,
        source_key,
        f"{local:%a} {local.day} {local:%b %Y}",
        schedule.group_size,
        schedule=schedule,
        slot=slot,
    )


def _late(schedule: RoundSchedule, slot: datetime, now: datetime) -> dict[str, object]:
    return {
        "guild_id": schedule.guild_id,
        "schedule_id": schedule.id,
        "slot": slot,
        "source_key": slot_key(schedule.id, slot),
        "channel_id": schedule.channel_id,
        "label": "missed",
        "group_size": schedule.group_size,
        "created_at": now,
        "state": "late",
        "checkin_done": True,
    }

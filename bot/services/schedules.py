"""One recurring-schedule seam for every feature that posts or runs on a schedule (icebreakers,
rounds, the next ones): add, list, pause, resume and remove, each with its moderation-log entry,
moving a schedule past the slots it handled, and telling the scheduler when to wake next.

A feature's service owns one :class:`RecurringSchedules`, given what differs: its
:class:`ScheduleKind` (its repository, with the shared queries of
``bot.storage.repositories.schedules``, and its words) and how it shows a schedule, and
inherits :class:`ScheduleModeration` for the moderators' methods. What a slot does (post a
prompt, run a round) stays with the feature.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Generic, TypeVar

from bot.clock import Clock
from bot.domain.errors import NotFound
from bot.domain.schedules import Recurrence, RecurringSchedule, local_label, next_slot
from bot.domain.settings import validate_timezone
from bot.services.moderation_log import log_moderator_action
from bot.services.settings import SettingsService
from bot.storage.database import Database
from bot.storage.repositories.schedules import RecurringScheduleQueries
from bot.storage.unit_of_work import UnitOfWork

S = TypeVar("S", bound=RecurringSchedule)
V = TypeVar("V")

WakeListener = Callable[[datetime | None], None]


@dataclass(frozen=True)
class ScheduleKind(Generic[S]):
    """What differs between features' schedules, besides how a slot is handled."""

    rows: Callable[[UnitOfWork], RecurringScheduleQueries[S]]  # the feature's repository
    feature: str  # what is scheduled, in the moderation log: "icebreakers"
    noun: str  # one schedule, in the moderation log and errors: "icebreaker schedule"


@dataclass
class RecurringSchedules(Generic[S, V]):
    db: Database
    clock: Clock
    settings: SettingsService
    kind: ScheduleKind[S]
    view: Callable[[UnitOfWork, S], Awaitable[V]]  # how the feature shows one schedule
    # Told the earliest wake after every change, so the scheduler can wake then.
    wake_listeners: list[WakeListener] = field(default_factory=list)

    async def changed(self) -> None:
        async with self.db.read() as uow:
            earliest = await self.kind.rows(uow).earliest_wake()
        for listener in self.wake_listeners:
            listener(earliest)

    async def add(
        self,
        guild_id: int,
        channel_id: int,
        *,
        timezone: str | None,
        recurrence_in: Callable[[str, date], Recurrence],
        options: Mapping[str, object],
        actor_id: int,
    ) -> V:
        """A new schedule in ``timezone`` (default: the server's), its recurrence from
        ``recurrence_in(zone, anchor)``, with the feature's own column ``options``."""
        now = self.clock.now()
        async with self.db.transaction() as uow:
            default_zone = (await self.settings.defaults_in(uow, guild_id)).timezone
            # Any case is accepted; stored as IANA spells it (america/chicago → America/Chicago).
            zone = validate_timezone(timezone) if timezone else default_zone
            rec = recurrence_in(zone, now.date())
            schedule = await self.kind.rows(uow).add_schedule(
                {
                    "guild_id": guild_id,
                    "channel_id": channel_id,
                    "cadence": rec.cadence.value,
                    "local_time": rec.time.strftime("%H:%M"),
                    "weekday": rec.weekday,
                    "timezone": zone,
                    "anchor": now.date(),
                    "paused": False,
                    "next_slot_at": next_slot(rec, now),
                    "last_slot_at": now,  # nothing before its creation is "missed"
                    "created_at": now,
                    "created_by": actor_id,
                    **options,
                }
            )
            shown = await self.view(uow, schedule)
            await log_moderator_action(
                uow,
                guild_id,
                actor_id,
                f"scheduled {self.kind.feature} in <#{channel_id}> ({rec.cadence.value}, "
                f"{local_label(rec, schedule.next_slot_at)} next; schedule {schedule.id}).",
                now=now,
            )
        await self.changed()
        return shown

    async def listed(self, guild_id: int) -> list[V]:
        async with self.db.read() as uow:
            return [await self.view(uow, s) for s in await self.kind.rows(uow).schedules(guild_id)]

    async def owned(self, uow: UnitOfWork, guild_id: int, schedule_id: int) -> S:
        schedule = await self.kind.rows(uow).schedule(guild_id, schedule_id)
        if schedule is None:
            raise NotFound(f"There is no {self.kind.noun} {schedule_id} in this server.")
        return schedule

    async def set_paused(
        self, guild_id: int, schedule_id: int, paused: bool, *, actor_id: int
    ) -> V:
        now = self.clock.now()
        async with self.db.transaction() as uow:
            schedule = await self.owned(uow, guild_id, schedule_id)
            values: dict[str, object] = {"paused": paused}
            if not paused:  # resuming: slots while paused are not "missed"
                values |= {"next_slot_at": next_slot(schedule.recurrence, now), "last_slot_at": now}
            await self.kind.rows(uow).update_schedule(schedule.id, **values)
            word = "paused" if paused else "resumed"
            await log_moderator_action(
                uow, guild_id, actor_id, f"{word} {self.kind.noun} {schedule.id}.", now=now
            )
            shown = await self.view(uow, await self.owned(uow, guild_id, schedule_id))
        await self.changed()
        return shown

    async def remove(self, guild_id: int, schedule_id: int, *, actor_id: int) -> S:
        now = self.clock.now()
        async with self.db.transaction() as uow:
            schedule = await self.owned(uow, guild_id, schedule_id)
            await self.kind.rows(uow).remove_schedule(guild_id, schedule_id)
            await log_moderator_action(
                uow, guild_id, actor_id, f"removed {self.kind.noun} {schedule.id}.", now=now
            )
        await self.changed()
        return schedule

    async def advance(
        self, uow: UnitOfWork, schedule: S, handled: Iterable[datetime | None], now: datetime
    ) -> None:
        """Past the slots a wake-up just handled (done or skipped): the next slot comes after
        them and after ``now``, so a late wake-up never leaves a slot behind it."""
        last = max([s for s in handled if s is not None], default=schedule.next_slot_at)
        await self.kind.rows(uow).update_schedule(
            schedule.id,
            last_slot_at=last,
            next_slot_at=next_slot(schedule.recurrence, max(last, now)),
        )


class ScheduleModeration(Generic[S, V]):
    """List, pause, resume and remove, as every scheduled feature's service offers them to
    moderators: served by the service's :class:`RecurringSchedules` (``self.recurring``)."""

    recurring: RecurringSchedules[S, V]

    @property
    def wake_listeners(self) -> list[WakeListener]:
        return self.recurring.wake_listeners

    async def schedules(self, guild_id: int) -> list[V]:
        return await self.recurring.listed(guild_id)

    async def set_paused(
        self, guild_id: int, schedule_id: int, paused: bool, *, actor_id: int
    ) -> V:
        return await self.recurring.set_paused(guild_id, schedule_id, paused, actor_id=actor_id)

    async def remove(self, guild_id: int, schedule_id: int, *, actor_id: int) -> S:
        return await self.recurring.remove(guild_id, schedule_id, actor_id=actor_id)

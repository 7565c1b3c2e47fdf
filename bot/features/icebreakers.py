"""Scheduled icebreaker prompts: schedules, packs, the server's prompts, members' ideas."""

from __future__ import annotations

from collections.abc import Mapping

from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import woken
from bot.manifest import Feature, Job, Wiring
from bot.scheduling import Scheduler
from bot.services import Services
from bot.services.delivery import OutcomeHandler
from bot.services.icebreakers import POST_HANDLER, IcebreakerPrompts, IcebreakerSchedules
from bot.services.icebreakers.channels import icebreaker_channels
from bot.services.reports.sources import icebreakers_source
from bot.services.settings import SettingsService
from bot.storage.repositories.icebreakers import IcebreakersRepository
from bot.storage.schema import icebreakers


def build(wiring: Wiring) -> Mapping[str, object]:
    db, clock = wiring.db, wiring.clock
    return {
        "icebreaker_schedules": IcebreakerSchedules(db, clock, wiring.get(SettingsService)),
        "icebreaker_prompts": IcebreakerPrompts(db, clock),
    }


def outcome_handlers(services: Services) -> Mapping[str, OutcomeHandler]:
    return {POST_HANDLER: services.icebreaker_schedules.on_posted}


ICEBREAKER_TICK_JOB = "icebreakers:watchdog"
ICEBREAKER_NEXT_JOB = "icebreakers:next-slot"


def register_slots(scheduler: Scheduler, services: Services) -> None:
    """A one-off job at the earliest next slot of any schedule, and a 30 s watchdog; either way
    the service reads what is due from the database."""
    schedules = services.icebreaker_schedules
    woken(
        scheduler,
        "icebreakers",
        watchdog_id=ICEBREAKER_TICK_JOB,
        wake_id=ICEBREAKER_NEXT_JOB,
        every=IntervalTrigger(seconds=30),
        tick=schedules.tick,
        wake_listeners=schedules.wake_listeners,
        clock=services.clock,
    )


FEATURE = Feature(
    name="icebreakers",
    schema=(icebreakers,),
    repositories={"icebreakers": IcebreakersRepository},
    build=build,
    outcome_handlers=outcome_handlers,
    # The wake-up job exists only while a slot is due; the watchdog always.
    jobs=(Job((ICEBREAKER_TICK_JOB,), register_slots),),
    report_sources=(icebreakers_source,),
    channel_sources=(icebreaker_channels,),
    extensions=("cogs.icebreakers",),
    moderator_help=(
        "`/setup icebreakers` posts discussion prompts: import a pack with "
        "`/setup icebreakers pack`, add a schedule with `/setup icebreakers schedule`, check it "
        "with `/setup icebreakers list` and `next`, and review members' `/icebreaker suggest` "
        "ideas with `/setup icebreakers review`.",
    ),
)

"""Intro rounds: scheduled groups of members who share interests, in private threads, and
one-off rounds among an event's attendees."""

from __future__ import annotations

from collections.abc import Mapping

from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import woken
from bot.manifest import Feature, Job, Wiring
from bot.scheduling import Scheduler
from bot.services import Services
from bot.services.delivery import OutcomeHandler
from bot.services.event_rounds import EventRounds
from bot.services.events import EventService
from bot.services.introductions import FindService
from bot.services.members import MemberDirectory
from bot.services.reports.sources import rounds_source
from bot.services.rounds import THREAD_HANDLER, RoundMembers, RoundsService
from bot.services.rounds.channels import round_channels
from bot.services.settings import SettingsService
from bot.storage.repositories.rounds import RoundsRepository
from bot.storage.schema import rounds


def build(wiring: Wiring) -> Mapping[str, object]:
    db, clock = wiring.db, wiring.clock
    settings, directory = wiring.get(SettingsService), wiring.get(MemberDirectory)
    service = RoundsService(db, clock, settings, directory, wiring.get(FindService))
    return {
        "rounds": service,
        "round_members": RoundMembers(db, clock, directory),
        "event_rounds": EventRounds(db, settings, wiring.get(EventService), service),
    }


def outcome_handlers(services: Services) -> Mapping[str, OutcomeHandler]:
    return {THREAD_HANDLER: services.rounds.on_thread}


ROUNDS_TICK_JOB = "rounds:watchdog"
ROUNDS_NEXT_JOB = "rounds:next-wake"


def register_rounds(scheduler: Scheduler, services: Services) -> None:
    """Like icebreakers: a one-off job at the earliest round slot or "Did you meet?" check-in,
    and a watchdog; the service reads what is due."""
    woken(
        scheduler,
        "rounds",
        watchdog_id=ROUNDS_TICK_JOB,
        wake_id=ROUNDS_NEXT_JOB,
        every=IntervalTrigger(seconds=60),
        tick=services.rounds.tick,
        wake_listeners=services.rounds.wake_listeners,
        clock=services.clock,
    )


FEATURE = Feature(
    name="rounds",
    schema=(rounds,),
    repositories={"rounds": RoundsRepository},
    build=build,
    outcome_handlers=outcome_handlers,
    # The wake-up job exists only while a round or check-in is due; the watchdog always.
    jobs=(Job((ROUNDS_TICK_JOB,), register_rounds),),
    report_sources=(rounds_source,),
    channel_sources=(round_channels,),
    extensions=("cogs.rounds",),
    moderator_help=(
        "`/setup rounds` groups members who `/rounds join` into private threads on a schedule: "
        "`/setup rounds schedule` (weekly, biweekly or monthly), `list`, `next`, `pause`, "
        "`resume`, `remove`, `run-now`; `/setup events round` runs one among an event's "
        "attendees.",
    ),
)

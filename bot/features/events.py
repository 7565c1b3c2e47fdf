"""Events (conference mode): who attends what, and finding fellow attendees."""

from __future__ import annotations

from collections.abc import Mapping

from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import periodic
from bot.manifest import Feature, Job, Wiring
from bot.scheduling import Scheduler
from bot.services import Services
from bot.services.events import EventService
from bot.services.introductions import FindService
from bot.services.members import MemberDirectory
from bot.services.reports.sources import events_source
from bot.services.settings import SettingsService
from bot.storage.repositories.events import EventsRepository
from bot.storage.schema import events


def build(wiring: Wiring) -> Mapping[str, object]:
    service = EventService(
        wiring.db,
        wiring.clock,
        wiring.get(MemberDirectory),
        wiring.get(SettingsService),
        wiring.get(FindService),
    )
    return {"events": service}


EVENTS_FADE_JOB = "events:forget-faded"


def register_fade(scheduler: Scheduler, services: Services) -> None:
    """Faded attendance is deleted (data minimisation); listings leave it out before that."""
    run = services.events.forget_faded
    periodic(scheduler, "events", EVENTS_FADE_JOB, IntervalTrigger(hours=1), run, at_start=True)


FEATURE = Feature(
    name="events",
    schema=(events,),
    repositories={"events": EventsRepository},
    build=build,
    jobs=(Job((EVENTS_FADE_JOB,), register_fade),),
    report_sources=(events_source,),
    extensions=("cogs.events",),
    moderator_help=(
        "`/setup events` lists conferences members can attend: `add` one or `import` the "
        "server's Discord scheduled events, then `list` or `remove`; attendance fades "
        "`event_retention_days` after each event (`/setup defaults`).",
    ),
)

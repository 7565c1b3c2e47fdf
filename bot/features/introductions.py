"""Find people and double opt-in introductions, and the blocks that hold between members."""

from __future__ import annotations

from collections.abc import Mapping

from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import periodic
from bot.manifest import Feature, Job, Wiring
from bot.scheduling import Scheduler
from bot.services import Services
from bot.services.delivery import OutcomeHandler
from bot.services.introductions import INTRO_DM_HANDLER, FindService, IntroductionService
from bot.services.members import MemberDirectory
from bot.services.reports.sources import introductions_source
from bot.services.settings import SettingsService
from bot.services.tags import TagIndexCache
from bot.storage.repositories.blocks import BlocksRepository
from bot.storage.repositories.introductions import IntroRequestsRepository
from bot.storage.schema import introductions


def build(wiring: Wiring) -> Mapping[str, object]:
    db, clock = wiring.db, wiring.clock
    directory = wiring.get(MemberDirectory)
    return {
        "introductions": IntroductionService(db, clock, directory, wiring.get(SettingsService)),
        "find": FindService(db, clock, directory, wiring.get(TagIndexCache)),
    }


def outcome_handlers(services: Services) -> Mapping[str, OutcomeHandler]:
    return {INTRO_DM_HANDLER: services.introductions.on_introduction_outcome}


INTRO_ENDINGS_JOB = "introductions:end-expired"


def register_endings(scheduler: Scheduler, services: Services) -> None:
    """Requests that expired: each requester hears "it didn't work out", once (see the service)."""
    run = services.introductions.end_expired
    every = IntervalTrigger(minutes=5)
    periodic(scheduler, "introductions", INTRO_ENDINGS_JOB, every, run, at_start=True)


FEATURE = Feature(
    name="introductions",
    schema=(introductions,),
    repositories={"intro_requests": IntroRequestsRepository, "blocks": BlocksRepository},
    build=build,
    outcome_handlers=outcome_handlers,
    jobs=(Job((INTRO_ENDINGS_JOB,), register_endings),),
    report_sources=(introductions_source,),
    extensions=("cogs.introductions",),
)

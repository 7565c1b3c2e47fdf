"""Mentorship: offers, requests and their routing, the claim, the match and its record."""

from __future__ import annotations

from collections.abc import Mapping

from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import periodic
from bot.manifest import Feature, Job, Wiring
from bot.scheduling import Scheduler
from bot.services import Services
from bot.services.delivery import OutcomeHandler
from bot.services.members import MemberDirectory
from bot.services.mentorship import (
    THREAD_HANDLER,
    MentorClaims,
    MentorRequestService,
    MentorRouting,
    MentorService,
)
from bot.services.mentorship.lifecycle import (
    FIT_CHECK_HANDLER,
    MATCH_THREAD_HANDLER,
    MentorMatches,
)
from bot.services.mentorship.record import MentorRecords
from bot.services.reports.sources import mentorship_source
from bot.storage.repositories.mentor_matches import MentorMatchesRepository
from bot.storage.repositories.mentor_requests import MentorRequestsRepository
from bot.storage.repositories.mentors import MentorsRepository
from bot.storage.schema import mentorship


def build(wiring: Wiring) -> Mapping[str, object]:
    db, clock = wiring.db, wiring.clock
    directory = wiring.get(MemberDirectory)
    routing = MentorRouting(db, clock, directory)
    records = MentorRecords(db, clock, directory)
    return {
        "mentors": MentorService(db, clock, directory, routing),
        "mentor_requests": MentorRequestService(db, clock, directory, routing),
        "mentor_routing": routing,
        "mentor_claims": MentorClaims(db, clock, directory),
        "mentor_matches": MentorMatches(
            db, clock, directory, records, reroute=routing.route_pending
        ),
        "mentor_records": records,
    }


def outcome_handlers(services: Services) -> Mapping[str, OutcomeHandler]:
    return {
        THREAD_HANDLER: services.mentor_claims.on_thread,
        MATCH_THREAD_HANDLER: services.mentor_matches.on_thread_outcome,
        FIT_CHECK_HANDLER: services.mentor_matches.on_fit_check_outcome,
    }


MENTORSHIP_JOB = "mentorship:route-escalate-expire"
MENTOR_MATCHES_JOB = "mentorship:match-steps"


def register_requests(scheduler: Scheduler, services: Services) -> None:
    """Mentor requests: route those at wave 0 (sent back after a poor fit, or interrupted), tell
    the next mentors and the moderators after 3 days, expire after 14. What is due comes from
    the database, so a late or repeated wake-up does each step once."""
    run = services.mentor_routing.tick
    every = IntervalTrigger(minutes=5)
    periodic(scheduler, "mentorship", MENTORSHIP_JOB, every, run, at_start=True)


def register_matches(scheduler: Scheduler, services: Services) -> None:
    """One tick does every due step of every active match (fit check, check-in prompt, end
    reminder, term-end prompt, auto-close), each once: the match's columns say what is due."""
    run = services.mentor_matches.tick
    every = IntervalTrigger(minutes=15)
    periodic(scheduler, "mentor-matches", MENTOR_MATCHES_JOB, every, run, at_start=True)


FEATURE = Feature(
    name="mentorship",
    schema=(mentorship,),
    repositories={
        "mentors": MentorsRepository,
        "mentor_requests": MentorRequestsRepository,
        "mentor_matches": MentorMatchesRepository,
    },
    build=build,
    outcome_handlers=outcome_handlers,
    jobs=(
        Job((MENTORSHIP_JOB,), register_requests),
        Job((MENTOR_MATCHES_JOB,), register_matches),
    ),
    report_sources=(mentorship_source,),
    extensions=("cogs.mentorship",),
    moderator_help=(
        "Mentorship: set the `mentorship` and `mentor-requests` channels with `/setup channel`, "
        "and optionally who may mentor with `/setup mentorship require_role`.",
    ),
)

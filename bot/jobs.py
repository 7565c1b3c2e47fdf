"""Every feature's scheduled jobs, registered before the scheduler starts (see bot.scheduling).

A feature adds one ``register`` function here; it receives the scheduler and the services and
adds a rebuilder that re-creates the feature's jobs from the database at start.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.scheduling import Scheduler
from bot.services import Services

HOUSEKEEPING_JOB = "housekeeping:forget-old-deliveries"
HOUSEKEEPING_EVERY = IntervalTrigger(hours=6)


def register_housekeeping(scheduler: Scheduler, services: Services) -> None:
    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(
            HOUSEKEEPING_JOB,
            services.housekeeping.forget_old_deliveries,
            HOUSEKEEPING_EVERY,
            misfire_grace_time=3600,
        )

    scheduler.register_rebuilder("housekeeping", rebuild)


INTRO_ENDINGS_JOB = "introductions:end-expired"
INTRO_ENDINGS_EVERY = IntervalTrigger(minutes=5)


def register_introductions(scheduler: Scheduler, services: Services) -> None:
    """Requests that expired: each requester hears "it didn't work out", once (see the service)."""

    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(
            INTRO_ENDINGS_JOB,
            services.introductions.end_expired,
            INTRO_ENDINGS_EVERY,
            misfire_grace_time=3600,
        )
        await services.introductions.end_expired()  # whatever fell due while the bot was down

    scheduler.register_rebuilder("introductions", rebuild)


ICEBREAKER_TICK_JOB = "icebreakers:watchdog"
ICEBREAKER_NEXT_JOB = "icebreakers:next-slot"
ICEBREAKER_WATCHDOG_EVERY = IntervalTrigger(seconds=30)


def register_icebreakers(scheduler: Scheduler, services: Services) -> None:
    """Our own next-slot computation drives the wake-up: a one-off job at the earliest next slot
    of any schedule, re-armed after every change and every post; a 30 s watchdog covers a lost
    wake-up (or a clock jump). Either way the service reads what is due from the database."""
    schedules = services.icebreaker_schedules

    def arm(earliest: datetime | None) -> None:
        if not scheduler.running:
            return
        if earliest is None:
            scheduler.remove_job(ICEBREAKER_NEXT_JOB)
            return
        at = max(earliest, datetime.now(UTC))
        scheduler.add_job(
            ICEBREAKER_NEXT_JOB, schedules.tick, DateTrigger(run_date=at), misfire_grace_time=3600
        )

    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(
            ICEBREAKER_TICK_JOB, schedules.tick, ICEBREAKER_WATCHDOG_EVERY, misfire_grace_time=3600
        )
        schedules.wake_listeners.append(arm)
        await schedules.tick()  # posts (or skips and logs) what fell due while the bot was down

    scheduler.register_rebuilder("icebreakers", rebuild)


EVENTS_FADE_JOB = "events:forget-faded"
EVENTS_FADE_EVERY = IntervalTrigger(hours=1)


def register_events(scheduler: Scheduler, services: Services) -> None:
    """Faded attendance is deleted (data minimisation); listings leave it out before that."""

    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(
            EVENTS_FADE_JOB,
            services.events.forget_faded,
            EVENTS_FADE_EVERY,
            misfire_grace_time=3600,
        )
        await services.events.forget_faded()  # whatever faded while the bot was down

    scheduler.register_rebuilder("events", rebuild)


MENTORSHIP_JOB = "mentorship:route-escalate-expire"
MENTORSHIP_EVERY = IntervalTrigger(minutes=5)


def register_mentorship(scheduler: Scheduler, services: Services) -> None:
    """Mentor requests: route those at wave 0 (sent back after a poor fit, or interrupted), tell
    the next mentors and the moderators after 3 days, expire after 14. What is due comes from
    the database, so a late or repeated wake-up does each step once."""

    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(
            MENTORSHIP_JOB,
            services.mentor_routing.tick,
            MENTORSHIP_EVERY,
            misfire_grace_time=3600,
        )
        await services.mentor_routing.tick()  # whatever fell due while the bot was down

    scheduler.register_rebuilder("mentorship", rebuild)


MENTOR_MATCHES_JOB = "mentorship:match-steps"
MENTOR_MATCHES_EVERY = IntervalTrigger(minutes=15)


def register_mentor_matches(scheduler: Scheduler, services: Services) -> None:
    """One tick does every due step of every active match (fit check, check-in prompt, end
    reminder, term-end prompt, auto-close), each once: the match's columns say what is due."""

    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(
            MENTOR_MATCHES_JOB,
            services.mentor_matches.tick,
            MENTOR_MATCHES_EVERY,
            misfire_grace_time=3600,
        )
        await services.mentor_matches.tick()  # whatever fell due while the bot was down

    scheduler.register_rebuilder("mentor-matches", rebuild)


PRIVACY_PURGE_JOB = "privacy:purge-departed"
PRIVACY_PURGE_EVERY = IntervalTrigger(hours=1)


def register_privacy(scheduler: Scheduler, services: Services) -> None:
    """Members who left: deleted once their server's departed_retention_days have passed."""

    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(
            PRIVACY_PURGE_JOB,
            services.privacy.purge_departed,
            PRIVACY_PURGE_EVERY,
            misfire_grace_time=3600,
        )
        await services.privacy.purge_departed()  # whatever fell due while the bot was down

    scheduler.register_rebuilder("privacy", rebuild)


ROUNDS_TICK_JOB = "rounds:watchdog"
ROUNDS_NEXT_JOB = "rounds:next-wake"
ROUNDS_WATCHDOG_EVERY = IntervalTrigger(seconds=60)


def register_rounds(scheduler: Scheduler, services: Services) -> None:
    """Like icebreakers: a one-off job at the earliest round slot or "Did you meet?" check-in,
    re-armed after every change, and a watchdog; the service reads what is due."""
    rounds = services.rounds

    def arm(earliest: datetime | None) -> None:
        if not scheduler.running:
            return
        if earliest is None:
            scheduler.remove_job(ROUNDS_NEXT_JOB)
            return
        # The wait is measured on the injected clock (a simulated one in tests), so a wake that
        # is due on it now never turns into a loop of immediate wake-ups.
        wait = max(earliest - services.clock.now(), timedelta(0))
        at = datetime.now(UTC) + wait
        scheduler.add_job(
            ROUNDS_NEXT_JOB, rounds.tick, DateTrigger(run_date=at), misfire_grace_time=3600
        )

    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(
            ROUNDS_TICK_JOB, rounds.tick, ROUNDS_WATCHDOG_EVERY, misfire_grace_time=3600
        )
        rounds.wake_listeners.append(arm)
        await rounds.tick()  # runs (or skips and logs) what fell due while the bot was down

    scheduler.register_rebuilder("rounds", rebuild)


FEATURE_JOBS: tuple[Callable[[Scheduler, Services], None], ...] = (
    register_housekeeping,
    register_introductions,
    register_icebreakers,
    register_events,
    register_mentorship,
    register_mentor_matches,
    register_privacy,
    register_rounds,
)


def register_jobs(scheduler: Scheduler, services: Services) -> None:
    for register in FEATURE_JOBS:
        register(scheduler, services)

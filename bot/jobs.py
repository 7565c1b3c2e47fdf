"""Every feature's scheduled jobs, registered before the scheduler starts (see bot.scheduling).

A feature adds one ``register`` function here; it receives the scheduler and the services and
adds a rebuilder that re-creates the feature's jobs from the database at start. Two shapes
cover every feature so far:

- :func:`periodic`: one job at a fixed interval that reads what is due from the database (and,
  at start, runs once for whatever fell due while the bot was down);
- :func:`woken`: our own next-due computation drives a one-off wake-up at the earliest due
  moment, re-armed after every change, with a watchdog at an interval for a lost wake-up or a
  clock jump (icebreakers, intro rounds).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.scheduling import Scheduler
from bot.services import Services

Register = Callable[[Scheduler, Services], None]
Due = Callable[[], Awaitable[object]]
GRACE = 3600  # seconds a late run still runs (a suspended VM wakes up and catches up)


def periodic(
    scheduler: Scheduler,
    name: str,
    job_id: str,
    every: IntervalTrigger,
    run: Due,
    *,
    at_start: bool,
) -> None:
    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(job_id, run, every, misfire_grace_time=GRACE)
        if at_start:
            await run()  # whatever fell due while the bot was down

    scheduler.register_rebuilder(name, rebuild)


def woken(
    scheduler: Scheduler,
    name: str,
    *,
    watchdog_id: str,
    wake_id: str,
    every: IntervalTrigger,
    tick: Due,
    wake_listeners: list[Callable[[datetime | None], None]],
    clock: Clock,
) -> None:
    def arm(earliest: datetime | None) -> None:
        if not scheduler.running:
            return
        if earliest is None:
            scheduler.remove_job(wake_id)
            return
        # The wait is measured on the injected clock (a simulated one in tests), so a wake-up
        # that is due on it now never turns into a loop of immediate wake-ups.
        wait = max(earliest - clock.now(), timedelta(0))
        at = DateTrigger(run_date=datetime.now(UTC) + wait)
        scheduler.add_job(wake_id, tick, at, misfire_grace_time=GRACE)

    async def rebuild(scheduler: Scheduler) -> None:
        scheduler.add_job(watchdog_id, tick, every, misfire_grace_time=GRACE)
        wake_listeners.append(arm)
        await tick()  # runs (or skips and logs) what fell due while the bot was down

    scheduler.register_rebuilder(name, rebuild)


HOUSEKEEPING_JOB = "housekeeping:forget-old-deliveries"


def register_housekeeping(scheduler: Scheduler, services: Services) -> None:
    """Deliveries settled more than 30 days ago are forgotten."""
    run = services.housekeeping.forget_old_deliveries
    periodic(
        scheduler, "housekeeping", HOUSEKEEPING_JOB, IntervalTrigger(hours=6), run, at_start=False
    )


INTRO_ENDINGS_JOB = "introductions:end-expired"


def register_introductions(scheduler: Scheduler, services: Services) -> None:
    """Requests that expired: each requester hears "it didn't work out", once (see the service)."""
    run = services.introductions.end_expired
    periodic(
        scheduler,
        "introductions",
        INTRO_ENDINGS_JOB,
        IntervalTrigger(minutes=5),
        run,
        at_start=True,
    )


ICEBREAKER_TICK_JOB = "icebreakers:watchdog"
ICEBREAKER_NEXT_JOB = "icebreakers:next-slot"


def register_icebreakers(scheduler: Scheduler, services: Services) -> None:
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


EVENTS_FADE_JOB = "events:forget-faded"


def register_events(scheduler: Scheduler, services: Services) -> None:
    """Faded attendance is deleted (data minimisation); listings leave it out before that."""
    run = services.events.forget_faded
    periodic(scheduler, "events", EVENTS_FADE_JOB, IntervalTrigger(hours=1), run, at_start=True)


MENTORSHIP_JOB = "mentorship:route-escalate-expire"


def register_mentorship(scheduler: Scheduler, services: Services) -> None:
    """Mentor requests: route those at wave 0 (sent back after a poor fit, or interrupted), tell
    the next mentors and the moderators after 3 days, expire after 14. What is due comes from
    the database, so a late or repeated wake-up does each step once."""
    run = services.mentor_routing.tick
    periodic(
        scheduler, "mentorship", MENTORSHIP_JOB, IntervalTrigger(minutes=5), run, at_start=True
    )


MENTOR_MATCHES_JOB = "mentorship:match-steps"


def register_mentor_matches(scheduler: Scheduler, services: Services) -> None:
    """One tick does every due step of every active match (fit check, check-in prompt, end
    reminder, term-end prompt, auto-close), each once: the match's columns say what is due."""
    run = services.mentor_matches.tick
    every = IntervalTrigger(minutes=15)
    periodic(scheduler, "mentor-matches", MENTOR_MATCHES_JOB, every, run, at_start=True)


PRIVACY_PURGE_JOB = "privacy:purge-departed"


def register_privacy(scheduler: Scheduler, services: Services) -> None:
    """Members who left: deleted once their server's departed_retention_days have passed."""
    run = services.privacy.purge_departed
    periodic(scheduler, "privacy", PRIVACY_PURGE_JOB, IntervalTrigger(hours=1), run, at_start=True)


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


FEATURE_JOBS: tuple[Register, ...] = (
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

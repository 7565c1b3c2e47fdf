"""The house every feature stands on: members and their directory, server settings, the
outbox and its housekeeping, ``/help`` and ``/setup``."""

from __future__ import annotations

from collections.abc import Mapping

from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import periodic
from bot.manifest import Feature, Job, Wiring
from bot.scheduling import Scheduler
from bot.services import Services
from bot.services.health import purpose_channels
from bot.services.housekeeping import HousekeepingService
from bot.services.members import MemberDirectory
from bot.services.reports.sources import snoozes_source
from bot.services.settings import SettingsService
from bot.storage.repositories.member_rows import MemberRowsRepository
from bot.storage.repositories.members import MembersRepository
from bot.storage.repositories.outbox import OutboxRepository
from bot.storage.repositories.settings import GuildSettingsRepository
from bot.storage.schema import members, outbox, settings


def build(wiring: Wiring) -> Mapping[str, object]:
    settings_service = SettingsService(
        wiring.db, wiring.clock, default_timezone=wiring.default_timezone
    )
    return {
        "settings": settings_service,
        "directory": MemberDirectory(wiring.db, settings_service, wiring.clock),
        "housekeeping": HousekeepingService(wiring.db, wiring.clock),
    }


HOUSEKEEPING_JOB = "housekeeping:forget-old-deliveries"


def register_housekeeping(scheduler: Scheduler, services: Services) -> None:
    """Deliveries settled more than 30 days ago are forgotten."""
    run = services.housekeeping.forget_old_deliveries
    periodic(
        scheduler, "housekeeping", HOUSEKEEPING_JOB, IntervalTrigger(hours=6), run, at_start=False
    )


FEATURE = Feature(
    name="core",
    schema=(members, settings, outbox),
    repositories={
        "members": MembersRepository,
        "settings": GuildSettingsRepository,
        "outbox": OutboxRepository,
        # Reads what the member-data repositories declare, generically (the privacy export).
        "member_rows": MemberRowsRepository,
    },
    build=build,
    jobs=(Job((HOUSEKEEPING_JOB,), register_housekeeping),),
    report_sources=(snoozes_source,),
    channel_sources=(purpose_channels,),
    # /help and /setup load first: feature extensions add their groups under /setup.
    extensions=("cogs.help", "cogs.setup"),
    moderator_help=(
        "`/setup show` shows every setting, checks my permissions in each channel and lists "
        "what to do next.",
    ),
)

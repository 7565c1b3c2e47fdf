"""The member's privacy controls: show, export and delete (also from DMs), the hashed
anti-abuse record, and departed members purged after the retention period."""

from __future__ import annotations

from collections.abc import Mapping

from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import periodic
from bot.manifest import Feature, Job, Wiring
from bot.scheduling import Scheduler
from bot.services import Services
from bot.services.members import MemberDirectory
from bot.services.privacy import PrivacyService
from bot.services.rounds import RoundMembers
from bot.storage.schema import privacy


def build(wiring: Wiring) -> Mapping[str, object]:
    joined_rounds = wiring.get(RoundMembers).joined_labels
    service = PrivacyService(wiring.db, wiring.get(MemberDirectory), joined_rounds)
    wiring.outcomes.on_member_left(service.member_left)
    return {"privacy": service}


PRIVACY_PURGE_JOB = "privacy:purge-departed"


def register_purge(scheduler: Scheduler, services: Services) -> None:
    """Members who left: deleted once their server's departed_retention_days have passed."""
    run = services.privacy.purge_departed
    periodic(scheduler, "privacy", PRIVACY_PURGE_JOB, IntervalTrigger(hours=1), run, at_start=True)


FEATURE = Feature(
    name="privacy",
    # The hashed anti-abuse record is read through the blocks repository (introductions).
    schema=(privacy,),
    build=build,
    jobs=(Job((PRIVACY_PURGE_JOB,), register_purge),),
    extensions=("cogs.privacy",),
)

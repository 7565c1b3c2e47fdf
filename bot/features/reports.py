"""Moderators' view of the community: ``/setup report`` and the channel health check, both
gathered from every feature's manifest."""

from __future__ import annotations

from collections.abc import Mapping

from bot.manifest import Feature, Wiring
from bot.services.health import HealthService
from bot.services.reports import ReportService


def build(wiring: Wiring) -> Mapping[str, object]:
    sources = [source for feature in wiring.features for source in feature.report_sources]
    channels = [source for feature in wiring.features for source in feature.channel_sources]
    return {
        "reports": ReportService(wiring.db, wiring.clock, sources),
        "health": HealthService(wiring.db, channels),
    }


FEATURE = Feature(
    name="reports",
    build=build,
    moderator_help=(
        "`/setup report` counts the last 30 or 90 days (`format:csv` or `format:chart` attaches "
        'a file); counts below 3 show as "fewer than 3".',
    ),
)

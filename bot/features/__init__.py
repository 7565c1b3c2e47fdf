"""Every feature of the bot, in the order they are built (a feature may use the services of
those before it) and their extensions loaded. A new feature is one line here (its manifest
module beside this one; see :class:`bot.manifest.Feature`)."""

from __future__ import annotations

from bot.features import (
    core,
    events,
    icebreakers,
    introductions,
    mentorship,
    privacy,
    profiles,
    reports,
    rounds,
    tags,
)
from bot.manifest import Feature

FEATURES: tuple[Feature, ...] = (
    core.FEATURE,
    tags.FEATURE,
    profiles.FEATURE,
    introductions.FEATURE,
    icebreakers.FEATURE,
    events.FEATURE,
    mentorship.FEATURE,
    rounds.FEATURE,
    privacy.FEATURE,
    reports.FEATURE,
)

EXTENSIONS: tuple[str, ...] = tuple(name for f in FEATURES for name in f.extensions)
JOB_IDS: tuple[str, ...] = tuple(job_id for f in FEATURES for job in f.jobs for job_id in job.ids)

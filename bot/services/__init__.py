"""Use cases. Services take plain ids, run one transaction each, and never import discord."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from bot.clock import Clock
from bot.manifest import Feature, Wiring
from bot.services.delivery import OutcomeRouter
from bot.services.event_rounds import EventRounds
from bot.services.events import EventService
from bot.services.health import HealthService
from bot.services.housekeeping import HousekeepingService
from bot.services.icebreakers import IcebreakerPrompts, IcebreakerSchedules
from bot.services.introductions import FindService, IntroductionService
from bot.services.members import MemberDirectory
from bot.services.mentorship import (
    MentorClaims,
    MentorRequestService,
    MentorRouting,
    MentorService,
)
from bot.services.mentorship.lifecycle import MentorMatches
from bot.services.mentorship.record import MentorRecords
from bot.services.privacy import PrivacyService
from bot.services.profiles import ProfileService
from bot.services.reports import ReportService
from bot.services.rounds import RoundMembers, RoundsService
from bot.services.settings import SettingsService
from bot.services.tags import (
    MemberTagService,
    SuggestionService,
    TagIndexCache,
    VocabularyService,
)
from bot.storage.database import Database

T = TypeVar("T")


class Services:
    """Every service the cogs may call, built once in ``bot.app`` (or a test) from the
    features' manifests (``bot.features``).

    The annotations only give the existing services their types; a new feature's service is
    reachable as ``services.<name>`` or, typed, ``services.get(TheService)``.
    """

    db: Database
    clock: Clock
    outcomes: OutcomeRouter
    settings: SettingsService
    directory: MemberDirectory
    privacy: PrivacyService
    tag_index: TagIndexCache
    vocabulary: VocabularyService
    member_tags: MemberTagService
    suggestions: SuggestionService
    profiles: ProfileService
    housekeeping: HousekeepingService
    introductions: IntroductionService
    find: FindService
    icebreaker_schedules: IcebreakerSchedules
    icebreaker_prompts: IcebreakerPrompts
    events: EventService
    reports: ReportService
    health: HealthService
    mentors: MentorService
    mentor_requests: MentorRequestService
    mentor_routing: MentorRouting
    mentor_claims: MentorClaims
    mentor_matches: MentorMatches
    mentor_records: MentorRecords
    rounds: RoundsService
    event_rounds: EventRounds
    round_members: RoundMembers

    def __init__(
        self, db: Database, clock: Clock, outcomes: OutcomeRouter, built: Mapping[str, object]
    ) -> None:
        self.db = db
        self.clock = clock
        self.outcomes = outcomes
        self._built = dict(built)
        self.__dict__.update(self._built)

    def get(self, kind: type[T]) -> T:
        """The one service of this class (typed access for features without an annotation)."""
        for service in self._built.values():
            if type(service) is kind:
                found: T = service
                return found
        raise LookupError(f"no feature builds {kind.__name__}")

    @classmethod
    def build(
        cls,
        db: Database,
        clock: Clock,
        *,
        default_timezone: str = "UTC",
        features: Sequence[Feature] | None = None,
    ) -> Services:
        """Each feature builds its services in order, then registers its outcome handlers."""
        if features is None:
            # Imported here: the manifests import the services of this package.
            from bot.features import FEATURES

            features = FEATURES
        outcomes = OutcomeRouter()
        wiring = Wiring(db, clock, outcomes, tuple(features), default_timezone=default_timezone)
        for feature in features:
            for name, service in feature.build(wiring).items():
                if name in wiring.built:
                    raise ValueError(f"service {name!r} is built by two features")
                wiring.built[name] = service
        services = cls(db, clock, outcomes, wiring.built)
        for feature in features:
            for name, handler in feature.outcome_handlers(services).items():
                outcomes.register(name, handler)
        return services

"""Use cases. Services take plain ids, run one transaction each, and never import discord."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.services.delivery import OutcomeRouter
from bot.services.event_rounds import EventRounds
from bot.services.events import EventService
from bot.services.health import HealthService
from bot.services.housekeeping import HousekeepingService
from bot.services.icebreakers import POST_HANDLER, IcebreakerPrompts, IcebreakerSchedules
from bot.services.introductions import INTRO_DM_HANDLER, FindService, IntroductionService
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
from bot.services.privacy import PrivacyService
from bot.services.profiles import ProfileService
from bot.services.reports import ReportService
from bot.services.rounds import THREAD_HANDLER as ROUND_THREAD_HANDLER
from bot.services.rounds import RoundMembers, RoundsService
from bot.services.settings import SettingsService
from bot.services.tags import (
    MemberTagService,
    SuggestionService,
    TagIndexCache,
    VocabularyService,
)
from bot.storage.database import Database


@dataclass
class Services:
    """Every service the cogs may call, built once in ``bot.__main__`` (or a test)."""

    db: Database
    clock: Clock
    outcomes: OutcomeRouter
    settings: SettingsService
    directory: MemberDirectory
    privacy: PrivacyService
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

    @classmethod
    def build(cls, db: Database, clock: Clock, *, default_timezone: str = "UTC") -> Services:
        settings = SettingsService(db, clock, default_timezone=default_timezone)
        directory = MemberDirectory(db, settings, clock)
        tag_index = TagIndexCache(db)
        directory.subscribe(tag_index.on_member_event)
        outcomes = OutcomeRouter()
        introductions = IntroductionService(db, clock, directory, settings)
        outcomes.register(INTRO_DM_HANDLER, introductions.on_introduction_outcome)
        icebreakers = IcebreakerSchedules(db, clock, settings)
        outcomes.register(POST_HANDLER, icebreakers.on_posted)
        find = FindService(db, clock, directory, tag_index)
        mentor_routing = MentorRouting(db, clock, directory)
        mentor_claims = MentorClaims(db, clock, directory)
        outcomes.register(THREAD_HANDLER, mentor_claims.on_thread)
        mentor_records = MentorRecords(db, clock, directory)
        mentor_matches = MentorMatches(db, clock, directory, mentor_records)
        outcomes.register(MATCH_THREAD_HANDLER, mentor_matches.on_thread_outcome)
        outcomes.register(FIT_CHECK_HANDLER, mentor_matches.on_fit_check_outcome)
        mentor_matches.reroute = mentor_routing.route_pending
        rounds = RoundsService(db, clock, settings, directory, find)
        outcomes.register(ROUND_THREAD_HANDLER, rounds.on_thread)
        round_members = RoundMembers(db, clock, directory)
        privacy = PrivacyService(db, directory, round_members.joined_labels)
        events = EventService(db, clock, directory, settings, find)
        outcomes.on_member_left(privacy.member_left)
        return cls(
            db=db,
            clock=clock,
            outcomes=outcomes,
            settings=settings,
            directory=directory,
            privacy=privacy,
            vocabulary=VocabularyService(db, clock, directory, tag_index),
            member_tags=MemberTagService(db, clock, directory, tag_index),
            suggestions=SuggestionService(db, clock, directory, tag_index),
            profiles=ProfileService(db, directory),
            housekeeping=HousekeepingService(db, clock),
            introductions=introductions,
            find=find,
            icebreaker_schedules=icebreakers,
            icebreaker_prompts=IcebreakerPrompts(db, clock),
            events=events,
            reports=ReportService(db, clock),
            health=HealthService(db),
            mentors=MentorService(db, clock, directory, mentor_routing),
            mentor_requests=MentorRequestService(db, clock, directory, mentor_routing),
            mentor_routing=mentor_routing,
            mentor_claims=mentor_claims,
            mentor_matches=mentor_matches,
            mentor_records=mentor_records,
            rounds=rounds,
            event_rounds=EventRounds(db, settings, events, rounds),
            round_members=round_members,
        )

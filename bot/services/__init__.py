"""Use cases. Services take plain ids, run one transaction each, and never import discord."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.services.delivery import OutcomeRouter
from bot.services.housekeeping import HousekeepingService
from bot.services.icebreakers import POST_HANDLER, IcebreakerPrompts, IcebreakerSchedules
from bot.services.introductions import INTRO_DM_HANDLER, FindService, IntroductionService
from bot.services.members import MemberDirectory
from bot.services.privacy import PrivacyService
from bot.services.profiles import ProfileService
from bot.services.rounds import THREAD_HANDLER, RoundMembers, RoundsService
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
    rounds: RoundsService
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
        rounds = RoundsService(db, clock, settings, directory, find)
        outcomes.register(THREAD_HANDLER, rounds.on_thread)
        round_members = RoundMembers(db, clock, directory)
        return cls(
            db=db,
            clock=clock,
            outcomes=outcomes,
            settings=settings,
            directory=directory,
            privacy=PrivacyService(db, directory, round_members.joined_labels),
            vocabulary=VocabularyService(db, clock, directory, tag_index),
            member_tags=MemberTagService(db, clock, directory, tag_index),
            suggestions=SuggestionService(db, clock, directory, tag_index),
            profiles=ProfileService(db, directory),
            housekeeping=HousekeepingService(db, clock),
            introductions=introductions,
            find=find,
            icebreaker_schedules=icebreakers,
            icebreaker_prompts=IcebreakerPrompts(db, clock),
            rounds=rounds,
            round_members=round_members,
        )

"""Interest tags, by use case: the vocabulary moderators curate (``vocabulary``), members' own
tags and the picker (``member_tags``), suggestions and their review (``suggestions``), the
in-memory index they share (``index``) and the plain results the cogs render (``results``)."""

from bot.services.tags.index import TagIndexCache
from bot.services.tags.member_tags import MemberTagService
from bot.services.tags.results import (
    CategoryListing,
    Merged,
    MergePreview,
    NewTag,
    NewTagCheck,
    PickerOption,
    PickerSection,
    PickResult,
    PresetApplied,
    Renamed,
    SuggestionDecision,
    TagChange,
    TagCount,
    TagUsage,
)
from bot.services.tags.suggestions import SuggestionService
from bot.services.tags.vocabulary import VocabularyService

__all__ = [
    "CategoryListing",
    "MemberTagService",
    "MergePreview",
    "Merged",
    "NewTag",
    "NewTagCheck",
    "PickResult",
    "PickerOption",
    "PickerSection",
    "PresetApplied",
    "Renamed",
    "SuggestionDecision",
    "SuggestionService",
    "TagChange",
    "TagCount",
    "TagIndexCache",
    "TagUsage",
    "VocabularyService",
]

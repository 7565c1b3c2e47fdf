"""Interest tags: the vocabulary moderators curate, members' tags, suggestions."""

from __future__ import annotations

from collections.abc import Mapping

from bot.manifest import Feature, Wiring
from bot.services.members import MemberDirectory
from bot.services.reports.sources import tags_source
from bot.services.tags import MemberTagService, SuggestionService, TagIndexCache, VocabularyService
from bot.storage.repositories.member_tags import MemberTagsRepository
from bot.storage.repositories.suggestions import TagSuggestionsRepository
from bot.storage.repositories.tags import TagVocabularyRepository
from bot.storage.schema import tags


def build(wiring: Wiring) -> Mapping[str, object]:
    db, clock = wiring.db, wiring.clock
    directory = wiring.get(MemberDirectory)
    index = TagIndexCache(db)
    directory.subscribe(index.on_member_event)
    return {
        "tag_index": index,
        "vocabulary": VocabularyService(db, clock, directory, index),
        "member_tags": MemberTagService(db, clock, directory, index),
        "suggestions": SuggestionService(db, clock, directory, index),
    }


FEATURE = Feature(
    name="tags",
    schema=(tags,),
    repositories={
        "member_tags": MemberTagsRepository,
        "vocabulary": TagVocabularyRepository,
        "suggestions": TagSuggestionsRepository,
    },
    build=build,
    report_sources=(tags_source,),
    extensions=("cogs.tags",),
    moderator_help=(
        "`/setup tags` curates the interest tags: start with `/setup tags preset name:pt` (or "
        "`general`), post a picker with `/setup tags picker`, and approve members' suggestions "
        "with `/setup tags review`.",
    ),
)

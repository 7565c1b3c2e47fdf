"""The unit of work: one transaction (or read snapshot) that owns the repositories.

Services ask it for repositories (``uow.members``, ``uow.outbox``, …) instead of building them,
and never see SQL. It is what ``Database.transaction()`` and ``Database.read()`` yield. Which
repositories it holds comes from the features' manifests (``bot.features``): the annotations
below only give the existing ones their types; a new feature's repository is reachable as
``uow.<name>`` or, typed, ``uow.get(TheRepository)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.member_data import MemberData
from bot.storage.repositories.blocks import BlocksRepository
from bot.storage.repositories.events import EventsRepository
from bot.storage.repositories.icebreakers import IcebreakersRepository
from bot.storage.repositories.introductions import IntroRequestsRepository
from bot.storage.repositories.member_rows import MemberRowsRepository
from bot.storage.repositories.member_tags import MemberTagsRepository
from bot.storage.repositories.members import MembersRepository
from bot.storage.repositories.mentor_matches import MentorMatchesRepository
from bot.storage.repositories.mentor_requests import MentorRequestsRepository
from bot.storage.repositories.mentors import MentorsRepository
from bot.storage.repositories.outbox import OutboxRepository
from bot.storage.repositories.profiles import ProfileRepository
from bot.storage.repositories.rounds import RoundsRepository
from bot.storage.repositories.settings import GuildSettingsRepository
from bot.storage.repositories.suggestions import TagSuggestionsRepository
from bot.storage.repositories.tags import TagVocabularyRepository

T = TypeVar("T")


@functools.cache
def declared_repositories() -> Mapping[str, Callable[[AsyncConnection], Any]]:
    """Attribute name → repository class, from every feature's manifest, in feature order."""
    # Imported here: the manifests import the services, which import this module.
    from bot.features import FEATURES

    declared: dict[str, Callable[[AsyncConnection], Any]] = {}
    for feature in FEATURES:
        for name, repository in feature.repositories.items():
            if name in declared:
                raise ValueError(f"repository {name!r} is declared by two features")
            declared[name] = repository
    return declared


class UnitOfWork:
    members: MembersRepository
    profiles: ProfileRepository
    member_tags: MemberTagsRepository
    vocabulary: TagVocabularyRepository
    suggestions: TagSuggestionsRepository
    settings: GuildSettingsRepository
    outbox: OutboxRepository
    intro_requests: IntroRequestsRepository
    blocks: BlocksRepository
    icebreakers: IcebreakersRepository
    events: EventsRepository
    mentors: MentorsRepository
    mentor_requests: MentorRequestsRepository
    mentor_matches: MentorMatchesRepository
    member_rows: MemberRowsRepository  # reads what ``member_data`` declares (the export)
    rounds: RoundsRepository

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn  # for storage code and tests; services use the repositories
        self._repositories = {
            name: repository(conn) for name, repository in declared_repositories().items()
        }
        self.__dict__.update(self._repositories)
        self._after_commit: list[Callable[[], None]] = []

    def get(self, kind: type[T]) -> T:
        """The repository of this class (typed access for features without an annotation)."""
        for repository in self._repositories.values():
            if type(repository) is kind:
                found: T = repository
                return found
        raise LookupError(f"no feature declares {kind.__name__}")

    @property
    def member_data(self) -> tuple[MemberData, ...]:
        """Every repository that stores anything about a member (the privacy contract)."""
        return tuple(r for r in self._repositories.values() if isinstance(r, MemberData))

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once this transaction has committed (never after a rollback)."""
        self._after_commit.append(callback)

    def committed(self) -> None:
        """Called by the database after a successful commit."""
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

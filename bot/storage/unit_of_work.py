"""The unit of work: one transaction (or read snapshot) that owns the repositories.

Services ask it for repositories (``uow.members``, ``uow.outbox``, …) instead of building them,
and never see SQL. It is what ``Database.transaction()`` and ``Database.read()`` yield.
"""

from __future__ import annotations

from collections.abc import Callable

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


class UnitOfWork:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn  # for storage code and tests; services use the repositories
        self.members = MembersRepository(conn)
        self.profiles = ProfileRepository(conn)
        self.member_tags = MemberTagsRepository(conn)
        self.vocabulary = TagVocabularyRepository(conn)
        self.suggestions = TagSuggestionsRepository(conn)
        self.settings = GuildSettingsRepository(conn)
        self.outbox = OutboxRepository(conn)
        self.intro_requests = IntroRequestsRepository(conn)
        self.blocks = BlocksRepository(conn)
        self.icebreakers = IcebreakersRepository(conn)
        self.events = EventsRepository(conn)
        self.mentors = MentorsRepository(conn)
        self.mentor_requests = MentorRequestsRepository(conn)
        self.mentor_matches = MentorMatchesRepository(conn)
        # Reads what ``member_data`` declares, generically (the privacy export).
        self.member_rows = MemberRowsRepository(conn)
        self.rounds = RoundsRepository(conn)
        self._after_commit: list[Callable[[], None]] = []

    @property
    def member_data(self) -> tuple[MemberData, ...]:
        """Every repository that stores anything about a member (the privacy contract)."""
        return (
            self.members,
            self.profiles,
            self.member_tags,
            self.vocabulary,
            self.suggestions,
            self.settings,
            self.outbox,
            self.intro_requests,
            self.blocks,
            self.icebreakers,
            self.events,
            self.mentors,
            self.mentor_requests,
            self.mentor_matches,
            self.rounds,
        )

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once this transaction has committed (never after a rollback)."""
        self._after_commit.append(callback)

    def committed(self) -> None:
        """Called by the database after a successful commit."""
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

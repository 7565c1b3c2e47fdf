"""The per-server tag index for lookups and autocomplete, cached in memory.

Rebuilt lazily after any vocabulary change: the member directory's ``VocabularyChanged`` event
drops the cached copy, and a generation counter stops a slow read that started before the change
from caching a stale index.
"""

from __future__ import annotations

from bot.domain.members import MemberEvent, VocabularyChanged
from bot.domain.tag_index import TagIndex
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork


async def load_index(uow: UnitOfWork, guild_id: int) -> TagIndex:
    """A fresh index from the database, inside the caller's unit of work."""
    return TagIndex(
        categories=await uow.vocabulary.categories(guild_id),
        tags=await uow.vocabulary.tags(guild_id),
        aliases=await uow.vocabulary.aliases(guild_id),
    )


class TagIndexCache:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._indexes: dict[int, TagIndex] = {}
        self._generations: dict[int, int] = {}

    async def get(self, guild_id: int) -> TagIndex:
        """The server's vocabulary for lookups; cached until the next vocabulary change."""
        cached = self._indexes.get(guild_id)
        if cached is not None:
            return cached
        generation = self._generations.get(guild_id, 0)
        async with self.db.read() as uow:
            built = await load_index(uow, guild_id)
        if self._generations.get(guild_id, 0) == generation:
            self._indexes[guild_id] = built
        return built

    def cached(self, guild_id: int) -> TagIndex | None:
        return self._indexes.get(guild_id)

    def invalidate(self, guild_id: int) -> None:
        self._generations[guild_id] = self._generations.get(guild_id, 0) + 1
        self._indexes.pop(guild_id, None)

    def on_member_event(self, event: MemberEvent) -> None:
        """Subscribed to the member directory."""
        if isinstance(event, VocabularyChanged):
            self.invalidate(event.guild_id)

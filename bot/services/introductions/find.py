"""/find and /intro suggest: ranked from an in-memory index kept in step with the database.

Each server's :class:`RankingIndex` is built from the database on first use (and for every
server at start), then kept current by the member directory's events; a vocabulary change
(merge, removal) drops it so the next query rebuilds it. Every answer passes the consent rule.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.members import (
    BlockChanged,
    DiscoverabilityChanged,
    MemberDeleted,
    MemberEvent,
    NameChanged,
    SnoozeChanged,
    TagsChanged,
    VocabularyChanged,
)
from bot.domain.ranking import FindPage, Match, RankingIndex
from bot.domain.tags import Tag
from bot.services.members import MemberDirectory
from bot.services.tags import TagIndexCache
from bot.storage.database import Database

log = logging.getLogger(__name__)

PAGE_SIZE = 10
MAX_REQUIRED_TAGS = 3


@dataclass(frozen=True)
class Person:
    """One entry of a listing: who, and the tags they share with the viewer."""

    user_id: int
    name: str | None
    shared: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class FindResult:
    tags: tuple[Tag, ...]  # what was searched for
    people: tuple[Person, ...]
    page: int  # 0-based
    pages: int
    total: int


class FindService:
    def __init__(
        self, db: Database, clock: Clock, directory: MemberDirectory, tags: TagIndexCache
    ) -> None:
        self.db = db
        self.clock = clock
        self.tags = tags
        self._indexes: dict[int, RankingIndex] = {}
        # Display names beside each index, so a listing needs no database read.
        self._names: dict[int, dict[int, str]] = {}
        self._generations: dict[int, int] = {}
        self._lock = asyncio.Lock()
        directory.subscribe(self.on_member_event)

    # -- the index ------------------------------------------------------------------------------

    async def index(self, guild_id: int) -> RankingIndex:
        cached = self._indexes.get(guild_id)
        if cached is not None:
            return cached
        async with self._lock:  # one build per server at a time
            cached = self._indexes.get(guild_id)
            if cached is not None:
                return cached
            generation = self._generations.get(guild_id, 0)
            built, names = await self._build(guild_id)
            # Names even from a build a change overtook: this listing shows them (the next
            # one rebuilds), where none at all would show "Member <id>".
            self._names[guild_id] = names
            if self._generations.get(guild_id, 0) == generation:
                self._indexes[guild_id] = built
            return built

    async def _build(self, guild_id: int) -> tuple[RankingIndex, dict[int, str]]:
        async with self.db.read() as uow:
            members = await uow.members.in_guild(guild_id)
            held = await uow.member_tags.held_in(guild_id)
            blocks = await uow.blocks.pairs_in(guild_id)
        rows = [
            (m.user_id, held.get(m.user_id, set()), m.discoverable, m.snoozed_until)
            for m in members
        ]
        names = {m.user_id: m.display_name for m in members if m.display_name}
        return RankingIndex.build(rows, blocks), names

    async def rebuild_all(self) -> int:
        """At start: every server's index, so the first /find is as fast as the next."""
        async with self.db.read() as uow:
            guild_ids = await uow.members.guild_ids()
        for guild_id in guild_ids:
            self._drop(guild_id)
            await self.index(guild_id)
        return len(guild_ids)

    def _drop(self, guild_id: int) -> None:
        self._generations[guild_id] = self._generations.get(guild_id, 0) + 1
        self._indexes.pop(guild_id, None)
        self._names.pop(guild_id, None)

    def knows(self, guild_id: int, user_id: int) -> None:
        """A member the bot may never have indexed (first seen attending an event, with no
        tags): rebuild the server's index on next use if they are missing from it."""
        index = self._indexes.get(guild_id)
        if index is not None and user_id not in index:
            self._drop(guild_id)

    def on_member_event(self, event: MemberEvent) -> None:
        """Subscribed to the member directory: apply each committed change to the index."""
        if isinstance(event, VocabularyChanged):
            self._drop(event.guild_id)
            return
        self._generations[event.guild_id] = self._generations.get(event.guild_id, 0) + 1
        index = self._indexes.get(event.guild_id)
        if index is None:
            return  # built from the database when first needed
        match event:
            case NameChanged(user_id=user_id, name=name):
                self._names.setdefault(event.guild_id, {})[user_id] = name
            case TagsChanged(user_id=user_id, tag_ids=tag_ids):
                if user_id in index:
                    index.set_tags(user_id, tag_ids)
                else:
                    self._drop(event.guild_id)  # a new member: rebuild to learn their standing
            case DiscoverabilityChanged(user_id=user_id, discoverable=discoverable):
                if user_id in index:
                    index.set_discoverable(user_id, discoverable)
                else:  # new, or back after a delete: rebuild to learn the blocks they keep
                    self._drop(event.guild_id)
            case SnoozeChanged(user_id=user_id, until=until):
                if user_id in index:
                    index.set_snooze(user_id, until)
            case BlockChanged(blocker_id=blocker, blocked_id=blocked, blocked=True):
                index.block(blocker, blocked)
            case BlockChanged(blocker_id=blocker, blocked_id=blocked, blocked=False):
                index.unblock(blocker, blocked)
            case MemberDeleted(user_id=user_id):
                if user_id in index:
                    index.remove_member(user_id)

    # -- queries --------------------------------------------------------------------------------

    async def find(
        self,
        guild_id: int,
        viewer_id: int,
        tag_texts: Sequence[str],
        page: int = 0,
        *,
        among: Collection[int] | None = None,
        required: bool = True,
    ) -> FindResult:
        """Members holding every named tag (of ``among`` if given: an event's attendees),
        ranked by overlap with the viewer. ``required=False`` allows naming no tag."""
        texts = [t for t in tag_texts if t and t.strip()]
        if not texts and required:
            raise InvalidInput("Name at least one tag to look for.")
        vocabulary = await self.tags.get(guild_id)
        wanted = tuple(
            dict.fromkeys(vocabulary.resolve(text) for text in texts[:MAX_REQUIRED_TAGS])
        )
        return await self._find(guild_id, viewer_id, wanted, page, among)

    async def find_by_ids(
        self,
        guild_id: int,
        viewer_id: int,
        tag_ids: Sequence[int],
        page: int = 0,
        *,
        among: Collection[int] | None = None,
    ) -> FindResult:
        """Another page of a search (paging buttons carry tag ids, which survive a rename)."""
        vocabulary = await self.tags.get(guild_id)
        found = [vocabulary.get(tag_id) for tag_id in tag_ids[:MAX_REQUIRED_TAGS]]
        wanted = tuple(dict.fromkeys(tag for tag in found if tag is not None))
        if (not wanted and among is None) or len(wanted) < len(found):
            raise NotFound("A tag in that search was removed since; please run /find again.")
        return await self._find(guild_id, viewer_id, wanted, page, among)

    async def _find(
        self,
        guild_id: int,
        viewer_id: int,
        wanted: tuple[Tag, ...],
        page: int,
        among: Collection[int] | None = None,
    ) -> FindResult:
        index = await self.index(guild_id)
        required = [t.id for t in wanted]
        now = self.clock.now()
        page = max(0, page)

        def one(page: int) -> FindPage:
            offset = page * PAGE_SIZE
            return index.find(
                viewer_id, required, at=now, among=among, offset=offset, limit=PAGE_SIZE
            )

        found = one(page)
        pages = max(1, -(-found.total // PAGE_SIZE))
        if page >= pages:  # the list shrank since that page was shown: show its last page
            page = pages - 1
            found = one(page)
        people = await self._people(guild_id, found.matches)
        return FindResult(wanted, people, page, pages, found.total)

    async def suggest(self, guild_id: int, viewer_id: int) -> tuple[Person, ...]:
        """My best matches, leaving out people I was introduced to or have a request with."""
        async with self.db.read() as uow:
            connected = await uow.intro_requests.connected(guild_id, viewer_id)
        index = await self.index(guild_id)
        matches = index.suggest(viewer_id, at=self.clock.now(), excluded=connected, limit=PAGE_SIZE)
        return await self._people(guild_id, matches)

    async def _people(self, guild_id: int, matches: Sequence[Match]) -> tuple[Person, ...]:
        """Names from memory (kept with the index), tag names from the vocabulary index."""
        vocabulary = await self.tags.get(guild_id)
        names = self._names.get(guild_id, {})
        people = []
        for match in matches:
            shared = (vocabulary.get(tag_id) for tag_id in match.shared)
            people.append(
                Person(
                    user_id=match.user_id,
                    name=names.get(match.user_id),
                    shared=tuple(tag.name for tag in shared if tag is not None),
                    score=match.score,
                )
            )
        return tuple(people)

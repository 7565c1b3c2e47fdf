"""The member directory: one place for who a member is in a server and what they hold.

Every service that meets a member goes through it: ensure the member exists (with the server's
real default discoverability), a member's tags grouped by category, changing tags and
discoverability. After each commit it tells its subscribers (in-memory indexes such as the tag
index or, later, the ranking index) what changed; nothing is published for a rolled-back write.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Set
from datetime import datetime

from bot.clock import Clock
from bot.domain.errors import InvalidInput
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
from bot.domain.tags import CategoryTags, group_by_category
from bot.services.settings import SettingsService
from bot.storage.database import Database
from bot.storage.repositories.members import MemberRecord
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

Subscriber = Callable[[MemberEvent], None]
# Called inside the transaction that withdraws consent (opt-out, block, deletion), so each
# feature cancels what is pending for that member (with ``other``, when a block) atomically.
Withdrawal = Callable[[UnitOfWork, int, int, "int | None"], Awaitable[None]]


class MemberDirectory:
    def __init__(self, db: Database, settings: SettingsService, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self._subscribers: list[Subscriber] = []
        self._withdrawals: list[Withdrawal] = []
        self.guild_names: dict[int, str] = {}
        self._names: dict[tuple[int, int], str] = {}
        # Names seen before the member's record exists (their first command creates it, maybe
        # a moment later; a member picked in a menu may have none yet): saved when it is made.
        self._unsaved_names: dict[tuple[int, int], str] = {}

    # -- events ---------------------------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)

    def on_consent_withdrawn(self, handler: Withdrawal) -> None:
        self._withdrawals.append(handler)

    async def consent_withdrawn(
        self, uow: UnitOfWork, guild_id: int, user_id: int, other_id: int | None = None
    ) -> None:
        for handler in self._withdrawals:
            await handler(uow, guild_id, user_id, other_id)

    def _publish_after_commit(self, uow: UnitOfWork, event: MemberEvent) -> None:
        uow.after_commit(lambda: self._publish(event))

    def _publish(self, event: MemberEvent) -> None:
        for subscriber in self._subscribers:
            try:
                subscriber(event)
            except Exception:  # one broken index must not fail the member's action
                log.exception("Subscriber %r failed on %s", subscriber, event)

    # -- members --------------------------------------------------------------------------------

    async def ensure(self, uow: UnitOfWork, guild_id: int, user_id: int) -> MemberRecord:
        """The member's record, created with the server's default discoverability."""
        defaults = await self.settings.defaults_in(uow, guild_id)
        record = await uow.members.ensure(
            guild_id, user_id, discoverable=defaults.discoverable_by_default, now=self.clock.now()
        )
        name = self._unsaved_names.get((guild_id, user_id))
        if name is not None and record.display_name is None:
            await uow.members.set_display_name(guild_id, user_id, name)
            self._publish_after_commit(uow, NameChanged(guild_id, user_id, name))
            uow.after_commit(lambda: self._saved(guild_id, user_id, name))
        return record

    def _saved(self, guild_id: int, user_id: int, name: str) -> None:
        self._unsaved_names.pop((guild_id, user_id), None)
        self._names[(guild_id, user_id)] = name

    async def set_discoverable(
        self, uow: UnitOfWork, guild_id: int, user_id: int, discoverable: bool
    ) -> MemberRecord:
        record = await self.ensure(uow, guild_id, user_id)
        if record.discoverable != discoverable:
            await uow.members.set_discoverable(
                guild_id, user_id, discoverable, now=self.clock.now()
            )
            self._publish_after_commit(uow, DiscoverabilityChanged(guild_id, user_id, discoverable))
            if not discoverable:
                await self.consent_withdrawn(uow, guild_id, user_id)
        found = await uow.members.get(guild_id, user_id)
        assert found is not None
        return found

    # -- tags -----------------------------------------------------------------------------------

    async def grouped_tags(
        self, uow: UnitOfWork, guild_id: int, user_id: int
    ) -> list[CategoryTags]:
        """The member's tags under their categories, in the server's category order."""
        held = await uow.member_tags.tag_ids(guild_id, user_id)
        tags = await uow.vocabulary.tags_by_ids(guild_id, held)
        return group_by_category(tags, await uow.vocabulary.categories(guild_id))

    async def change_tags(
        self,
        uow: UnitOfWork,
        guild_id: int,
        user_id: int,
        *,
        add: Set[int] = frozenset(),
        remove: Set[int] = frozenset(),
    ) -> None:
        """Add and remove tag ids (the caller has checked the limits)."""
        await self.ensure(uow, guild_id, user_id)
        removed = await uow.member_tags.remove(guild_id, user_id, set(remove))
        added = await uow.member_tags.add(guild_id, user_id, set(add), now=self.clock.now())
        if added or removed:
            held = frozenset(await uow.member_tags.tag_ids(guild_id, user_id))
            self._publish_after_commit(uow, TagsChanged(guild_id, user_id, held))

    async def set_snooze(
        self, uow: UnitOfWork, guild_id: int, user_id: int, until: datetime | None
    ) -> None:
        await self.ensure(uow, guild_id, user_id)
        await uow.members.set_snooze(guild_id, user_id, until, now=self.clock.now())
        self._publish_after_commit(uow, SnoozeChanged(guild_id, user_id, until))

    async def block(self, uow: UnitOfWork, guild_id: int, blocker: int, blocked: int) -> bool:
        if blocker == blocked:
            raise InvalidInput("You can't block yourself.")
        await self.ensure(uow, guild_id, blocker)
        added = await uow.blocks.add(guild_id, blocker, blocked, now=self.clock.now())
        if added:
            self._publish_after_commit(uow, BlockChanged(guild_id, blocker, blocked, True))
        await self.consent_withdrawn(uow, guild_id, blocker, blocked)
        return added

    async def unblock(self, uow: UnitOfWork, guild_id: int, blocker: int, blocked: int) -> bool:
        removed = await uow.blocks.remove(guild_id, blocker, blocked)
        if removed:
            self._publish_after_commit(uow, BlockChanged(guild_id, blocker, blocked, False))
        return removed

    # -- names, learnt from interactions (no GUILD_MEMBERS intent) ---------------------------

    def remember_guild(self, guild_id: int, name: str) -> None:
        self.guild_names[guild_id] = name

    def guild_name(self, guild_id: int) -> str:
        return self.guild_names.get(guild_id, "your server")

    async def remember_name(self, guild_id: int, user_id: int, display_name: str) -> None:
        """Keep a known member's display name current (a write only when it changed), and a
        member who was seen gone is back: no longer departed."""
        if self._names.get((guild_id, user_id)) == display_name:
            return
        async with self.db.transaction() as uow:
            if await uow.members.set_display_name(guild_id, user_id, display_name):
                self._publish_after_commit(uow, NameChanged(guild_id, user_id, display_name))
            if await uow.members.clear_departed(guild_id, user_id):
                log.info("Member %s is back in server %s", user_id, guild_id)
            known = await uow.members.get(guild_id, user_id) is not None
        if known:
            self._saved(guild_id, user_id, display_name)
        else:  # not yet known: saved with the record when it is made (see ensure)
            self._unsaved_names[(guild_id, user_id)] = display_name

    def forget_name(self, guild_id: int, user_id: int) -> None:
        """The next interaction of this member goes to the database again (see above)."""
        self._names.pop((guild_id, user_id), None)
        self._unsaved_names.pop((guild_id, user_id), None)

    def vocabulary_changed(self, uow: UnitOfWork, guild_id: int) -> None:
        self._publish_after_commit(uow, VocabularyChanged(guild_id))

    def member_deleted(self, uow: UnitOfWork, guild_id: int, user_id: int) -> None:
        self._publish_after_commit(uow, MemberDeleted(guild_id, user_id))
        uow.after_commit(lambda: self.forget_name(guild_id, user_id))

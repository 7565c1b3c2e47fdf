"""The member directory: one place for who a member is in a server and what they hold.

Every service that meets a member goes through it: ensure the member exists (with the server's
real default discoverability), a member's tags grouped by category, changing tags and
discoverability. After each commit it tells its subscribers (in-memory indexes such as the tag
index or, later, the ranking index) what changed; nothing is published for a rolled-back write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Set

from bot.clock import Clock
from bot.domain.members import (
    DiscoverabilityChanged,
    MemberDeleted,
    MemberEvent,
    TagsChanged,
    VocabularyChanged,
)
from bot.domain.tags import CategoryTags, group_by_category
from bot.services.settings import SettingsService
from bot.storage.repositories.members import MemberRecord
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

Subscriber = Callable[[MemberEvent], None]


class MemberDirectory:
    def __init__(self, settings: SettingsService, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self._subscribers: list[Subscriber] = []

    # -- events ---------------------------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)

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
        return await uow.members.ensure(
            guild_id, user_id, discoverable=defaults.discoverable_by_default, now=self.clock.now()
        )

    async def set_discoverable(
        self, uow: UnitOfWork, guild_id: int, user_id: int, discoverable: bool
    ) -> MemberRecord:
        record = await self.ensure(uow, guild_id, user_id)
        if record.discoverable != discoverable:
            await uow.members.set_discoverable(
                guild_id, user_id, discoverable, now=self.clock.now()
            )
            self._publish_after_commit(uow, DiscoverabilityChanged(guild_id, user_id, discoverable))
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
            self._publish_after_commit(uow, TagsChanged(guild_id, user_id))

    def vocabulary_changed(self, uow: UnitOfWork, guild_id: int) -> None:
        self._publish_after_commit(uow, VocabularyChanged(guild_id))

    def member_deleted(self, uow: UnitOfWork, guild_id: int, user_id: int) -> None:
        self._publish_after_commit(uow, MemberDeleted(guild_id, user_id))

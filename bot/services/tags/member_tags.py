"""Members' own tags: add, remove, mine, and the picker."""

from __future__ import annotations

from collections.abc import Iterable

from bot.clock import Clock
from bot.domain.errors import NotFound
from bot.domain.tag_index import Completion
from bot.domain.tags import CategoryTags, check_member_limit, pages, safe_echo, tag_key
from bot.services.members import MemberDirectory
from bot.services.moderation_log import log_moderator_action
from bot.services.tags.index import TagIndexCache
from bot.services.tags.results import PickerOption, PickerSection, PickResult, TagChange
from bot.storage.database import Database


class MemberTagService:
    def __init__(
        self, db: Database, clock: Clock, directory: MemberDirectory, index: TagIndexCache
    ) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory
        self.indexes = index

    async def add_member_tag(self, guild_id: int, user_id: int, text: str) -> TagChange:
        """Add a tag by name, alias or near miss; unknown input raises UnknownTag with hints."""
        tag = (await self.indexes.get(guild_id)).resolve(text)
        async with self.db.transaction() as uow:
            if await uow.vocabulary.get_tag(guild_id, tag.id) is None:
                raise NotFound(f"The tag {tag.name} was just removed by a moderator.")
            held = await uow.member_tags.tag_ids(guild_id, user_id)
            if tag.id in held:
                return TagChange(tag, False, len(held))
            check_member_limit(len(held), 1)
            await self.directory.change_tags(uow, guild_id, user_id, add={tag.id})
        return TagChange(tag, True, len(held) + 1)

    async def remove_member_tag(self, guild_id: int, user_id: int, text: str) -> TagChange:
        index = await self.indexes.get(guild_id)
        async with self.db.transaction() as uow:
            held = await uow.member_tags.tag_ids(guild_id, user_id)
            tag = index.exact(text) or index.near_miss(text)
            if tag is None or tag.id not in held:
                raise NotFound(
                    f"You don't have a tag called “{safe_echo(text)}”. See yours with /tags mine."
                )
            await self.directory.change_tags(uow, guild_id, user_id, remove={tag.id})
        return TagChange(tag, True, len(held) - 1)

    async def picker_posted(self, guild_id: int, channel_id: int, *, actor_id: int) -> None:
        """A moderator posted the public picker (the cog sends it): remembered for /setup
        show's checklist, and one line in the log."""
        async with self.db.transaction() as uow:
            await uow.vocabulary.picker_posted(guild_id, channel_id, at=self.clock.now())
            await log_moderator_action(
                uow,
                guild_id,
                actor_id,
                f"posted the tag picker in <#{channel_id}>.",
                now=self.clock.now(),
            )

    async def picker_channel(self, guild_id: int) -> int | None:
        """Where the public picker was last posted (None: never)."""
        async with self.db.read() as uow:
            return await uow.vocabulary.picker_channel(guild_id)

    async def member_tags(self, guild_id: int, user_id: int) -> list[CategoryTags]:
        """My tags, grouped by category in the server's order."""
        async with self.db.read() as uow:
            return await self.directory.grouped_tags(uow, guild_id, user_id)

    async def complete_mine(
        self, guild_id: int, user_id: int, text: str, limit: int = 25
    ) -> list[Completion]:
        """Autocomplete over the member's own tags (for /tags remove)."""
        index = await self.indexes.get(guild_id)
        async with self.db.read() as uow:
            mine = await uow.member_tags.tag_ids(guild_id, user_id)
        return index.complete(text, limit, only=mine)

    async def picker(self, guild_id: int, user_id: int | None = None) -> list[PickerSection]:
        """The select menus for the picker: one per category (paged by 25), mine pre-selected."""
        index = await self.indexes.get(guild_id)
        held: set[int] = set()
        if user_id is not None:
            async with self.db.read() as uow:
                held = await uow.member_tags.tag_ids(guild_id, user_id)
        sections: list[PickerSection] = []
        for category in sorted(index.categories, key=lambda c: (c.position, c.id)):
            chunks = pages(index.in_category(category.id))
            if not chunks[0]:
                continue
            for number, chunk in enumerate(chunks, start=1):
                options = tuple(PickerOption(t.id, t.name, t.id in held) for t in chunk)
                sections.append(
                    PickerSection(category.id, category.name, number, len(chunks), options)
                )
        return sections

    async def set_member_tags(
        self, guild_id: int, user_id: int, *, offered: Iterable[int], chosen: Iterable[int]
    ) -> PickResult:
        """The picker's write: of the ``offered`` tags, hold exactly ``chosen``; one transaction.

        Tags outside ``offered`` are untouched. If the result would exceed the member limit
        nothing changes. Pass ``offered == chosen`` to only add (the public picker).
        """
        offered_ids = set(offered)
        chosen_ids = set(chosen) & offered_ids
        async with self.db.transaction() as uow:
            valid = {t.id: t for t in await uow.vocabulary.tags_by_ids(guild_id, offered_ids)}
            held = await uow.member_tags.tag_ids(guild_id, user_id)
            to_add = {i for i in chosen_ids if i in valid} - held
            to_remove = (set(valid) - chosen_ids) & held
            check_member_limit(len(held) - len(to_remove), len(to_add))
            await self.directory.change_tags(uow, guild_id, user_id, add=to_add, remove=to_remove)
            grouped = await self.directory.grouped_tags(uow, guild_id, user_id)
        total = len(held) - len(to_remove) + len(to_add)
        return PickResult(
            added=tuple(sorted((valid[i] for i in to_add), key=lambda t: tag_key(t.name))),
            removed=tuple(sorted((valid[i] for i in to_remove), key=lambda t: tag_key(t.name))),
            total=total,
            mine=tuple(grouped),
            stale=tuple(sorted(chosen_ids - set(valid))),
        )

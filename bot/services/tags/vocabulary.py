"""The vocabulary moderators curate: tags, aliases, categories, presets, and its listing."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.clock import Clock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.tag_index import Completion, TagIndex
from bot.domain.tags import (
    DEFAULT_CATEGORIES,
    MAX_ALIASES_PER_TAG,
    Tag,
    TagPreset,
    clean_name,
    lookup_key,
    safe_echo,
    suppressed,
    tag_key,
)
from bot.services.members import MemberDirectory
from bot.services.moderation_log import log_moderator_action
from bot.services.tags import _steps
from bot.services.tags.index import TagIndexCache, load_index
from bot.services.tags.results import (
    CategoryListing,
    Merged,
    MergePreview,
    NewTag,
    NewTagCheck,
    PresetApplied,
    Renamed,
    TagCount,
    TagUsage,
)
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork
from config.tag_presets import available_tag_presets, load_tag_preset

log = logging.getLogger(__name__)


class VocabularyService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        directory: MemberDirectory,
        index: TagIndexCache,
        *,
        presets: Callable[[str], TagPreset] = load_tag_preset,
        preset_names: Callable[[], list[str]] = available_tag_presets,
    ) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory
        self.indexes = index
        self._load_preset = presets
        self._preset_names = preset_names

    # -- lookups --------------------------------------------------------------------------------

    async def index(self, guild_id: int) -> TagIndex:
        return await self.indexes.get(guild_id)

    async def complete(self, guild_id: int, text: str, limit: int = 25) -> list[Completion]:
        """Autocomplete over tag names and aliases."""
        return (await self.index(guild_id)).complete(text, limit)

    async def complete_categories(self, guild_id: int, text: str, limit: int = 25) -> list[str]:
        names = (await self.index(guild_id)).complete_categories(text, limit)
        if not names and not text:
            return list(DEFAULT_CATEGORIES)[:limit]
        return names

    def preset_names(self) -> list[str]:
        return self._preset_names()

    async def vocabulary(
        self, guild_id: int, category: str | None = None, *, exact_counts: bool = False
    ) -> list[CategoryListing]:
        """The vocabulary with member counts; counts below 3 are suppressed unless
        ``exact_counts`` (for moderators, who need to see which tags nobody uses)."""
        index = await self.index(guild_id)
        categories = sorted(index.categories, key=lambda c: (c.position, c.id))
        if category:
            found = index.category(category)
            if found is None:
                names = ", ".join(c.name for c in categories) or "none yet"
                raise NotFound(
                    f"There is no category “{safe_echo(category)}”. Categories: {names}."
                )
            categories = [found]
        async with self.db.read() as uow:
            counts = await uow.vocabulary.member_counts(guild_id)
        count = _exact if exact_counts else suppressed
        return [
            CategoryListing(
                c,
                tuple(TagCount(t, count(counts.get(t.id, 0))) for t in index.in_category(c.id)),
            )
            for c in categories
        ]

    async def tag_usage(self, guild_id: int, text: str) -> TagUsage:
        """The tag named by ``text`` and how many members hold it (ask before removing)."""
        tag = (await self.index(guild_id)).resolve(text, near_misses=False)
        async with self.db.read() as uow:
            current = await uow.vocabulary.get_tag(guild_id, tag.id)
            if current is None:
                raise NotFound(f"The tag {tag.name} was just removed.")
            holders = await uow.vocabulary.holders(tag.id)
            aliases = tuple(await uow.vocabulary.aliases_of(tag.id))
        return TagUsage(current, holders, aliases)

    # -- changes (moderators) -------------------------------------------------------------------

    async def _changed(self, uow: UnitOfWork, guild_id: int, actor_id: int, text: str) -> None:
        """Every vocabulary change: logged for moderators and announced to the indexes."""
        await log_moderator_action(uow, guild_id, actor_id, text, now=self.clock.now())
        self.directory.vocabulary_changed(uow, guild_id)

    async def check_new_tag(self, guild_id: int, name: str, category: str | None) -> NewTagCheck:
        """Before adding: the cleaned names, and existing tags the new one may duplicate (the
        moderator confirms before a near-duplicate is added)."""
        clean = clean_name(name)
        clean_category = clean_name(category, label="Category names") if category else None
        similar = (await self.index(guild_id)).near_duplicates(clean)
        return NewTagCheck(clean, clean_category, tuple(similar))

    async def merge_preview(self, guild_id: int, source: str, target: str) -> MergePreview:
        """The two tags a merge names, and how many members hold the one going away."""
        index = await self.index(guild_id)
        from_tag = index.resolve(source, near_misses=False)
        into = index.resolve(target, near_misses=False)
        if from_tag.id == into.id:
            raise InvalidInput(f"{from_tag.name} and {into.name} are the same tag.")
        async with self.db.read() as uow:
            holders = await uow.vocabulary.holders(from_tag.id)
        return MergePreview(from_tag, into, holders)

    async def add_tag(
        self, guild_id: int, name: str, *, category: str | None = None, actor_id: int
    ) -> NewTag:
        clean = clean_name(name)
        async with self.db.transaction() as uow:
            await _steps.claim_key(uow.vocabulary, guild_id, clean)
            tag, created = await _steps.new_tag(
                uow.vocabulary, guild_id, clean, category, actor_id=actor_id, clock=self.clock
            )
            await self._changed(
                uow, guild_id, actor_id, f"added the tag **{clean}** ({tag.category})."
            )
        log.info("Guild %s: tag %s added by %s", guild_id, tag.id, actor_id)
        return NewTag(tag, created)

    async def remove_tag(
        self, guild_id: int, tag_id: int, *, actor_id: int, confirmed: bool = False
    ) -> TagUsage:
        """Remove a tag (members lose it). Unless ``confirmed``, refuses while anyone holds it."""
        async with self.db.transaction() as uow:
            tag = await uow.vocabulary.get_tag(guild_id, tag_id)
            if tag is None:
                raise NotFound("That tag no longer exists; nothing was changed.")
            usage = TagUsage(tag, await uow.vocabulary.holders(tag_id), ())
            if usage.held and not confirmed:
                raise Conflict(
                    f"Members hold **{tag.name}** ({usage.holders_label}). "
                    "Confirm to remove it from everyone."
                )
            await uow.vocabulary.delete_tag(tag_id)
            await self._changed(uow, guild_id, actor_id, f"removed the tag **{tag.name}**.")
        log.info("Guild %s: tag %s removed by %s", guild_id, tag_id, actor_id)
        return usage

    async def rename_tag(
        self,
        guild_id: int,
        text: str,
        new_name: str,
        *,
        actor_id: int,
        keep_old_as_alias: bool = True,
    ) -> Renamed:
        """Rename; members keep the tag. The old name keeps working as an alias by default."""
        clean = clean_name(new_name)
        async with self.db.transaction() as uow:
            vocabulary = uow.vocabulary
            tag = (await load_index(uow, guild_id)).resolve(text, near_misses=False)
            new_key, old_key = tag_key(clean), tag_key(tag.name)
            owner = await vocabulary.key_owner(guild_id, new_key)
            if owner is not None and owner != ("tag", tag.id):
                if owner != ("alias", tag.id):
                    raise Conflict(f"The name {clean} is already used by another tag or alias.")
                await vocabulary.delete_alias(guild_id, new_key)  # the alias becomes the name
            await vocabulary.rename_tag(tag.id, clean, new_key)
            kept = False
            if keep_old_as_alias and old_key != new_key:
                kept = await vocabulary.add_alias(
                    guild_id, tag.id, tag.name, old_key, now=self.clock.now()
                )
            await self._changed(uow, guild_id, actor_id, f"renamed **{tag.name}** to **{clean}**.")
        log.info("Guild %s: tag %s renamed by %s", guild_id, tag.id, actor_id)
        return Renamed(Tag(tag.id, clean, tag.category_id, tag.category), tag.name, kept)

    async def add_alias(self, guild_id: int, text: str, alias: str, *, actor_id: int) -> Tag:
        """Make ``alias`` another name for the tag named by ``text``."""
        clean = clean_name(alias, label="Aliases")
        async with self.db.transaction() as uow:
            tag = (await load_index(uow, guild_id)).resolve(text, near_misses=False)
            await _steps.claim_key(uow.vocabulary, guild_id, clean)
            if await uow.vocabulary.count_aliases(tag.id) >= MAX_ALIASES_PER_TAG:
                raise Conflict(f"{tag.name} already has {MAX_ALIASES_PER_TAG} aliases.")
            await uow.vocabulary.add_alias(
                guild_id, tag.id, clean, tag_key(clean), now=self.clock.now()
            )
            await self._changed(uow, guild_id, actor_id, f"made “{clean}” find **{tag.name}**.")
        log.info("Guild %s: alias added to tag %s by %s", guild_id, tag.id, actor_id)
        return tag

    async def remove_alias(
        self, guild_id: int, alias: str, *, actor_id: int, tag: str | None = None
    ) -> Tag:
        """Remove an alias (of ``tag``, when given, as a check that it is the intended one)."""
        async with self.db.transaction() as uow:
            key = lookup_key(alias)
            owner = await uow.vocabulary.key_owner(guild_id, key)
            if owner is None or owner[0] != "alias":
                raise NotFound(f"There is no alias called “{safe_echo(alias)}”.")
            found = await uow.vocabulary.get_tag(guild_id, owner[1])
            assert found is not None  # an alias always belongs to a tag (foreign key)
            if tag is not None and lookup_key(tag) != tag_key(found.name):
                raise NotFound(f"“{safe_echo(alias)}” is an alias of {found.name}, not that tag.")
            await uow.vocabulary.delete_alias(guild_id, key)
            await self._changed(uow, guild_id, actor_id, f"removed an alias of **{found.name}**.")
        log.info("Guild %s: alias removed from tag %s by %s", guild_id, found.id, actor_id)
        return found

    async def merge_tags(self, guild_id: int, source: str, target: str, *, actor_id: int) -> Merged:
        """Fold ``source`` into ``target``: members, name and aliases move; no duplicates."""
        async with self.db.transaction() as uow:
            index = await load_index(uow, guild_id)
            from_tag = index.resolve(source, near_misses=False)
            into = index.resolve(target, near_misses=False)
            return await self._merge(uow, guild_id, from_tag, into, actor_id)

    async def merge_tag_ids(
        self, guild_id: int, source_id: int, target_id: int, *, actor_id: int
    ) -> Merged:
        """The confirmed merge (a button carries the ids): either tag may be gone meanwhile."""
        async with self.db.transaction() as uow:
            from_tag = await uow.vocabulary.get_tag(guild_id, source_id)
            into = await uow.vocabulary.get_tag(guild_id, target_id)
            if from_tag is None or into is None:
                raise NotFound("One of those tags no longer exists; nothing was changed.")
            return await self._merge(uow, guild_id, from_tag, into, actor_id)

    async def _merge(
        self, uow: UnitOfWork, guild_id: int, from_tag: Tag, into: Tag, actor_id: int
    ) -> Merged:
        if from_tag.id == into.id:
            raise InvalidInput(f"{from_tag.name} and {into.name} are the same tag.")
        moved = await uow.member_tags.merge(from_tag.id, into.id)
        aliases = await uow.vocabulary.move_aliases(from_tag.id, into.id)
        await uow.vocabulary.delete_tag(from_tag.id)
        await uow.vocabulary.add_alias(
            guild_id, into.id, from_tag.name, tag_key(from_tag.name), now=self.clock.now()
        )
        await self._changed(
            uow, guild_id, actor_id, f"merged **{from_tag.name}** into **{into.name}**."
        )
        log.info("Guild %s: tag %s merged into %s by %s", guild_id, from_tag.id, into.id, actor_id)
        return Merged(from_tag.name, into, moved, aliases)

    async def apply_preset(self, guild_id: int, name: str, *, actor_id: int) -> PresetApplied:
        """Add the preset's categories, tags and aliases that are missing. Twice = no change."""
        try:
            preset = self._load_preset(name)
        except LookupError:
            names = ", ".join(self.preset_names())
            raise InvalidInput(
                f"There is no preset called “{safe_echo(name)}”. Use one of: {names}."
            ) from None
        async with self.db.transaction() as uow:
            result = await _steps.apply_preset(uow.vocabulary, guild_id, preset, self.clock)
            if result.changed:
                await self._changed(uow, guild_id, actor_id, f"applied the **{name}** tag preset.")
        log.info("Guild %s: preset %s applied by %s: %s", guild_id, name, actor_id, result)
        return result


def _exact(count: int) -> int:
    return count

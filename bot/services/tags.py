"""Interest tags: the vocabulary moderators curate, members' tags, autocomplete, suggestions.

Autocomplete answers from a small per-server :class:`TagIndex` kept in memory and rebuilt after
any vocabulary write (a generation counter stops a slow read from caching a stale index).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.clock import Clock
from bot.domain.delivery import Delivery
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.settings import GuildDefaults
from bot.domain.tags import (
    DEFAULT_CATEGORIES,
    MAX_ALIASES_PER_TAG,
    MAX_CATEGORIES_PER_GUILD,
    MAX_PENDING_SUGGESTIONS_PER_MEMBER,
    Category,
    CategoryTags,
    Completion,
    Suggestion,
    SuggestionState,
    Tag,
    TagIndex,
    TagPreset,
    check_guild_limit,
    check_member_limit,
    clean_name,
    count_label,
    group_by_category,
    lookup_key,
    pages,
    safe_echo,
    suggestion_outcome_key,
    suggestion_outcome_text,
    suppressed,
    tag_key,
)
from bot.services.moderation_log import log_moderator_action
from bot.storage.database import Database
from bot.storage.repositories.members import MembersRepository
from bot.storage.repositories.outbox import OutboxRepository
from bot.storage.repositories.settings import GuildSettingsRepository
from bot.storage.repositories.tags import (
    MemberTagsRepository,
    TagSuggestionsRepository,
    TagVocabularyRepository,
)
from config.tag_presets import available_tag_presets, load_tag_preset

log = logging.getLogger(__name__)


# -- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagChange:
    tag: Tag
    changed: bool  # False when the member already had it (or already lacked it)
    total: int  # how many tags the member has now


@dataclass(frozen=True)
class TagUsage:
    """How many members hold a tag, suppressed below 3 (moderators see the label)."""

    tag: Tag
    holders: int
    aliases: tuple[str, ...]

    @property
    def held(self) -> bool:
        return self.holders > 0

    @property
    def holders_label(self) -> str:
        return count_label(self.holders)


@dataclass(frozen=True)
class NewTag:
    tag: Tag
    category_created: bool


@dataclass(frozen=True)
class Renamed:
    tag: Tag
    old_name: str
    kept_alias: bool


@dataclass(frozen=True)
class Merged:
    source: str
    target: Tag
    members_moved: int
    aliases_moved: int


@dataclass(frozen=True)
class PresetApplied:
    preset: str
    categories_added: int
    tags_added: int
    aliases_added: int
    skipped: tuple[str, ...]  # names already used by another tag or alias

    @property
    def changed(self) -> bool:
        return bool(self.categories_added or self.tags_added or self.aliases_added)


@dataclass(frozen=True)
class TagCount:
    tag: Tag
    members: int | None  # None when fewer than 3: never show the exact figure

    @property
    def label(self) -> str:
        return "fewer than 3" if self.members is None else str(self.members)


@dataclass(frozen=True)
class CategoryListing:
    category: Category
    tags: tuple[TagCount, ...]


@dataclass(frozen=True)
class PickerOption:
    tag_id: int
    name: str
    selected: bool


@dataclass(frozen=True)
class PickerSection:
    """One select menu: a category, or one page of a category with more than 25 tags."""

    category_id: int
    category: str
    page: int
    pages: int
    options: tuple[PickerOption, ...]

    @property
    def title(self) -> str:
        return self.category if self.pages == 1 else f"{self.category} ({self.page}/{self.pages})"


@dataclass(frozen=True)
class PickResult:
    added: tuple[Tag, ...]
    removed: tuple[Tag, ...]
    total: int
    mine: tuple[CategoryTags, ...]


@dataclass(frozen=True)
class SuggestionDecision:
    suggestion: Suggestion
    approved: bool
    tag: Tag | None
    as_alias: bool


class TagService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        presets: Callable[[str], TagPreset] = load_tag_preset,
        preset_names: Callable[[], list[str]] = available_tag_presets,
    ) -> None:
        self.db = db
        self.clock = clock
        self._load_preset = presets
        self._preset_names = preset_names
        self._indexes: dict[int, TagIndex] = {}
        self._generations: dict[int, int] = {}

    # -- the in-memory index --------------------------------------------------------------------

    async def index(self, guild_id: int) -> TagIndex:
        """The server's vocabulary for lookups; cached until the next vocabulary write."""
        cached = self._indexes.get(guild_id)
        if cached is not None:
            return cached
        generation = self._generations.get(guild_id, 0)
        async with self.db.read() as conn:
            built = await _load_index(conn, guild_id)
        if self._generations.get(guild_id, 0) == generation:
            self._indexes[guild_id] = built
        return built

    def invalidate(self, guild_id: int) -> None:
        self._generations[guild_id] = self._generations.get(guild_id, 0) + 1
        self._indexes.pop(guild_id, None)

    async def complete(self, guild_id: int, text: str, limit: int = 25) -> list[Completion]:
        """Autocomplete over tag names and aliases."""
        return (await self.index(guild_id)).complete(text, limit)

    async def complete_mine(
        self, guild_id: int, user_id: int, text: str, limit: int = 25
    ) -> list[Completion]:
        """Autocomplete over the member's own tags (for /tags remove)."""
        index = await self.index(guild_id)
        async with self.db.read() as conn:
            mine = await MemberTagsRepository(conn).tag_ids(guild_id, user_id)
        return index.complete(text, limit, only=mine)

    async def complete_categories(self, guild_id: int, text: str, limit: int = 25) -> list[str]:
        names = (await self.index(guild_id)).complete_categories(text, limit)
        if not names and not text:
            return list(DEFAULT_CATEGORIES)[:limit]
        return names

    def preset_names(self) -> list[str]:
        return self._preset_names()

    async def _log(self, conn: AsyncConnection, guild_id: int, actor_id: int, text: str) -> None:
        """Moderator actions go to the moderation log (if set) in the same transaction."""
        await log_moderator_action(conn, guild_id, actor_id, text, now=self.clock.now())

    # -- vocabulary (moderators) -----------------------------------------------------------------

    async def add_tag(
        self, guild_id: int, name: str, *, category: str | None = None, actor_id: int
    ) -> NewTag:
        clean = clean_name(name)
        async with self.db.transaction() as conn:
            vocabulary = TagVocabularyRepository(conn)
            await _ensure_default_categories(vocabulary, guild_id, self.clock)
            await _claim_key(vocabulary, guild_id, clean)
            check_guild_limit(await vocabulary.count_tags(guild_id), 1)
            chosen, created = await _category(vocabulary, guild_id, category, self.clock)
            tag_id = await vocabulary.add_tag(
                guild_id, chosen.id, clean, tag_key(clean), now=self.clock.now(), by=actor_id
            )
            await self._log(conn, guild_id, actor_id, f"added the tag **{clean}** ({chosen.name}).")
        self.invalidate(guild_id)
        log.info("Guild %s: tag %s added by %s", guild_id, tag_id, actor_id)
        return NewTag(Tag(tag_id, clean, chosen.id, chosen.name), created)

    async def tag_usage(self, guild_id: int, text: str) -> TagUsage:
        """The tag named by ``text`` and how many members hold it (ask before removing)."""
        tag = (await self.index(guild_id)).resolve(text, near_misses=False)
        async with self.db.read() as conn:
            vocabulary = TagVocabularyRepository(conn)
            current = await vocabulary.get_tag(guild_id, tag.id)
            if current is None:
                raise NotFound(f"The tag {tag.name} was just removed.")
            holders = await vocabulary.holders(tag.id)
            aliases = tuple(await vocabulary.aliases_of(tag.id))
        return TagUsage(current, holders, aliases)

    async def remove_tag(
        self, guild_id: int, tag_id: int, *, actor_id: int, confirmed: bool = False
    ) -> TagUsage:
        """Remove a tag (members lose it). Unless ``confirmed``, refuses while anyone holds it."""
        async with self.db.transaction() as conn:
            vocabulary = TagVocabularyRepository(conn)
            tag = await vocabulary.get_tag(guild_id, tag_id)
            if tag is None:
                raise NotFound("That tag no longer exists; nothing was changed.")
            usage = TagUsage(tag, await vocabulary.holders(tag_id), ())
            if usage.held and not confirmed:
                raise Conflict(
                    f"Members hold **{tag.name}** ({usage.holders_label}). "
                    "Confirm to remove it from everyone."
                )
            await vocabulary.delete_tag(tag_id)
            await self._log(conn, guild_id, actor_id, f"removed the tag **{tag.name}**.")
        self.invalidate(guild_id)
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
        async with self.db.transaction() as conn:
            vocabulary = TagVocabularyRepository(conn)
            tag = (await _load_index(conn, guild_id)).resolve(text, near_misses=False)
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
            await self._log(conn, guild_id, actor_id, f"renamed **{tag.name}** to **{clean}**.")
        self.invalidate(guild_id)
        log.info("Guild %s: tag %s renamed by %s", guild_id, tag.id, actor_id)
        return Renamed(Tag(tag.id, clean, tag.category_id, tag.category), tag.name, kept)

    async def add_alias(self, guild_id: int, text: str, alias: str, *, actor_id: int) -> Tag:
        """Make ``alias`` another name for the tag named by ``text``."""
        clean = clean_name(alias, label="Aliases")
        async with self.db.transaction() as conn:
            vocabulary = TagVocabularyRepository(conn)
            tag = (await _load_index(conn, guild_id)).resolve(text, near_misses=False)
            await _claim_key(vocabulary, guild_id, clean)
            if await vocabulary.count_aliases(tag.id) >= MAX_ALIASES_PER_TAG:
                raise Conflict(f"{tag.name} already has {MAX_ALIASES_PER_TAG} aliases.")
            await vocabulary.add_alias(
                guild_id, tag.id, clean, tag_key(clean), now=self.clock.now()
            )
            await self._log(conn, guild_id, actor_id, f"made “{clean}” find **{tag.name}**.")
        self.invalidate(guild_id)
        log.info("Guild %s: alias added to tag %s by %s", guild_id, tag.id, actor_id)
        return tag

    async def remove_alias(
        self, guild_id: int, alias: str, *, actor_id: int, tag: str | None = None
    ) -> Tag:
        """Remove an alias (of ``tag``, when given, as a check that it is the intended one)."""
        async with self.db.transaction() as conn:
            vocabulary = TagVocabularyRepository(conn)
            key = lookup_key(alias)
            owner = await vocabulary.key_owner(guild_id, key)
            if owner is None or owner[0] != "alias":
                raise NotFound(f"There is no alias called “{safe_echo(alias)}”.")
            found = await vocabulary.get_tag(guild_id, owner[1])
            if tag is not None and found is not None and lookup_key(tag) != tag_key(found.name):
                raise NotFound(f"“{safe_echo(alias)}” is an alias of {found.name}, not that tag.")
            await vocabulary.delete_alias(guild_id, key)
            assert found is not None
            await self._log(conn, guild_id, actor_id, f"removed an alias of **{found.name}**.")
        assert found is not None
        self.invalidate(guild_id)
        log.info("Guild %s: alias removed from tag %s by %s", guild_id, found.id, actor_id)
        return found

    async def merge_tags(self, guild_id: int, source: str, target: str, *, actor_id: int) -> Merged:
        """Fold ``source`` into ``target``: members, name and aliases move; no duplicates."""
        async with self.db.transaction() as conn:
            vocabulary = TagVocabularyRepository(conn)
            index = await _load_index(conn, guild_id)
            from_tag = index.resolve(source, near_misses=False)
            into = index.resolve(target, near_misses=False)
            if from_tag.id == into.id:
                raise InvalidInput(f"{from_tag.name} and {into.name} are the same tag.")
            moved = await MemberTagsRepository(conn).merge(from_tag.id, into.id)
            aliases = await vocabulary.move_aliases(from_tag.id, into.id)
            await vocabulary.delete_tag(from_tag.id)
            await vocabulary.add_alias(
                guild_id, into.id, from_tag.name, tag_key(from_tag.name), now=self.clock.now()
            )
            await self._log(
                conn, guild_id, actor_id, f"merged **{from_tag.name}** into **{into.name}**."
            )
        self.invalidate(guild_id)
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
        async with self.db.transaction() as conn:
            result = await _apply_preset(
                TagVocabularyRepository(conn), guild_id, preset, self.clock
            )
            if result.changed:
                await self._log(conn, guild_id, actor_id, f"applied the **{name}** tag preset.")
        if result.changed:
            self.invalidate(guild_id)
        log.info("Guild %s: preset %s applied by %s: %s", guild_id, name, actor_id, result)
        return result

    # -- members' own tags ----------------------------------------------------------------------

    async def add_member_tag(self, guild_id: int, user_id: int, text: str) -> TagChange:
        """Add a tag by name, alias or near miss; unknown input raises UnknownTag with hints."""
        tag = (await self.index(guild_id)).resolve(text)
        async with self.db.transaction() as conn:
            if await TagVocabularyRepository(conn).get_tag(guild_id, tag.id) is None:
                raise NotFound(f"The tag {tag.name} was just removed by a moderator.")
            await _ensure_member(conn, guild_id, user_id, self.clock)
            mine = MemberTagsRepository(conn)
            held = await mine.tag_ids(guild_id, user_id)
            if tag.id in held:
                return TagChange(tag, False, len(held))
            check_member_limit(len(held), 1)
            await mine.add(guild_id, user_id, {tag.id}, now=self.clock.now())
        return TagChange(tag, True, len(held) + 1)

    async def remove_member_tag(self, guild_id: int, user_id: int, text: str) -> TagChange:
        index = await self.index(guild_id)
        async with self.db.transaction() as conn:
            mine = MemberTagsRepository(conn)
            held = await mine.tag_ids(guild_id, user_id)
            tag = index.exact(text) or index.near_miss(text)
            if tag is None or tag.id not in held:
                raise NotFound(
                    f"You don't have a tag called “{safe_echo(text)}”. See yours with /tags mine."
                )
            await mine.remove(guild_id, user_id, {tag.id})
        return TagChange(tag, True, len(held) - 1)

    async def member_tags(self, guild_id: int, user_id: int) -> list[CategoryTags]:
        """My tags, grouped by category in the server's order."""
        async with self.db.read() as conn:
            return await _grouped_member_tags(conn, guild_id, user_id)

    async def picker(self, guild_id: int, user_id: int | None = None) -> list[PickerSection]:
        """The select menus for the picker: one per category (paged by 25), mine pre-selected."""
        index = await self.index(guild_id)
        held: set[int] = set()
        if user_id is not None:
            async with self.db.read() as conn:
                held = await MemberTagsRepository(conn).tag_ids(guild_id, user_id)
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
        async with self.db.transaction() as conn:
            valid = {
                t.id: t
                for t in await TagVocabularyRepository(conn).tags_by_ids(guild_id, offered_ids)
            }
            await _ensure_member(conn, guild_id, user_id, self.clock)
            mine = MemberTagsRepository(conn)
            held = await mine.tag_ids(guild_id, user_id)
            to_add = {i for i in chosen_ids if i in valid} - held
            to_remove = (set(valid) - chosen_ids) & held
            check_member_limit(len(held) - len(to_remove), len(to_add))
            await mine.remove(guild_id, user_id, to_remove)
            await mine.add(guild_id, user_id, to_add, now=self.clock.now())
            grouped = await _grouped_member_tags(conn, guild_id, user_id)
        total = len(held) - len(to_remove) + len(to_add)
        return PickResult(
            added=tuple(sorted((valid[i] for i in to_add), key=lambda t: tag_key(t.name))),
            removed=tuple(sorted((valid[i] for i in to_remove), key=lambda t: tag_key(t.name))),
            total=total,
            mine=tuple(grouped),
        )

    async def vocabulary(self, guild_id: int, category: str | None = None) -> list[CategoryListing]:
        """The vocabulary with member counts; counts below 3 are suppressed."""
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
        async with self.db.read() as conn:
            counts = await TagVocabularyRepository(conn).member_counts(guild_id)
        return [
            CategoryListing(
                c,
                tuple(
                    TagCount(t, suppressed(counts.get(t.id, 0))) for t in index.in_category(c.id)
                ),
            )
            for c in categories
        ]

    # -- suggestions ----------------------------------------------------------------------------

    async def suggest(
        self, guild_id: int, user_id: int, name: str, category: str | None = None
    ) -> Suggestion:
        clean = clean_name(name)
        key = tag_key(clean)
        index = await self.index(guild_id)
        if index.exact(clean) is not None:
            tag = index.exact(clean)
            assert tag is not None
            raise Conflict(f"**{tag.name}** already exists: add it with /tags add.")
        chosen = index.category(category) if category else None
        if category and chosen is None:
            raise NotFound(
                f"There is no category “{safe_echo(category)}”. Leave it empty if unsure."
            )
        async with self.db.transaction() as conn:
            queue = TagSuggestionsRepository(conn)
            if await queue.pending_with_key(guild_id, key) is not None:
                raise Conflict(f"“{clean}” has already been suggested and is waiting for review.")
            if (
                await queue.pending_count_by(guild_id, user_id)
                >= MAX_PENDING_SUGGESTIONS_PER_MEMBER
            ):
                raise Conflict(
                    f"You have {MAX_PENDING_SUGGESTIONS_PER_MEMBER} suggestions waiting for "
                    "review; please wait for the moderators before suggesting more."
                )
            now = self.clock.now()
            suggestion_id = await queue.add(
                guild_id, user_id, clean, key, chosen.id if chosen else None, now=now
            )
        return Suggestion(
            suggestion_id,
            guild_id,
            user_id,
            clean,
            chosen.id if chosen else None,
            chosen.name if chosen else None,
            SuggestionState.PENDING,
            now,
        )

    async def pending_suggestions(self, guild_id: int, limit: int = 10) -> list[Suggestion]:
        async with self.db.read() as conn:
            return await TagSuggestionsRepository(conn).pending(guild_id, limit=limit)

    async def approve_suggestion(
        self,
        guild_id: int,
        suggestion_id: int,
        *,
        actor_id: int,
        guild_name: str,
        category: str | None = None,
        alias_of: str | None = None,
    ) -> SuggestionDecision:
        """Create the tag (or, with ``alias_of``, an alias) and DM the suggester, atomically.

        ``guild_name`` is the server's current name: the DM says which community it is about.
        """
        async with self.db.transaction() as conn:
            suggestion = await _pending(conn, guild_id, suggestion_id)
            vocabulary = TagVocabularyRepository(conn)
            if alias_of:
                tag = (await _load_index(conn, guild_id)).resolve(alias_of, near_misses=False)
                if await vocabulary.key_owner(guild_id, tag_key(suggestion.name)) is None:
                    await vocabulary.add_alias(
                        guild_id,
                        tag.id,
                        suggestion.name,
                        tag_key(suggestion.name),
                        now=self.clock.now(),
                    )
            else:
                tag = await _tag_for_suggestion(
                    vocabulary, suggestion, category, actor_id, self.clock
                )
            decision = SuggestionDecision(suggestion, True, tag, bool(alias_of))
            await _decide(conn, decision, actor_id, guild_name, self.clock)
        self.invalidate(guild_id)
        return decision

    async def reject_suggestion(
        self, guild_id: int, suggestion_id: int, *, actor_id: int, guild_name: str
    ) -> SuggestionDecision:
        async with self.db.transaction() as conn:
            suggestion = await _pending(conn, guild_id, suggestion_id)
            decision = SuggestionDecision(suggestion, False, None, False)
            await _decide(conn, decision, actor_id, guild_name, self.clock)
        return decision


# -- helpers (one transaction's worth of steps each) ----------------------------------------------


async def _load_index(conn: AsyncConnection, guild_id: int) -> TagIndex:
    vocabulary = TagVocabularyRepository(conn)
    return TagIndex(
        categories=await vocabulary.categories(guild_id),
        tags=await vocabulary.tags(guild_id),
        aliases=await vocabulary.aliases(guild_id),
    )


async def _ensure_member(conn: AsyncConnection, guild_id: int, user_id: int, clock: Clock) -> None:
    defaults = (await GuildSettingsRepository(conn).get(guild_id, GuildDefaults())).defaults
    await MembersRepository(conn).ensure(
        guild_id, user_id, discoverable=defaults.discoverable_by_default, now=clock.now()
    )


async def _grouped_member_tags(
    conn: AsyncConnection, guild_id: int, user_id: int
) -> list[CategoryTags]:
    vocabulary = TagVocabularyRepository(conn)
    held = await MemberTagsRepository(conn).tag_ids(guild_id, user_id)
    tags = await vocabulary.tags_by_ids(guild_id, held)
    return group_by_category(tags, await vocabulary.categories(guild_id))


async def _ensure_default_categories(
    vocabulary: TagVocabularyRepository, guild_id: int, clock: Clock
) -> list[Category]:
    existing = await vocabulary.categories(guild_id)
    if not existing:
        for name in DEFAULT_CATEGORIES:
            await vocabulary.add_category(guild_id, name, tag_key(name), now=clock.now())
        existing = await vocabulary.categories(guild_id)
    return existing


async def _category(
    vocabulary: TagVocabularyRepository, guild_id: int, text: str | None, clock: Clock
) -> tuple[Category, bool]:
    """The named category (created if new and valid), or the first one; and whether created."""
    categories = await vocabulary.categories(guild_id)
    if not text:
        return categories[0], False
    name = clean_name(text, label="Category names")
    found = next((c for c in categories if tag_key(c.name) == tag_key(name)), None)
    if found is not None:
        return found, False
    if len(categories) >= MAX_CATEGORIES_PER_GUILD:
        raise Conflict(
            f"A server can have at most {MAX_CATEGORIES_PER_GUILD} categories; "
            f"choose one of: {', '.join(c.name for c in categories)}."
        )
    category_id = await vocabulary.add_category(guild_id, name, tag_key(name), now=clock.now())
    return Category(category_id, name, len(categories)), True


async def _claim_key(vocabulary: TagVocabularyRepository, guild_id: int, name: str) -> None:
    owner = await vocabulary.key_owner(guild_id, tag_key(name))
    if owner is None:
        return
    kind, tag_id = owner
    tag = await vocabulary.get_tag(guild_id, tag_id)
    label = tag.name if tag else "another tag"
    if kind == "tag":
        raise Conflict(f"There is already a tag called **{label}**.")
    raise Conflict(f"“{name}” is already an alias of **{label}**.")


async def _apply_preset(
    vocabulary: TagVocabularyRepository, guild_id: int, preset: TagPreset, clock: Clock
) -> PresetApplied:
    before = len(await vocabulary.categories(guild_id))
    await _ensure_default_categories(vocabulary, guild_id, clock)
    new_tags = [
        tag
        for category in preset.categories
        for tag in category.tags
        if await vocabulary.key_owner(guild_id, tag_key(tag.name)) is None
    ]
    check_guild_limit(await vocabulary.count_tags(guild_id), len(new_tags))
    tags_added = aliases_added = 0
    skipped: list[str] = []
    for preset_category in preset.categories:
        category, _ = await _category(vocabulary, guild_id, preset_category.name, clock)
        for item in preset_category.tags:
            owner = await vocabulary.key_owner(guild_id, tag_key(item.name))
            if owner is None:
                tag_id = await vocabulary.add_tag(
                    guild_id, category.id, item.name, tag_key(item.name), now=clock.now(), by=None
                )
                tags_added += 1
            elif owner[0] == "tag":
                tag_id = owner[1]
            else:
                skipped.append(item.name)
                continue
            for alias in item.aliases:
                alias_owner = await vocabulary.key_owner(guild_id, tag_key(alias))
                if alias_owner is None:
                    await vocabulary.add_alias(
                        guild_id, tag_id, alias, tag_key(alias), now=clock.now()
                    )
                    aliases_added += 1
                elif alias_owner[1] != tag_id:
                    skipped.append(alias)
    return PresetApplied(
        preset=preset.name,
        categories_added=len(await vocabulary.categories(guild_id)) - before,
        tags_added=tags_added,
        aliases_added=aliases_added,
        skipped=tuple(skipped),
    )


async def _pending(conn: AsyncConnection, guild_id: int, suggestion_id: int) -> Suggestion:
    suggestion = await TagSuggestionsRepository(conn).get(guild_id, suggestion_id)
    if suggestion is None:
        raise NotFound("That suggestion no longer exists.")
    if suggestion.state is not SuggestionState.PENDING:
        raise Conflict(f"The suggestion “{suggestion.name}” was already {suggestion.state.value}.")
    return suggestion


async def _tag_for_suggestion(
    vocabulary: TagVocabularyRepository,
    suggestion: Suggestion,
    category: str | None,
    actor_id: int,
    clock: Clock,
) -> Tag:
    """The tag an approved suggestion becomes: an existing one with that name, or a new one."""
    guild_id = suggestion.guild_id
    owner = await vocabulary.key_owner(guild_id, tag_key(suggestion.name))
    if owner is not None:
        existing = await vocabulary.get_tag(guild_id, owner[1])
        assert existing is not None
        return existing
    await _ensure_default_categories(vocabulary, guild_id, clock)
    check_guild_limit(await vocabulary.count_tags(guild_id), 1)
    chosen, _ = await _category(vocabulary, guild_id, category or suggestion.category, clock)
    tag_id = await vocabulary.add_tag(
        guild_id, chosen.id, suggestion.name, tag_key(suggestion.name), now=clock.now(), by=actor_id
    )
    return Tag(tag_id, suggestion.name, chosen.id, chosen.name)


async def _decide(
    conn: AsyncConnection,
    decision: SuggestionDecision,
    actor_id: int,
    guild_name: str,
    clock: Clock,
) -> None:
    suggestion = decision.suggestion
    state = SuggestionState.APPROVED if decision.approved else SuggestionState.REJECTED
    tag_id = decision.tag.id if decision.tag else None
    decided = await TagSuggestionsRepository(conn).decide(
        suggestion.id, state, by=actor_id, now=clock.now(), tag_id=tag_id
    )
    if not decided:
        raise Conflict(f"Another moderator already decided on “{suggestion.name}”.")
    verdict = "approved" if decision.approved else "rejected"
    await log_moderator_action(
        conn,
        suggestion.guild_id,
        actor_id,
        f"{verdict} the tag suggestion “{suggestion.name}”.",
        now=clock.now(),
    )
    text = suggestion_outcome_text(
        suggestion.name,
        guild_name=guild_name,
        approved=decision.approved,
        as_alias_of=decision.tag.name if decision.as_alias and decision.tag else None,
    )
    await OutboxRepository(conn).enqueue(
        Delivery.dm(
            key=suggestion_outcome_key(suggestion.id),
            user_id=suggestion.user_id,
            message={"content": text},
            guild_id=suggestion.guild_id,
            subject_user_id=suggestion.user_id,
        ),
        now=clock.now(),
    )

"""Steps that several tag use cases share, each inside the caller's unit of work."""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.errors import Conflict
from bot.domain.tags import (
    DEFAULT_CATEGORIES,
    MAX_CATEGORIES_PER_GUILD,
    Category,
    Tag,
    TagPreset,
    check_guild_limit,
    clean_name,
    tag_key,
)
from bot.services.tags.results import PresetApplied
from bot.storage.repositories.tags import TagVocabularyRepository


async def ensure_default_categories(
    vocabulary: TagVocabularyRepository, guild_id: int, clock: Clock
) -> list[Category]:
    existing = await vocabulary.categories(guild_id)
    if not existing:
        for name in DEFAULT_CATEGORIES:
            await vocabulary.add_category(guild_id, name, tag_key(name), now=clock.now())
        existing = await vocabulary.categories(guild_id)
    return existing


async def category(
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


async def claim_key(vocabulary: TagVocabularyRepository, guild_id: int, name: str) -> None:
    """Refuse ``name`` if a tag or an alias already answers to it."""
    owner = await vocabulary.key_owner(guild_id, tag_key(name))
    if owner is None:
        return
    kind, tag_id = owner
    tag = await vocabulary.get_tag(guild_id, tag_id)
    label = tag.name if tag else "another tag"
    if kind == "tag":
        raise Conflict(f"There is already a tag called **{label}**.")
    raise Conflict(f"“{name}” is already an alias of **{label}**.")


async def new_tag(
    vocabulary: TagVocabularyRepository,
    guild_id: int,
    name: str,
    category_name: str | None,
    *,
    actor_id: int | None,
    clock: Clock,
) -> tuple[Tag, bool]:
    """Create the tag ``name`` (already cleaned and claimed); and whether its category is new."""
    await ensure_default_categories(vocabulary, guild_id, clock)
    check_guild_limit(await vocabulary.count_tags(guild_id), 1)
    chosen, created = await category(vocabulary, guild_id, category_name, clock)
    tag_id = await vocabulary.add_tag(
        guild_id, chosen.id, name, tag_key(name), now=clock.now(), by=actor_id
    )
    return Tag(tag_id, name, chosen.id, chosen.name), created


async def apply_preset(
    vocabulary: TagVocabularyRepository, guild_id: int, preset: TagPreset, clock: Clock
) -> PresetApplied:
    """Add the preset's missing categories, tags and aliases; names used elsewhere are skipped."""
    before = len(await vocabulary.categories(guild_id))
    await ensure_default_categories(vocabulary, guild_id, clock)
    new_tags = [
        tag
        for preset_category in preset.categories
        for tag in preset_category.tags
        if await vocabulary.key_owner(guild_id, tag_key(tag.name)) is None
    ]
    check_guild_limit(await vocabulary.count_tags(guild_id), len(new_tags))
    tags_added = aliases_added = 0
    skipped: list[str] = []
    for preset_category in preset.categories:
        chosen, _ = await category(vocabulary, guild_id, preset_category.name, clock)
        for item in preset_category.tags:
            owner = await vocabulary.key_owner(guild_id, tag_key(item.name))
            if owner is None:
                tag_id = await vocabulary.add_tag(
                    guild_id, chosen.id, item.name, tag_key(item.name), now=clock.now(), by=None
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

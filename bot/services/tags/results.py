"""What the tag services return: plain, frozen results for the cogs to render."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.tags import Category, CategoryTags, Suggestion, Tag, count_label


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
class NewTagCheck:
    """A tag about to be added: its cleaned name and category, and tags it may duplicate."""

    name: str
    category: str | None
    similar: tuple[str, ...]


@dataclass(frozen=True)
class MergePreview:
    """What ``/setup tags merge`` is about to do, for the moderator to confirm."""

    source: Tag
    target: Tag
    holders: int

    @property
    def holders_label(self) -> str:
        return count_label(self.holders)


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
    # chosen ids that are no longer tags: the menu was posted before a vocabulary change
    stale: tuple[int, ...] = ()


@dataclass(frozen=True)
class SuggestionDecision:
    suggestion: Suggestion
    approved: bool
    tag: Tag | None
    as_alias: bool

"""Interest tags: names, keys, limits, presets and suggestions (the lookup index: tag_index).

Tag, alias and category names share one rule: after Unicode NFKC normalisation, typographic
quotes and dashes folded, invisible characters dropped and whitespace collapsed (the character
tables are :mod:`bot.domain.text`'s, shared with free text), a name is 2–40
characters drawn only from letters, digits, spaces and ``& - / + ' .``, and starts with a letter
or digit (so it can never render as a Markdown list, quote or heading). Uniqueness is
case-insensitive through :func:`tag_key`. Nothing outside that allow-list is ever stored.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.errors import Conflict, InvalidInput
from bot.domain.text import describe, is_blank, one_line, safe_echo

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "Clinical interest",
    "Practice setting",
    "Career stage",
    "Role",
    "Region",
)
NAME_MIN = 2
NAME_MAX = 40
MAX_TAGS_PER_MEMBER = 25
MAX_TAGS_PER_GUILD = 500
MAX_CATEGORIES_PER_GUILD = 10
MAX_ALIASES_PER_TAG = 10
MAX_PENDING_SUGGESTIONS_PER_MEMBER = 5
SMALL_COUNT = 3  # counts below this are shown as "fewer than 3"
PICKER_PAGE_SIZE = 25  # Discord's limit on options in one select menu

ALLOWED_PUNCTUATION = "&-/+'."
ALLOWED_DESCRIPTION = "letters, digits, spaces and & - / + ' ."
_LETTER_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo"})
# Phone keyboards type these; fold them to the allowed ASCII forms instead of refusing.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2044": "/",
        "\u2215": "/",
    }
)
_INPUT_CAP = 1_000  # enough to explain any problem; longer input is refused anyway


def is_allowed_char(char: str) -> bool:
    """True for exactly the characters a stored tag, alias or category name may contain."""
    if char == " " or char in ALLOWED_PUNCTUATION:
        return True
    if is_blank(char):  # letters that render as nothing make "blank" names
        return False
    category = unicodedata.category(char)
    return category in _LETTER_CATEGORIES or category == "Nd"


def _is_alnum(char: str) -> bool:
    return char not in (" ", *ALLOWED_PUNCTUATION) and is_allowed_char(char)


def _normalise(text: str) -> str:
    """NFKC, folded punctuation, invisible characters dropped, whitespace collapsed."""
    return one_line(unicodedata.normalize("NFKC", text[:_INPUT_CAP]).translate(_FOLD))


def clean_name(text: str, *, label: str = "Tag names") -> str:
    """The stored form of a tag, alias or category name, or :class:`InvalidInput` saying why."""
    if len(text) > _INPUT_CAP:
        raise InvalidInput(f"{label} must be {NAME_MIN}–{NAME_MAX} characters long.")
    name = _normalise(text)
    bad: list[str] = []
    for char in name:
        if not is_allowed_char(char) and char not in bad:
            bad.append(char)
    if bad:
        shown = ", ".join(describe(c) for c in bad[:5]) + (" and more" if len(bad) > 5 else "")
        raise InvalidInput(f"{label} can only use {ALLOWED_DESCRIPTION} Remove {shown}.")
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise InvalidInput(
            f"{label} must be {NAME_MIN}–{NAME_MAX} characters long (that one has {len(name)})."
        )
    if not _is_alnum(name[0]):
        raise InvalidInput(f"{label} must start with a letter or a digit.")
    return name


def tag_key(name: str) -> str:
    """The case-insensitive identity of a cleaned name: two names with one key are one tag."""
    folded = unicodedata.normalize("NFKC", name.casefold())
    return "".join(c for c in folded if is_allowed_char(c))


_WORD_SEPARATORS = " -/.'"  # "&" and "+" say something ("R&D"), so they stay


def spelling_key(key: str) -> str:
    """A :func:`tag_key` without word separators: "Dry needling" and "dry-needling" are one
    suggestion, however each member spaced or hyphenated it."""
    return "".join(c for c in key if c not in _WORD_SEPARATORS)


def lookup_key(text: str) -> str:
    """A lenient key for what a member typed (never stored): unknown characters just don't match."""
    return tag_key(_normalise(text[:200]))


def count_label(count: int) -> str:
    """Small counts are suppressed so nobody can single a member out."""
    return "fewer than 3" if count < SMALL_COUNT else str(count)


def suppressed(count: int) -> int | None:
    return None if count < SMALL_COUNT else count


# -- the vocabulary -------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    id: int
    name: str
    position: int


@dataclass(frozen=True)
class Tag:
    id: int
    name: str
    category_id: int
    category: str


@dataclass(frozen=True)
class Alias:
    id: int
    tag_id: int
    name: str


# -- rules that need more than one name -------------------------------------------------------


def check_member_limit(current: int, adding: int) -> None:
    total = current + adding
    if total > MAX_TAGS_PER_MEMBER:
        raise Conflict(
            f"You can have at most {MAX_TAGS_PER_MEMBER} tags; that would make {total}. "
            "Remove some first with /tags remove or /tags pick."
        )


def check_guild_limit(current: int, adding: int) -> None:
    total = current + adding
    if total > MAX_TAGS_PER_GUILD:
        raise Conflict(
            f"A server can have at most {MAX_TAGS_PER_GUILD} tags; that would make {total}. "
            "Remove or merge some first."
        )


def pages(items: Sequence[Any], size: int = PICKER_PAGE_SIZE) -> list[list[Any]]:
    """``items`` in pages of at most ``size`` (Discord's select menu limit)."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]


# -- presets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PresetTag:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PresetCategory:
    name: str
    tags: tuple[PresetTag, ...] = ()


@dataclass(frozen=True)
class TagPreset:
    """A vocabulary shipped as data (``config/presets/tags/<name>.json``), already validated."""

    name: str
    title: str
    categories: tuple[PresetCategory, ...]

    @classmethod
    def from_dict(cls, name: str, data: Mapping[str, Any]) -> TagPreset:
        """Validate every name with the same rules moderators follow; raise ValueError if not."""
        try:
            categories = tuple(
                PresetCategory(
                    clean_name(c["name"], label="Category names"),
                    tuple(
                        PresetTag(
                            clean_name(t["name"]),
                            tuple(clean_name(a, label="Aliases") for a in t.get("aliases", ())),
                        )
                        for t in c.get("tags", ())
                    ),
                )
                for c in data["categories"]
            )
        except (InvalidInput, KeyError, TypeError) as exc:
            raise ValueError(f"tag preset {name!r} is malformed: {exc}") from exc
        preset = cls(name=name, title=str(data.get("title", name)), categories=categories)
        keys = [tag_key(n) for n in preset.all_names()]
        if len(keys) != len(set(keys)):
            duplicates = sorted({k for k in keys if keys.count(k) > 1})
            raise ValueError(f"tag preset {name!r} repeats names: {', '.join(duplicates)}")
        return preset

    def all_names(self) -> list[str]:
        return [
            name
            for category in self.categories
            for tag in category.tags
            for name in (tag.name, *tag.aliases)
        ]

    @property
    def tag_count(self) -> int:
        return sum(len(c.tags) for c in self.categories)


# -- suggestions --------------------------------------------------------------------------------


class SuggestionState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Suggestion:
    """A member's proposed tag, waiting for (or past) a moderator's decision."""

    id: int
    guild_id: int
    user_id: int
    name: str
    category_id: int | None
    category: str | None
    state: SuggestionState
    created_at: datetime
    tag_id: int | None = None


def suggestion_outcome_key(suggestion_id: int) -> str:
    """The outbox idempotency key of the one DM a suggester gets about a decision."""
    return f"tag-suggestion:{suggestion_id}:outcome"


SERVER_NAME_MAX = 100  # Discord's limit on server names


def server_label(name: str) -> str:
    """A server's name as plain text inside a message: visible, no Markdown, no mention syntax.

    Server names are free text chosen by whoever owns the server, so unlike tag names they are
    not allow-listed; this makes them safe to quote in a DM.
    """
    return safe_echo(name, SERVER_NAME_MAX, fallback="your server")


def suggestion_outcome_text(
    name: str, *, guild_name: str, approved: bool, as_alias_of: str | None = None
) -> str:
    """The DM a suggester gets once moderators decide (tag names are allow-listed: safe to show).

    A DM has no server context, so it names the server the suggestion was made in.
    """
    where = f"**{server_label(guild_name)}**"
    if not approved:
        return (
            f"Thanks for suggesting the tag “{name}” in {where}. The moderators decided not to "
            "add it this time; the existing tags may already cover it (see /tags list there)."
        )
    if as_alias_of:
        return (
            f"Thanks for suggesting “{name}” in {where}. The moderators added it as another "
            f"name for **{as_alias_of}**, so typing it now finds that tag: try /tags add there."
        )
    return (
        f"Good news: your suggested tag “{name}” was approved in {where}. "
        "Add it with /tags add there."
    )


@dataclass(frozen=True)
class CategoryTags:
    """Tags under one category heading, for "my tags" and profiles."""

    category: str
    tags: tuple[Tag, ...]


def group_by_category(tags: Iterable[Tag], categories: Sequence[Category]) -> list[CategoryTags]:
    """``tags`` grouped under their categories in the server's category order, names sorted."""
    position = {c.id: (c.position, c.id) for c in categories}
    groups: dict[int, list[Tag]] = {}
    for tag in tags:
        groups.setdefault(tag.category_id, []).append(tag)
    ordered = sorted(groups, key=lambda cid: position.get(cid, (len(position), cid)))
    return [
        CategoryTags(
            category=groups[cid][0].category,
            tags=tuple(sorted(groups[cid], key=lambda t: tag_key(t.name))),
        )
        for cid in ordered
    ]

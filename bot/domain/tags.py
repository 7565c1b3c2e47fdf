"""Interest tags: names, keys, limits, presets and the in-memory lookup index.

Tag, alias and category names share one rule: after Unicode NFKC normalisation, typographic
quotes and dashes folded, invisible characters dropped and whitespace collapsed (the character
tables are :mod:`bot.domain.text`'s, shared with free text), a name is 2–40
characters drawn only from letters, digits, spaces and ``& - / + ' .``, and starts with a letter
or digit (so it can never render as a Markdown list, quote or heading). Uniqueness is
case-insensitive through :func:`tag_key`. Nothing outside that allow-list is ever stored.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process

from bot.domain.errors import Conflict, InvalidInput, NotFound
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
_SUGGEST_CUTOFF = 65  # similarity (0–100) for "did you mean"; below it, suggestions are noise
_WORD_CUTOFF = 80  # one typed word against one word of a name or alias
_WORD_MIN = 4  # shorter words match too much by chance to count on their own
_COMMON_WORD_TAGS = 3  # a word in this many tags' names or aliases is too common to suggest by

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


@dataclass(frozen=True)
class Completion:
    """One autocomplete choice: ``label`` is shown, ``value`` (the tag's name) is sent back."""

    label: str
    value: str


class UnknownTag(NotFound):
    """No tag or alias by that name; ``suggestions`` are the closest names, best first."""

    def __init__(self, text: str, suggestions: Sequence[str]) -> None:
        super().__init__(_unknown_tag_message(text, suggestions))
        self.suggestions = list(suggestions)


def _unknown_tag_message(text: str, suggestions: Sequence[str]) -> str:
    """Repeats what was typed (plain, capped); says so when it could never be a tag at all."""
    typed = safe_echo(text, fallback="")
    if not typed:
        return "There is no tag called that: nothing in it is visible. Try /tags list."
    if not lookup_key(text):  # nothing a tag name is made of: 🦴, "!!!"
        return f"Tags are words: “{typed}” isn't one. Try /tags list to see this server's tags."
    hint = f" Did you mean {_or_list(suggestions)}?" if suggestions else ""
    return (
        f"There is no tag called “{typed}” in this server.{hint} "
        "Start typing to see the tags, or propose one with /tags suggest."
    )


def _or_list(names: Sequence[str]) -> str:
    quoted = [f"**{n}**" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


@dataclass
class TagIndex:
    """A server's vocabulary in memory, for lookups and autocomplete in well under a millisecond.

    Built from the database after each vocabulary write (see ``bot.services.tags.index``);
    never mutated.
    """

    categories: list[Category]
    tags: list[Tag]
    aliases: list[Alias]
    _by_key: dict[str, Tag] = field(init=False, repr=False)
    _by_id: dict[int, Tag] = field(init=False, repr=False)
    # (key, shown name, tag, is_alias, " word1 word2…" for word-prefix matches)
    _entries: list[tuple[str, str, Tag, bool, str]] = field(init=False, repr=False)
    _fuzzy_keys: list[str] = field(init=False, repr=False)
    # Each longer word of each entry, and the entry it belongs to, for word-by-word typos.
    _word_keys: list[str] = field(init=False, repr=False)
    _word_entries: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        position = {c.id: c.position for c in self.categories}
        self.tags = sorted(
            self.tags, key=lambda t: (position.get(t.category_id, 0), tag_key(t.name))
        )
        self._by_id = {t.id: t for t in self.tags}
        self._by_key = {tag_key(t.name): t for t in self.tags}
        entries = [(tag_key(t.name), t.name, t, False, _words(t.name)) for t in self.tags]
        for alias in sorted(self.aliases, key=lambda a: tag_key(a.name)):
            tag = self._by_id.get(alias.tag_id)
            if tag is not None:
                self._by_key.setdefault(tag_key(alias.name), tag)
                entries.append((tag_key(alias.name), alias.name, tag, True, _words(alias.name)))
        self._entries = entries
        self._fuzzy_keys = [entry[0] for entry in entries]
        words = [
            (word, number)
            for number, entry in enumerate(entries)
            for word in entry[4].split()
            if len(word) >= _WORD_MIN
        ]
        # Words shared by many tags ("rehab", "health") say nothing about which one was meant.
        tags_with: dict[str, set[int]] = {}
        for word, number in words:
            tags_with.setdefault(word, set()).add(entries[number][2].id)
        words = [(w, n) for w, n in words if len(tags_with[w]) < _COMMON_WORD_TAGS]
        self._word_keys = [word for word, _ in words]
        self._word_entries = [number for _, number in words]

    def __len__(self) -> int:
        return len(self.tags)

    def get(self, tag_id: int) -> Tag | None:
        return self._by_id.get(tag_id)

    def exact(self, text: str) -> Tag | None:
        """The tag whose name or alias is ``text``, ignoring case, spacing and invisible marks."""
        return self._by_key.get(lookup_key(text))

    def near_miss(self, text: str) -> Tag | None:
        """A single clear typo match (``orthopedic`` → Orthopedics), else None."""
        key = lookup_key(text)
        if len(key) < 4 or not self._entries:
            return None
        found = process.extract(key, self._fuzzy_keys, scorer=fuzz.ratio, limit=8, score_cutoff=85)
        tags = _distinct_tags((self._entries[i][2], score) for _, score, i in found)
        if len(tags) == 1 or (len(tags) > 1 and tags[0][1] - tags[1][1] >= 5):
            return tags[0][0]
        return None

    def resolve(self, text: str, *, near_misses: bool = True) -> Tag:
        """Name, alias or (if allowed) near miss; else :class:`UnknownTag` with "did you mean".

        Moderators' destructive actions pass ``near_misses=False``: a typo must not pick a tag.
        """
        tag = self.exact(text) or (self.near_miss(text) if near_misses else None)
        if tag is None:
            raise UnknownTag(text, self.suggest(text))
        return tag

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """The closest tag names to ``text``, best first, for "did you mean" and autocomplete.

        Whole-text and word-set similarity, plus word against word for typos inside longer
        names ("pelvis" → Pelvic Health, "oncolgy rehab stuff" → Oncology). Not ``WRatio``:
        its partial matching ranks any 2–3 letter alias ("op", "ne") inside a longer word, and
        a short input inside any long name, as near certain, so "ort" offered Educator.
        """
        key = lookup_key(text)
        if not key or not self._entries:
            return []
        scores: dict[int, float] = {}  # entry index → best score
        cap = limit * 4
        for scorer in (fuzz.ratio, fuzz.token_set_ratio):
            found = process.extract(
                key, self._fuzzy_keys, scorer=scorer, limit=cap, score_cutoff=_SUGGEST_CUTOFF
            )
            for _, score, i in found:
                scores[i] = max(scores.get(i, 0.0), score)
        for word in {w for w in key.split() if len(w) >= _WORD_MIN}:
            found = process.extract(
                word, self._word_keys, scorer=fuzz.ratio, limit=cap, score_cutoff=_WORD_CUTOFF
            )
            for _, score, i in found:
                entry = self._word_entries[i]
                scores[entry] = max(scores.get(entry, 0.0), score * 0.9)
        tags = _distinct_tags((self._entries[i][2], score) for i, score in scores.items())
        return [tag.name for tag, _ in tags[:limit]]

    def complete(
        self, text: str, limit: int = 25, *, only: Iterable[int] | None = None
    ) -> list[Completion]:
        """Autocomplete: exact, then prefix, word-prefix, substring, then fuzzy matches."""
        allowed = set(only) if only is not None else None
        key = lookup_key(text)
        if not key:
            return [
                Completion(t.name, t.name) for t in self.tags if allowed is None or t.id in allowed
            ][:limit]
        ranked: list[tuple[int, int, Tag, str | None]] = []
        word_start = " " + key
        for order, (entry_key, entry_name, tag, is_alias, words) in enumerate(self._entries):
            if key not in entry_key or (allowed is not None and tag.id not in allowed):
                continue  # every tier below is a substring match: most entries stop here
            if entry_key == key:
                tier = 0
            elif entry_key.startswith(key):
                tier = 1
            elif word_start in words:
                tier = 2
            else:
                tier = 3
            ranked.append((tier * 2 + is_alias, order, tag, entry_name if is_alias else None))
        ranked.sort(key=lambda r: (r[0], r[1]))
        results: list[Completion] = []
        seen: set[int] = set()
        for _, _, tag, alias in ranked:
            if len(results) == limit:
                break
            if tag.id not in seen:
                seen.add(tag.id)
                results.append(_completion(tag, alias))
        if len(results) < limit and len(key) >= 3:
            for name in self.suggest(text, limit=limit):
                tag = self._by_key[tag_key(name)]
                if tag.id not in seen and (allowed is None or tag.id in allowed):
                    seen.add(tag.id)
                    results.append(_completion(tag, None))
        return results[:limit]

    def category(self, text: str) -> Category | None:
        key = lookup_key(text)
        return next((c for c in self.categories if tag_key(c.name) == key), None)

    def complete_categories(self, text: str, limit: int = 25) -> list[str]:
        key = lookup_key(text)
        names = [c.name for c in sorted(self.categories, key=lambda c: c.position)]
        return [n for n in names if key in tag_key(n)][:limit]

    def in_category(self, category_id: int) -> list[Tag]:
        return [t for t in self.tags if t.category_id == category_id]


def _words(name: str) -> str:
    """`` word1 word2`` of a name's key, so ``" " + prefix in _words(…)`` finds word starts."""
    return " " + " ".join(w for w in re.split(r"[ &/+\-.']+", tag_key(name)) if w)


def _completion(tag: Tag, alias: str | None) -> Completion:
    label = f"{tag.name} ({alias})" if alias else tag.name
    return Completion(f"{label} · {tag.category}"[:100], tag.name)


def _distinct_tags(found: Iterable[tuple[Tag, float]]) -> list[tuple[Tag, float]]:
    best: dict[int, tuple[Tag, float]] = {}
    for tag, score in found:
        if tag.id not in best or score > best[tag.id][1]:
            best[tag.id] = (tag, score)
    return sorted(best.values(), key=lambda pair: (-pair[1], pair[0].name))


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

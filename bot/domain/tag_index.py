"""The in-memory lookup index of a server's vocabulary: exact names, aliases, near misses,
"did you mean" and autocomplete, in well under a millisecond."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.domain.errors import NotFound
from bot.domain.tags import Alias, Category, Tag, lookup_key, spelling_key, tag_key
from bot.domain.text import safe_echo

_NEAR_DUPLICATE_MIN = 3  # "PT" next to "PTA" is no warning
_NEAR_DUPLICATE_SCORE = 85  # the near-miss bar /tags add resolves typos with
_SUGGEST_CUTOFF = 65  # similarity (0–100) for "did you mean"; below it, suggestions are noise
_WORD_CUTOFF = 80  # one typed word against one word of a name or alias
_WORD_MIN = 4  # shorter words match too much by chance to count on their own
_COMMON_WORD_TAGS = 3  # a word in this many tags' names or aliases is too common to suggest by


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

    def near_duplicates(self, name: str, limit: int = 3) -> list[str]:
        """Tags a new tag called ``name`` may duplicate: one it is the start of ("Spor" →
        Sports), one spelled nearly the same ("Sprots"), or the same but for separators."""
        key = spelling_key(lookup_key(name))
        if len(key) < _NEAR_DUPLICATE_MIN:
            return []
        found: dict[int, Tag] = {}
        for entry_key, _name, tag, _alias, _words in self._entries:
            other = spelling_key(entry_key)
            if other.startswith(key) or fuzz.ratio(key, other) >= _NEAR_DUPLICATE_SCORE:
                found.setdefault(tag.id, tag)
        return [tag.name for tag in found.values()][:limit]

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

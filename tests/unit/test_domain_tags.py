"""Tag names, keys, the allow-list, suppression and the lookup index."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.domain.errors import Conflict, DomainError, InvalidInput
from bot.domain.tag_index import TagIndex, UnknownTag
from bot.domain.tags import (
    MAX_TAGS_PER_GUILD,
    MAX_TAGS_PER_MEMBER,
    NAME_MAX,
    NAME_MIN,
    Alias,
    Category,
    Tag,
    TagPreset,
    check_guild_limit,
    check_member_limit,
    clean_name,
    count_label,
    group_by_category,
    is_allowed_char,
    lookup_key,
    pages,
    safe_echo,
    suppressed,
    tag_key,
)
from config.tag_presets import load_tag_preset

T = TypeVar("T")

# What hostile or careless input looks like: pings, markdown, invisible and control characters.
NASTY = [
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@&987654321>",
    "<#1234>",
    "**bold** _it_ ~~x~~ `code` ||spoiler||",
    "[click](https://evil.example)",
    "# Heading",
    "> quote",
    "\u200b",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u202e",
    "\u2066",
    "\u061c",
    "\x00",
    "\x07",
    "\n",
    "\t",
    "\u3164",
    "ᅠ",
    "＠everyone",
    "💥",
    "Z̷̢a̸l̵g̴o",
]
text_with_nasties = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(max_size=30)), max_size=12
).map("".join)
any_text = st.one_of(st.text(max_size=10_000), text_with_nasties)


def _attempt(function: Callable[[str], T], text: str) -> tuple[T | None, DomainError | None]:
    try:
        return function(text), None
    except DomainError as error:
        return None, error


def test_clean_name_normalises() -> None:
    assert clean_name("  Pelvic    Health ") == "Pelvic Health"
    assert clean_name("Ｏｒｔｈｏ") == "Ortho"  # NFKC folds full-width letters
    assert clean_name("Women’s Health") == "Women's Health"  # typographic apostrophe folded
    assert clean_name("Hand\u200b & Upper\u202e Extremity") == "Hand & Upper Extremity"
    assert clean_name("Cardiovascular & Pulmonary") == "Cardiovascular & Pulmonary"
    assert clean_name("Café") == "Café"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("@everyone", "Remove “@”"),
        ("<@123>", "Remove “<”, “@”, “>”"),
        ("**bold**", "Remove “*”"),
        ("a", "2–40 characters long (that one has 1)"),
        ("x" * 41, "that one has 41"),
        ("", "that one has 0"),
        ("\u200b\u200b", "that one has 0"),
        ("- PT", "start with a letter or a digit"),
        ("💥 boom", "Remove “💥”"),
        ("ㅤㅤ", "Remove U+1160"),
        ("y" * 5000, "2–40 characters long"),
    ],
)
def test_clean_name_rejects_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(reason)):
        clean_name(text)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
@example("@everyone")
@example("\x00" * 10_000)
@example("Ortho\u202e\u200b")
def test_nothing_outside_the_allow_list_is_ever_accepted(text: str) -> None:
    name, error = _attempt(clean_name, text)
    if error is not None:
        assert error.message.strip()  # every rejection explains itself
        return
    assert name is not None
    assert NAME_MIN <= len(name) <= NAME_MAX
    assert all(is_allowed_char(c) for c in name)
    assert "@" not in name
    assert "<" not in name
    assert "*" not in name
    assert name == name.strip()
    assert "  " not in name
    assert unicodedata.normalize("NFKC", name) == name
    assert clean_name(name) == name  # idempotent
    assert all(is_allowed_char(c) for c in tag_key(name))


@given(any_text)
def test_lookups_never_crash_and_stay_in_the_allow_list(text: str) -> None:
    assert all(is_allowed_char(c) for c in lookup_key(text))


@given(any_text)
def test_echoes_are_short_plain_and_cannot_ping(text: str) -> None:
    echoed = safe_echo(text)  # re-exported here for the services; tested in test_domain_text
    assert len(re.sub(r"\\(.)", r"\1", echoed)) <= NAME_MAX
    assert "@everyone" not in echoed.lower()
    assert "<@" not in echoed


def test_keys_are_case_insensitive() -> None:
    assert tag_key("ORTHOPEDICS") == tag_key("orthopedics") == "orthopedics"
    assert tag_key("Straße") == tag_key("STRASSE")
    assert lookup_key("  Pelvic   HEALTH\u200b") == tag_key("Pelvic Health")


def test_small_counts_are_suppressed() -> None:
    assert [count_label(n) for n in (0, 1, 2, 3, 40)] == [
        "fewer than 3",
        "fewer than 3",
        "fewer than 3",
        "3",
        "40",
    ]
    assert suppressed(2) is None
    assert suppressed(3) == 3


def test_limits() -> None:
    check_member_limit(MAX_TAGS_PER_MEMBER - 1, 1)
    with pytest.raises(Conflict, match="at most 25 tags"):
        check_member_limit(MAX_TAGS_PER_MEMBER, 1)
    check_guild_limit(MAX_TAGS_PER_GUILD - 2, 2)
    with pytest.raises(Conflict, match="at most 500 tags"):
        check_guild_limit(MAX_TAGS_PER_GUILD - 2, 3)


def test_pages_split_at_25() -> None:
    assert [len(p) for p in pages(list(range(60)))] == [25, 25, 10]
    assert pages([]) == [[]]


# -- the index --------------------------------------------------------------------------------

CATEGORIES = [Category(1, "Clinical interest", 0), Category(2, "Career stage", 1)]
TAGS = [
    Tag(10, "Orthopedics", 1, "Clinical interest"),
    Tag(11, "Neurology", 1, "Clinical interest"),
    Tag(12, "Pediatrics", 1, "Clinical interest"),
    Tag(13, "Pelvic Health", 1, "Clinical interest"),
    Tag(14, "Cardiovascular & Pulmonary", 1, "Clinical interest"),
    Tag(20, "Student", 2, "Career stage"),
    Tag(21, "New grad", 2, "Career stage"),
]
ALIASES = [
    Alias(1, 10, "ortho"),
    Alias(2, 11, "neuro"),
    Alias(3, 12, "peds"),
    Alias(4, 14, "cardiopulm"),
    Alias(5, 20, "DPT student"),
]


@pytest.fixture
def index() -> TagIndex:
    return TagIndex(CATEGORIES, TAGS, ALIASES)


def test_exact_and_alias_resolution(index: TagIndex) -> None:
    assert index.resolve("orthopedics").id == 10
    assert index.resolve("ORTHO").id == 10
    assert index.resolve("peds").id == 12
    assert index.resolve("cardiopulm").name == "Cardiovascular & Pulmonary"
    assert index.resolve(" dpt   student ").name == "Student"


def test_near_misses_resolve(index: TagIndex) -> None:
    assert index.resolve("Orthopedic").id == 10
    assert index.resolve("nuerology").id == 11
    assert index.resolve("pediatric").id == 12


def test_unknown_input_gets_did_you_mean(index: TagIndex) -> None:
    with pytest.raises(UnknownTag) as caught:
        index.resolve("pelvis")
    assert caught.value.suggestions[0] == "Pelvic Health"
    assert "Did you mean **Pelvic Health**" in caught.value.message
    with pytest.raises(UnknownTag) as nothing:
        index.resolve("@everyone zzzz")
    assert "@" not in nothing.value.message


@pytest.mark.parametrize("typed", ["🦴", "🦴🦴", "!!!", "👩\u200d⚕️"])
def test_unknown_non_words_are_echoed_and_told_tags_are_words(index: TagIndex, typed: str) -> None:
    with pytest.raises(UnknownTag) as caught:
        index.resolve(typed)
    assert caught.value.message == (
        f"Tags are words: “{typed}” isn't one. Try /tags list to see this server's tags."
    )


def test_unknown_tags_echo_what_was_typed_safely(index: TagIndex) -> None:
    with pytest.raises(UnknownTag) as bone:
        index.resolve("bone 🦴")
    assert "There is no tag called “bone 🦴” in this server." in bone.value.message
    with pytest.raises(UnknownTag) as marked:
        index.resolve("**zzzz** @here")
    assert "“\\*\\*zzzz\\*\\* ＠here”" in marked.value.message
    with pytest.raises(UnknownTag) as long:
        index.resolve("q" * 90)
    assert f"“{'q' * (NAME_MAX - 1)}…”" in long.value.message
    with pytest.raises(UnknownTag) as empty:
        index.resolve("\u200b\u200b")
    assert empty.value.message.startswith("There is no tag called that: nothing in it is visible")
    assert "“that”" not in empty.value.message


def test_complete_ranks_prefix_then_alias_then_fuzzy(index: TagIndex) -> None:
    names = [c.value for c in index.complete("pe")]
    assert names[:2] == ["Pediatrics", "Pelvic Health"]
    assert index.complete("ortho")[0].value == "Orthopedics"
    assert index.complete("cardiop")[0].label.startswith("Cardiovascular & Pulmonary (cardiopulm)")
    assert index.complete("pulm")[0].value == "Cardiovascular & Pulmonary"  # word prefix
    assert "Neurology" in [c.value for c in index.complete("nerology")]  # fuzzy
    assert len(index.complete("")) == len(TAGS)
    assert len(index.complete("", limit=3)) == 3
    assert all(len(c.label) <= 100 and len(c.value) <= 100 for c in index.complete(""))


def test_complete_only_mine(index: TagIndex) -> None:
    assert [c.value for c in index.complete("", only={11, 20})] == ["Neurology", "Student"]
    assert index.complete("ortho", only={11}) == []


@given(any_text)
def test_index_never_crashes(text: str) -> None:
    index = TagIndex(CATEGORIES, TAGS, ALIASES)
    assert len(index.complete(text)) <= 25
    _, error = _attempt(index.resolve, text)
    assert error is None or error.message


def test_group_by_category_orders_by_category_then_name() -> None:
    grouped = group_by_category([TAGS[5], TAGS[1], TAGS[0]], CATEGORIES)
    assert [(g.category, [t.name for t in g.tags]) for g in grouped] == [
        ("Clinical interest", ["Neurology", "Orthopedics"]),
        ("Career stage", ["Student"]),
    ]


def test_preset_validation_rejects_bad_and_duplicate_names() -> None:
    with pytest.raises(ValueError, match="malformed"):
        TagPreset.from_dict("x", {"categories": [{"name": "Role", "tags": [{"name": "@PT"}]}]})
    with pytest.raises(ValueError, match="repeats names: pt"):
        TagPreset.from_dict(
            "x",
            {
                "categories": [
                    {"name": "Role", "tags": [{"name": "PT"}, {"name": "PTA", "aliases": ["pt"]}]}
                ]
            },
        )


def pt_index() -> TagIndex:
    """The PT preset as a server would hold it: tags and aliases with ids."""
    preset = load_tag_preset("pt")
    categories, tags, aliases = [], [], []
    for number, group in enumerate(preset.categories, start=1):
        categories.append(Category(number, group.name, number))
        for item in group.tags:
            tags.append(Tag(len(tags) + 1, item.name, number, group.name))
            aliases += [Alias(len(aliases) + 1, len(tags), a) for a in item.aliases]
    return TagIndex(categories=categories, tags=tags, aliases=aliases)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ort", ["Orthopedics", "Sports"]),  # not Educator or Faculty (a 3-letter partial match)
        ("ortopedic", ["Orthopedics"]),  # not Outpatient (its alias "op" is inside the word)
        ("neurlogy", ["Neurology"]),  # not Northeast (alias "NE")
        ("pelvis", ["Pelvic Health"]),
        ("oncolgy rehab stuff", ["Oncology"]),  # "rehab" is in too many tags to mean one
        ("cardiac stuff", ["Cardiovascular & Pulmonary"]),
        ("memes", []),
        ("concussion", []),
    ],
)
def test_suggestions_are_close_matches_not_noise(typed: str, expected: list[str]) -> None:
    assert pt_index().suggest(typed) == expected


@pytest.mark.parametrize(
    ("name", "similar"),
    [
        ("Spor", ["Sports"]),  # the start of an existing tag
        ("Sport", ["Sports"]),
        ("Neurolgy", ["Neurology"]),  # a typo
        ("Telehealth", []),  # a new word: no warning
        ("PT", []),  # too short to say anything
    ],
)
def test_near_duplicates_of_a_new_tag(name: str, similar: list[str]) -> None:
    """Issue #20 item 12: /setup tags add warns before adding these."""
    assert pt_index().near_duplicates(name) == similar

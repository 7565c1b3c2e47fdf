"""bot.domain.text: the character tables, the free-text cleaner, mentions, Markdown, echoes and
plurals. Free text keeps what people wrote; what hides, pings or masks a link does not survive.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.domain.text import (
    BLANK,
    ECHO_MAX,
    EMOJI_SEQUENCE,
    clean_free_text,
    could_ping,
    describe,
    escape_links,
    escape_markdown,
    is_hidden,
    is_invisible,
    neutralise_mentions,
    one_line,
    plural,
    safe_echo,
    show_member_text,
)

ZWJ = "\u200d"
EMOJI = [
    "👩\u200d⚕️",  # health worker: woman, ZWJ, staff of Aesculapius, VS16
    "👨\u200d👩\u200d👧",  # family
    "🧑🏽\u200d⚕️",  # with a skin tone
    "🏳️\u200d🌈",  # rainbow flag
    "❤️\u200d🔥",
    "🏴\u200d☠️",  # pirate flag: black flag, ZWJ, skull and crossbones
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland (tag sequence)
    "1️⃣",  # keycap
    "#️⃣",
    "🇺🇸",  # regional indicator pair
    "👍🏽",
    "☕️",
]
HIDING = [
    "\u200b",
    "\u200c",
    ZWJ,
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u202a\u202b\u202c\u202d\u202e",
    "\u2066\u2067\u2068\u2069",
    "\u061c\u200e\u200f",
    "\ufe0f",
    "\U000e0067\U000e007f",
    "\x00\x07\x1b",
    "\ue000",
    "ㅤ\u2800\u115f\u1160\uffa0\u034f",
]
PINGS = ["@everyone", "@here", "@EveryOne", "<@123456789012345678>", "<@!42>", "<@&9>"]
LINKS = [
    "[click](https://evil.example)",
    "[https://discord.com/gift](https://evil.example)",
    "[a](<https://evil.example>)",
    "\\[b](https://evil.example)",
    "\\\\[c](https://evil.example)",
    "[[nested]](https://evil.example)",
]
PLAIN = ["Hello, I'm a PT in Ohio.", "m² ½ ™ ﬁ Ｏｈｉｏ", "Café é", "**bold** _it_", "\n", "  "]
pieces = st.sampled_from(EMOJI + HIDING + PINGS + LINKS + PLAIN)
member_text = st.one_of(
    st.text(max_size=2_000),
    st.lists(st.one_of(pieces, st.text(max_size=12)), max_size=25).map("".join),
)


def outside_emoji(text: str) -> str:
    return EMOJI_SEQUENCE.sub("", text)


# -- the character tables ---------------------------------------------------------------------


@pytest.mark.parametrize("char", list("\u200b\u200d\u2060\ufeff\u00ad\u202e\u2066\u061c\x00\t"))
def test_zero_width_and_control_characters_are_invisible(char: str) -> None:
    assert is_invisible(char)
    assert is_hidden(char)


@pytest.mark.parametrize("char", [*sorted(BLANK), "\ue000", "\U000e0067", "\ufe0f", "\U0010ffff"])
def test_blank_private_and_stray_selectors_are_hidden(char: str) -> None:
    assert is_hidden(char)


@pytest.mark.parametrize("char", [*"aZé2&'-😀²½™", "\u0301"])
def test_visible_characters_are_not_hidden(char: str) -> None:
    assert not is_hidden(char)


def test_describe_names_invisible_characters_by_code_point() -> None:
    assert describe("💥") == "“💥”"
    assert describe("\u3164") == "U+3164"
    assert describe("\u2800") == "U+2800"
    assert describe("\u200b") == "U+200B"
    assert describe("\u0301") == "U+0301"


def test_one_line_collapses_whitespace_and_drops_invisible_characters() -> None:
    assert one_line("  a\u200b\tb\n\u202e c\u3000 ") == "a b c"
    assert one_line("\u200b\u200d") == ""


# -- free text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        *EMOJI,
        "Nurse 👩\u200d⚕️ and dad 👨\u200d👩\u200d👧",
        "Treats 200 m² clinics, ½ days, Brand™",
        "ﬁne Ｏｈｉｏ ①",  # compatibility forms are the author's choice; NFKC would change them
        "Café",
        "नमस्ते",  # Devanagari: combining marks kept
        "**bold** and `code`",
    ],
)
def test_free_text_keeps_what_people_wrote(written: str) -> None:
    assert clean_free_text(written) == written


def test_free_text_is_composed_to_nfc() -> None:
    assert clean_free_text("Cafe\u0301") == "Café"
    # Dropping the zero-width space leaves e beside its accent: composed as well.
    assert clean_free_text("e\u200b\u0301") == "é"


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("a\u200db", "ab"),  # a ZWJ between letters joins nothing
        (f"{ZWJ}👩", "👩"),
        (f"👩{ZWJ}", "👩"),
        (f"👩{ZWJ}{ZWJ}⚕️", "👩⚕️"),
        ("a\ufe0fb", "ab"),  # a presentation selector after a letter
        ("x\u202eevil\u202c", "xevil"),
        ("\u2066isolated\u2069", "isolated"),
        ("soft\u00adhyphen", "softhyphen"),
        ("tag\U000e0067\U000e007f", "tag"),  # tag characters not after a black flag
        ("ㅤblank\u2800", "blank"),
        ("private\ue000", "private"),
    ],
)
def test_free_text_drops_what_hides(written: str, kept: str) -> None:
    assert clean_free_text(written) == kept


def test_free_text_tidies_whitespace() -> None:
    assert clean_free_text("  a \t b\n\n\n\nc  ") == "a b\n\nc"
    assert clean_free_text("a\r\nb\rc\u2028d") == "a\nb\nc\nd"  # one line break each
    assert clean_free_text("   \u200b ") == ""


def test_free_text_neutralises_mentions() -> None:
    cleaned = clean_free_text("Hi @everyone, ask <@123> or <@!4> or <@&9>, @\u200bhere")
    assert cleaned == "Hi ＠everyone, ask <＠123> or <＠!4> or <＠&9>, ＠here"


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(member_text)
@example("@\u200beveryone <@\u200b1>")
@example("1\u200b\ufe0f\u20e3")
@example("🏴\u200b\U000e0067\U000e007f")
@example("e\u200b\u0301")
def test_cleaned_free_text_is_safe_and_stable(text: str) -> None:
    cleaned = clean_free_text(text)
    assert not could_ping(cleaned)
    assert not any(c != "\n" and is_hidden(c) for c in outside_emoji(cleaned))
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == cleaned.strip()
    assert "\n\n\n" not in cleaned
    assert clean_free_text(cleaned) == cleaned


@given(st.lists(st.one_of(st.sampled_from(EMOJI), st.sampled_from([" ", "a", "\n"]))))
def test_emoji_sequences_always_survive_whole(parts: list[str]) -> None:
    text = "".join(parts)
    expected = " ".join(text.split())  # only whitespace is tidied
    assert " ".join(clean_free_text(text).split()) == expected


# -- mentions and Markdown going out ----------------------------------------------------------


@pytest.mark.parametrize("ping", PINGS)
def test_neutralised_mentions_cannot_ping(ping: str) -> None:
    assert could_ping(ping)
    assert not could_ping(neutralise_mentions(ping))
    assert neutralise_mentions(neutralise_mentions(ping)) == neutralise_mentions(ping)


def test_escape_markdown_escapes_every_markdown_character() -> None:
    assert escape_markdown("**a** _b_ ~~c~~ `d` ||e|| > f [g](h) <#1> # i \\") == (
        "\\*\\*a\\*\\* \\_b\\_ \\~\\~c\\~\\~ \\`d\\` \\|\\|e\\|\\| \\> f \\[g\\](h) \\<\\#1\\> "
        "\\# i \\\\"
    )


# What Discord reads as a masked link: ``[``, not escaped by an odd run of backslashes, up to
# the matching ``](``. Used to check that none survives.
_LIVE_LINK = re.compile(r"(?<!\\)(?:\\\\)*\[[^\n]*?\]\(")


@pytest.mark.parametrize("link", LINKS)
def test_masked_links_are_shown_literally(link: str) -> None:
    assert _LIVE_LINK.search(link) or link.startswith("\\[")  # the checker sees live links
    shown = show_member_text(link)
    assert not _LIVE_LINK.search(shown)
    assert "https://evil.example" in shown  # the real address is what the reader sees


def test_link_escaping_keeps_bare_urls_and_is_idempotent() -> None:
    assert show_member_text("see https://example.org/a_b") == "see https://example.org/a_b"
    assert show_member_text("[x](y)") == "\\[x\\](y)"
    assert show_member_text("\\[x\\](y)") == "\\[x\\](y)"  # already escaped: unchanged
    assert show_member_text("\\\\[x](y)") == "\\\\\\[x\\](y)"  # an escaped backslash, then [
    assert show_member_text("**bold** _it_") == "**bold** _it_"  # formatting is the author's


@given(member_text)
def test_shown_member_text_has_no_masked_link_or_ping(text: str) -> None:
    shown = show_member_text(clean_free_text(text))
    assert not _LIVE_LINK.search(shown)
    assert not could_ping(shown)
    assert escape_links(shown) == shown


# -- echoes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "echoed"),
    [
        ("🦴", "🦴"),
        ("👩\u200d⚕️", "👩\u200d⚕️"),
        ("Ortho\u200b\u202e", "Ortho"),
        ("@everyone", "＠everyone"),
        ("<@123>", "\\<＠123\\>"),
        ("**x**", "\\*\\*x\\*\\*"),
        ("[click](https://evil.example)", "\\[click\\](https://evil.example)"),
        ("a\nb", "a b"),
        ("\u200b", "that"),
    ],
)
def test_safe_echo_repeats_what_was_typed_as_plain_text(typed: str, echoed: str) -> None:
    assert safe_echo(typed) == echoed


def test_safe_echo_is_capped_before_escaping() -> None:
    assert safe_echo("x" * 100) == "x" * (ECHO_MAX - 1) + "…"
    # Cut first, escape after: no loose backslash at the end to escape what follows.
    assert safe_echo("*" * 100, limit=5) == "\\*\\*\\*\\*…"
    assert safe_echo("\u200b", fallback="") == ""
    assert safe_echo("ab👩\u200d⚕️", limit=4) == "ab…"  # never half an emoji sequence


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(member_text, st.integers(min_value=1, max_value=100))
@example("⚐\u200d#⃣", 4)  # a keycap inside a sequence: its # is escaped
def test_safe_echo_is_one_plain_visible_line(text: str, limit: int) -> None:
    echoed = safe_echo(text, limit, fallback="")
    unescaped = re.sub(r"\\(.)", r"\1", echoed)
    assert len(unescaped) <= limit
    assert "\n" not in echoed
    assert not could_ping(echoed)
    assert not re.search(r"(?<!\\)(?:\\\\)*[*_~|`>\[\]<#]", echoed), "unescaped Markdown"
    assert not any(is_hidden(c) for c in outside_emoji(unescaped))  # as the reader sees it


# -- plurals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "word", "many", "said"),
    [
        (0, "member", None, "0 members"),
        (1, "member", None, "1 member"),
        (2, "message", None, "2 messages"),
        (1, "category", "categories", "1 category"),
        (3, "category", "categories", "3 categories"),
        (1, "alias", "aliases", "1 alias"),
        (-1, "tag", None, "-1 tags"),
    ],
)
def test_plural(count: int, word: str, many: str | None, said: str) -> None:
    assert plural(count, word, many) == said

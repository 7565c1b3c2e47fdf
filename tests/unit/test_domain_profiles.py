"""Profile text: limits, invisible characters, text that can never ping, and text kept as written
(emoji sequences, superscripts, fractions and symbols survive; only what hides is dropped).
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.profiles import (
    ABOUT_LIMIT,
    LOOKING_FOR_LIMIT,
    clean_profile_text,
    could_ping,
    may_view_profile,
)
from bot.domain.text import EMOJI_SEQUENCE

PIECES = [
    "@everyone",
    "@here",
    "@EVERYONE",
    "@\u200beveryone",
    "＠here",
    "<@123456789012345678>",
    "<@!42>",
    "<@&987654321>",
    "<@\u200b123>",
    "<#55>",
    "**bold** __u__ ~~s~~ `c` ||spoiler|| # heading\n> quote",
    "[masked](https://example.com)",
    "\u200b\u200c\u200d\u2060\ufeff",
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200e\u200f",
    "\x00\x01\x1b[31m",
    "\r\n\n\n\n",
    "ㅤ\u2800",
    "Hello, I'm a PT in Ohio.",
    "👩\u200d⚕️ 👨\u200d👩\u200d👧 1️⃣ 🏳️\u200d🌈",
    "m² ½ ™",
]
profile_text = st.one_of(
    st.text(max_size=10_000),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=20).map("".join),
)
INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(profile_text, st.sampled_from([ABOUT_LIMIT, LOOKING_FOR_LIMIT]))
@example("@everyone look at this <@&1> and <@2>", ABOUT_LIMIT)
@example("@\u200beveryone", ABOUT_LIMIT)
@example("\x00" * 10_000, ABOUT_LIMIT)
def test_stored_profile_text_can_never_ping(text: str, limit: int) -> None:
    try:
        cleaned = clean_profile_text(text, limit=limit, label="About me")
    except InvalidInput as error:
        message = error.message
    else:
        message = None
    if message is not None:
        assert message.startswith("About me can be at most")
        return
    if cleaned is None:
        return
    assert len(cleaned) <= limit
    assert not could_ping(cleaned)
    outside_emoji = EMOJI_SEQUENCE.sub("", cleaned)  # where ZWJ and selectors mean nothing
    assert not any(unicodedata.category(c) in INVISIBLE for c in outside_emoji if c != "\n"), (
        "invisible characters survived"
    )
    assert cleaned == cleaned.strip()
    assert clean_profile_text(cleaned, limit=limit, label="About me") == cleaned  # stable


def test_mentions_are_neutralised_but_readable() -> None:
    cleaned = clean_profile_text("Hi @everyone, ask <@123> or <@&9>", limit=300, label="x")
    assert cleaned == "Hi ＠everyone, ask <＠123> or <＠&9>"


@pytest.mark.parametrize(
    "written",
    [
        "Nurse 👩\u200d⚕️ in Ohio",
        "Mum of 👨\u200d👩\u200d👧, ask me anything 1️⃣ #️⃣",
        "Proud 🏳️\u200d🌈 ally from 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
        "Clinic of 200 m², ½ days on Fridays, Graston™ certified",
        "ﬁne, Ｏｈｉｏ",
    ],
)
def test_profile_text_is_kept_as_written(written: str) -> None:
    assert clean_profile_text(written, limit=300, label="x") == written


def test_only_invisible_characters_outside_emoji_are_dropped() -> None:
    assert clean_profile_text("a\u200db \u202eevil\u2066 👩\u200d⚕️", limit=300, label="x") == (
        "ab evil 👩\u200d⚕️"
    )
    assert clean_profile_text("Cafe\u0301", limit=300, label="x") == "Café"  # NFC only


def test_whitespace_is_tidied_and_empty_means_none() -> None:
    assert clean_profile_text("  a \t b\n\n\n\nc  ", limit=300, label="x") == "a b\n\nc"
    assert clean_profile_text("   \u200b ", limit=300, label="x") is None
    assert clean_profile_text(None, limit=300, label="x") is None


def test_limits_count_after_cleaning() -> None:
    assert clean_profile_text("x" * 300 + "\u200b" * 50, limit=300, label="About me")
    with pytest.raises(InvalidInput, match=r"at most 300 characters \(that has 301\)"):
        clean_profile_text("x" * 301, limit=300, label="About me")
    # Some characters decompose even under NFC (composition exclusions): three letters each.
    with pytest.raises(InvalidInput, match=r"\(that has 360\)"):
        clean_profile_text("\ufb2c" * 120, limit=300, label="About me")


@given(st.integers(), st.integers(), st.booleans())
def test_consent_rule(viewer: int, subject: int, discoverable: bool) -> None:
    allowed = may_view_profile(viewer, subject, discoverable=discoverable)
    assert allowed == (viewer == subject or discoverable)


@given(st.integers(), st.integers(), st.booleans())
def test_a_block_hides_a_profile_like_not_being_discoverable(
    viewer: int, subject: int, discoverable: bool
) -> None:
    allowed = may_view_profile(viewer, subject, discoverable=discoverable, blocked=True)
    assert allowed == (viewer == subject)

"""Text people write, made safe to store and to show. The one place that knows which characters
hide, which syntax pings, and which Markdown can mislead.

Two kinds of text come in:

- **Names** (tags, aliases, categories, server names) are one line: :func:`one_line` turns every
  whitespace into a space and drops invisible characters. ``bot.domain.tags`` adds its stricter
  rules on top (NFKC, folded punctuation, an allow-list).
- **Free text** (profiles, notes, the reasons people give) is kept as written:
  :func:`clean_free_text` applies NFC only, keeps emoji sequences whole (``👩‍⚕️``, ``👨‍👩‍👧``,
  keycaps, subdivision flags), and drops bidi controls, zero-width and blank characters
  everywhere else; mention syntax is neutralised.

Going out, :func:`escape_markdown` and :func:`safe_echo` make typed text plain inside the bot's
own sentences, and :func:`show_member_text` shows member prose with its formatting but with
``[text](url)`` rendered literally, so a link is only ever its plain URL (no masked links).
"""

from __future__ import annotations

import re
import unicodedata

import regex

SAFE_AT = "\uff20"  # full-width at sign: Discord shows it but never resolves it as a mention
# Characters that render as nothing although Unicode files them as letters, symbols or marks.
BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")
# Control, format (zero width, ZWJ, bidi, soft hyphen, tags) and lone surrogates: never visible.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
# Private use and unassigned code points render differently on every device (or as boxes).
_HIDDEN_CATEGORIES = _INVISIBLE_CATEGORIES | {"Co", "Cn"}
# Emoji presentation selectors mean something only right after an emoji.
_PRESENTATION = frozenset("\ufe0e\ufe0f")
_LINE_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"})
_BLANK_LINES = re.compile(r"\n{3,}")

# One emoji (UTS #51): a flag with tag characters, a keycap, a pair of regional indicators, or a
# pictograph with its presentation selector or skin tone. The flag comes first: 🏴 alone is also
# a pictograph, and the tags after it must stay with it.
_EMOJI_ELEMENT = (
    "(?:\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
    "|[0-9#*]\ufe0f?\u20e3"
    "|[\U0001f1e6-\U0001f1ff]{2}"
    "|\\p{Extended_Pictographic}[\ufe0e\ufe0f]?\\p{Emoji_Modifier}?)"
)
# The regex module knows the Unicode emoji properties (re does not), so no table to keep.
EMOJI_SEQUENCE = regex.compile(f"{_EMOJI_ELEMENT}(?:\u200d{_EMOJI_ELEMENT})*")

# What Discord would resolve into a ping: @everyone, @here, <@id>, <@!id>, <@&id>.
PING_PATTERN = re.compile(r"@(everyone|here)|<@[!&]?\d+>", re.IGNORECASE)
_MASS_MENTION = re.compile(r"@(?=everyone|here)", re.IGNORECASE)
# Discord Markdown, plus ``<`` (mentions, channels, timestamps, custom emoji) and ``#`` (headings).
_MARKDOWN = re.compile(r"([\\*_~|`>\[\]<#])")
# A bracket with an even number (0, 2, …) of backslashes before it is live link syntax.
_LINK_BRACKET = re.compile(r"(\\*)([\[\]])")
ECHO_MAX = 40
_ECHO_INPUT_CAP = 1_000  # more than any echo shows; bounds the work on hostile input


# -- which characters hide -------------------------------------------------------------------


def is_invisible(char: str) -> bool:
    """Zero width: control and format characters (ZWJ, bidi, soft hyphen) and lone surrogates."""
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES


def is_blank(char: str) -> bool:
    """A letter or symbol that renders as empty space (Hangul fillers, the braille blank)."""
    return char in BLANK


def is_hidden(char: str) -> bool:
    """Anything a reader could not see or could not rely on seeing (not whitespace)."""
    return (
        char in BLANK or char in _PRESENTATION or unicodedata.category(char) in _HIDDEN_CATEGORIES
    )


def describe(char: str) -> str:
    """A character as a person can read it in a message: “x”, or U+XXXX if it would not show."""
    shows = char.isprintable() and not is_blank(char)
    if shows and not unicodedata.category(char).startswith(("Z", "M", "C")):
        return f"“{char}”"
    return f"U+{ord(char):04X}"


# -- names and free text coming in -----------------------------------------------------------


def one_line(text: str) -> str:
    """Every whitespace a single space, invisible characters dropped, ends trimmed."""
    kept = (" " if c.isspace() else c for c in text if c.isspace() or not is_invisible(c))
    return " ".join("".join(kept).split())


def clean_free_text(text: str) -> str:
    """Prose as its author wrote it, minus what hides, misleads or pings.

    NFC only (``m²``, ``½`` and ``™`` stay); emoji sequences stay whole; bidi controls,
    zero-width and blank characters outside them are dropped, as is a ZWJ between letters.
    Lines keep their breaks, spaces inside a line collapse, at most one blank line in a row.
    """
    visible = _without_hidden(text.replace("\r\n", "\n").translate(_LINE_BREAKS))
    lines = [" ".join(line.split()) for line in visible.split("\n")]
    tidy = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    # NFC last: dropping a character can leave a letter beside its combining accent.
    return neutralise_mentions(unicodedata.normalize("NFC", tidy))


def _without_hidden(text: str) -> str:
    """Hidden characters dropped, except inside emoji sequences where they join or select."""
    parts: list[str] = []
    start = 0
    for emoji in EMOJI_SEQUENCE.finditer(text):
        parts.append(_drop_hidden(text[start : emoji.start()]))
        parts.append(emoji.group())
        start = emoji.end()
    parts.append(_drop_hidden(text[start:]))
    return "".join(parts)


def _drop_hidden(text: str) -> str:
    return "".join(c for c in text if c == "\n" or c.isspace() or not is_hidden(c))


# -- mentions ----------------------------------------------------------------------------------


def neutralise_mentions(text: str) -> str:
    """``@everyone``, ``@here``, ``<@id>``, ``<@!id>``, ``<@&id>`` readable but never resolved."""
    # The three id forms all start with ``<@``.
    return _MASS_MENTION.sub(SAFE_AT, text).replace("<@", "<" + SAFE_AT)


def as_typed(text: str) -> str:
    """Stored (neutralised) text back as the member typed it, for an attached file only: a file
    is never parsed for mentions, and a full-width ＠ there would just be a mangled address."""
    return text.replace(SAFE_AT, "@")


def could_ping(text: str) -> bool:
    """True if Discord could turn ``text`` into a mention (used by tests and assertions)."""
    return PING_PATTERN.search(text) is not None


# -- text going out ----------------------------------------------------------------------------


def escape_markdown(text: str) -> str:
    """Every Markdown character backslash-escaped: the text renders exactly as typed."""
    return _MARKDOWN.sub(r"\\\1", text)


def escape_links(text: str) -> str:
    """``[text](url)`` rendered literally, so no link can hide behind other words.

    Each bracket gets an odd number of backslashes in front (an escaped bracket); already
    escaped ones are left alone, so applying this twice changes nothing. Bare URLs still link.
    """
    return _LINK_BRACKET.sub(_escape_bracket, text)


def _escape_bracket(match: re.Match[str]) -> str:
    backslashes, bracket = match.groups()
    return backslashes + ("" if len(backslashes) % 2 else "\\") + bracket


def show_member_text(text: str) -> str:
    """Member prose for an embed or message: formatting kept, links plain, mentions inert.

    Applied when showing, so rows stored before a rule existed are shown safely too.
    """
    return escape_links(neutralise_mentions(text))


def safe_echo(text: str, limit: int = ECHO_MAX, *, fallback: str = "that") -> str:
    """What someone typed, to repeat it back: one line, visible, plain, at most ``limit`` long.

    Emoji stay whole; Markdown is escaped after shortening, so a cut never leaves a loose
    backslash. ``fallback`` when nothing visible is left (only invisible characters typed).
    """
    visible = " ".join(
        _without_hidden(unicodedata.normalize("NFC", text[:_ECHO_INPUT_CAP])).split()
    )
    return escape_markdown(neutralise_mentions(_shorten(visible, limit))) or fallback


def _shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, ending in … when cut; never inside an emoji sequence."""
    if len(text) <= limit:
        return text
    cut = limit - 1
    for emoji in EMOJI_SEQUENCE.finditer(text):
        if emoji.start() >= cut:
            break
        if emoji.end() > cut:
            cut = emoji.start()  # half a sequence would leave a stray joiner or selector
            break
    return text[:cut].rstrip() + "…"


# -- counts ------------------------------------------------------------------------------------


def plural(count: int, word: str, plural: str | None = None) -> str:
    """``1 tag``, ``2 tags``, ``0 members``; pass ``plural`` when adding an s is wrong."""
    return f"{count} {word if count == 1 else plural or word + 's'}"

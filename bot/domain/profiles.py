"""Member profiles: free text that is safe to store and show, and who may see it.

Stored text can never ping: control, zero-width and bidi characters are dropped, and
``@everyone``/``@here`` and user and role mention syntax are neutralised with a
full-width at sign (U+FF20), which Discord renders but never resolves. Allowed mentions are off
client-wide as well; this is the second lock.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.domain.errors import InvalidInput, NotFound

ABOUT_LIMIT = 300
LOOKING_FOR_LIMIT = 200
_SAFE_AT = "\uff20"
_INPUT_CAP = 20_000
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")  # render as nothing
# What Discord would resolve into a ping or a link to an entity.
_MASS_MENTION = re.compile(r"@(?=everyone|here)", re.IGNORECASE)
PING_PATTERN = re.compile(r"@(everyone|here)|<@[!&]?\d+>", re.IGNORECASE)


def clean_profile_text(text: str | None, *, limit: int, label: str) -> str | None:
    """The stored form of a profile field (None when empty), or InvalidInput saying why."""
    if text is None:
        return None
    if len(text) > _INPUT_CAP:
        raise InvalidInput(f"{label} can be at most {limit} characters.")
    cleaned = _neutralise(_visible(unicodedata.normalize("NFKC", text)))
    if len(cleaned) > limit:
        raise InvalidInput(
            f"{label} can be at most {limit} characters (that has {len(cleaned)}). "
            "Please shorten it."
        )
    return cleaned or None


def _visible(text: str) -> str:
    """Drop invisible characters; keep single newlines and at most one blank line in a row."""
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\n\r\u2028\u2029\x85":
            kept.append("\n")
        elif char.isspace():
            kept.append(" ")
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn") or char in _BLANK:
            continue
        else:
            kept.append(char)
    lines = [" ".join(line.split()) for line in "".join(kept).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _neutralise(text: str) -> str:
    # ``<@id>``, ``<@!id>`` and ``<@&id>`` all start with ``<@``.
    return _MASS_MENTION.sub(_SAFE_AT, text).replace("<@", "<" + _SAFE_AT)


def could_ping(text: str) -> bool:
    """True if Discord could turn ``text`` into a mention (used by tests and assertions)."""
    return PING_PATTERN.search(text) is not None


@dataclass(frozen=True)
class Profile:
    about: str | None = None
    looking_for: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.about or self.looking_for)


class ProfileUnavailable(NotFound):
    """One neutral answer whether the member is hidden or simply has no profile."""

    def __init__(self) -> None:
        super().__init__(
            "There is no profile to show for that member. Members choose whether others can "
            "see their profile."
        )


def may_view_profile(viewer_id: int, subject_id: int, *, discoverable: bool) -> bool:
    """Consent: a profile is visible to its owner, and to others only while discoverable."""
    return viewer_id == subject_id or discoverable

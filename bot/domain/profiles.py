"""Member profiles: free text that is safe to store and show, and who may see it.

Profile text is kept as its author wrote it (see :func:`bot.domain.text.clean_free_text`):
NFC only, emoji sequences whole; bidi, zero-width and blank characters dropped; ``@everyone``,
``@here`` and user and role mention syntax neutralised with a full-width at sign, which Discord
renders but never resolves. Allowed mentions are off client-wide as well; this is the second
lock. Links are made plain when shown (:func:`bot.domain.text.show_member_text`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import InvalidInput, NotFound
from bot.domain.text import PING_PATTERN, clean_free_text, could_ping

__all__ = [
    "ABOUT_LIMIT",
    "CONTACT_LIMIT",
    "LOOKING_FOR_LIMIT",
    "PING_PATTERN",
    "Profile",
    "ProfileUnavailable",
    "clean_profile_text",
    "could_ping",
    "may_view_profile",
]

ABOUT_LIMIT = 300
LOOKING_FOR_LIMIT = 200
CONTACT_LIMIT = 200
_INPUT_CAP = 20_000


def clean_profile_text(text: str | None, *, limit: int, label: str) -> str | None:
    """The stored form of a profile field (None when empty), or InvalidInput saying why."""
    if text is None:
        return None
    if len(text) > _INPUT_CAP:
        raise InvalidInput(f"{label} can be at most {limit} characters.")
    cleaned = clean_free_text(text)
    if len(cleaned) > limit:
        raise InvalidInput(
            f"{label} can be at most {limit} characters (that has {len(cleaned)}). "
            "Please shorten it."
        )
    return cleaned or None


@dataclass(frozen=True)
class Profile:
    about: str | None = None
    looking_for: str | None = None
    # "How to reach me": shared only with people the member agreed to meet, never listed.
    contact: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.about or self.looking_for or self.contact)


class ProfileUnavailable(NotFound):
    """One neutral answer whether the member is hidden or simply has no profile."""

    def __init__(self) -> None:
        super().__init__(
            "There is no profile to show for that member. Members choose whether others can "
            "see their profile."
        )


def may_view_profile(
    viewer_id: int, subject_id: int, *, discoverable: bool, blocked: bool = False
) -> bool:
    """Consent: a profile is visible to its owner, and to others only while discoverable and
    with no block between them either way (the same answer, so a block is never revealed)."""
    return viewer_id == subject_id or (discoverable and not blocked)

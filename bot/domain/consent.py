"""The consent rule, one rule for every feature (PRODUCT.md "Consent rules").

Nobody is listed, suggested, introduced, DMed by the bot or matched unless they are
discoverable in that server, not snoozed at that moment, and no block stands between them and
the viewer, in either direction. Features add their own exclusions on top (already introduced,
a request pending between the two), never fewer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Standing:
    """What the consent rule needs to know about one member in one server."""

    user_id: int
    discoverable: bool
    snoozed_until: datetime | None = None

    def snoozed(self, at: datetime) -> bool:
        return self.snoozed_until is not None and at < self.snoozed_until

    def visible(self, at: datetime) -> bool:
        """Discoverable and not snoozed: may appear to anyone they have not blocked."""
        return self.discoverable and not self.snoozed(at)


def blocked_between(a: int, b: int, blocks: Collection[tuple[int, int]]) -> bool:
    """True if either has blocked the other (``blocks`` holds (blocker, blocked) pairs)."""
    return (a, b) in blocks or (b, a) in blocks


def may_surface(
    viewer_id: int,
    member: Standing,
    *,
    at: datetime,
    blocks: Collection[tuple[int, int]],
    excluded: Collection[int] = (),
) -> bool:
    """May ``member`` be shown to (or offered to, or asked by) ``viewer_id`` at ``at``?"""
    return (
        member.user_id != viewer_id
        and member.user_id not in excluded
        and member.visible(at)
        and not blocked_between(viewer_id, member.user_id, blocks)
    )

"""What the member directory tells its subscribers (in-memory indexes) after a commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TagsChanged:
    """A member's own tags changed (added, removed or set through the picker)."""

    guild_id: int
    user_id: int
    tag_ids: frozenset[int] = frozenset()  # what they hold now


@dataclass(frozen=True)
class DiscoverabilityChanged:
    guild_id: int
    user_id: int
    discoverable: bool


@dataclass(frozen=True)
class SnoozeChanged:
    guild_id: int
    user_id: int
    until: datetime | None


@dataclass(frozen=True)
class BlockChanged:
    guild_id: int
    blocker_id: int
    blocked_id: int
    blocked: bool  # False when lifted


@dataclass(frozen=True)
class NameChanged:
    """How the member appears changed (learnt from an interaction)."""

    guild_id: int
    user_id: int
    name: str


@dataclass(frozen=True)
class MemberDeleted:
    """Everything about the member in this server was deleted."""

    guild_id: int
    user_id: int


@dataclass(frozen=True)
class VocabularyChanged:
    """Tags were added, renamed, merged or removed: members may have lost or gained tags."""

    guild_id: int


MemberEvent = (
    TagsChanged
    | DiscoverabilityChanged
    | SnoozeChanged
    | BlockChanged
    | NameChanged
    | MemberDeleted
    | VocabularyChanged
)

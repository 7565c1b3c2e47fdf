"""Who hears of a mentor request: the best-matching mentors with room, least-loaded first.

Pure: the service gathers each mentor's standing (the consent rule), load and topics, and this
module decides. Every wave tells at most :data:`WAVE_SIZE` mentors nobody told before; a mentor
marked excluded for the request (a past poor fit, a withdrawn consent) is never told again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.consent import Standing, may_surface

WAVE_SIZE = 3
NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Candidate:
    """One mentor as routing sees them, for one request."""

    standing: Standing
    capacity: int
    active: int  # matches opening or active: mentees they have now
    topics: frozenset[int]  # tags they mentor (their chosen topics, else all their tags)
    paused: bool = False
    waiting: int = 0  # open requests they were told of and nobody claimed yet
    last_told: datetime | None = None  # when they were last told of any request

    @property
    def user_id(self) -> int:
        return self.standing.user_id

    @property
    def has_room(self) -> bool:
        return not self.paused and self.active < self.capacity

    @property
    def load_key(self) -> tuple[float, int, int, datetime, int]:
        """Least loaded first: share of capacity in use, then mentees, then open requests
        already offered to them, then whoever was told least recently (so one mentor is not
        told everything), then a stable order."""
        told = self.last_told or NEVER
        return (self.active / self.capacity, self.active, self.waiting, told, self.user_id)


def eligible(
    candidate: Candidate,
    *,
    mentee_id: int,
    tag_id: int,
    at: datetime,
    blocks: Collection[tuple[int, int]],
    told: Collection[int],
) -> bool:
    """May this mentor be told of (and claim) this request now? The consent rule, plus room,
    the topic, and nobody told twice."""
    return (
        tag_id in candidate.topics
        and candidate.has_room
        and may_surface(mentee_id, candidate.standing, at=at, blocks=blocks, excluded=told)
    )


def choose_mentors(
    candidates: Iterable[Candidate],
    *,
    mentee_id: int,
    tag_id: int,
    at: datetime,
    blocks: Collection[tuple[int, int]],
    told: Collection[int],
    limit: int = WAVE_SIZE,
) -> list[int]:
    """The next mentors to tell, least loaded first, at most ``limit``."""
    chosen = sorted(
        (
            c
            for c in candidates
            if eligible(c, mentee_id=mentee_id, tag_id=tag_id, at=at, blocks=blocks, told=told)
        ),
        key=lambda c: c.load_key,
    )
    return [c.user_id for c in chosen[:limit]]


def mentor_topics(chosen: frozenset[int], held: frozenset[int]) -> frozenset[int]:
    """What a mentor mentors: the topics they picked that they still hold, else all their tags
    (a picked tag merged away or removed must not leave a mentor silently mentoring nothing)."""
    return (chosen & held) or held

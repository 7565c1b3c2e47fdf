"""Routing order and fairness, property-based: nobody over capacity, least-loaded first, the
consent rule respected, nobody told twice, never more than a wave."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.consent import Standing, blocked_between
from bot.domain.mentorship.routing import (
    WAVE_SIZE,
    Candidate,
    choose_mentors,
    eligible,
    mentor_topics,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)
MENTEE, TAG = 1, 10


@st.composite
def candidates(draw: st.DrawFn) -> list[Candidate]:
    ids = draw(st.lists(st.integers(2, 60), unique=True, max_size=25))
    found = []
    for user_id in ids:
        capacity = draw(st.integers(1, 5))
        snoozed = draw(st.sampled_from([None, NOW - timedelta(days=1), NOW + timedelta(days=1)]))
        found.append(
            Candidate(
                standing=Standing(user_id, draw(st.booleans()), snoozed),
                capacity=capacity,
                active=draw(st.integers(0, capacity + 1)),
                topics=frozenset(draw(st.sets(st.sampled_from([TAG, 11, 12]), max_size=3))),
                paused=draw(st.booleans()),
                waiting=draw(st.integers(0, 4)),
                last_told=draw(st.sampled_from([None, NOW - timedelta(days=2), NOW])),
            )
        )
    return found


blocks_st = st.sets(st.tuples(st.integers(1, 60), st.integers(1, 60)), max_size=20)
told_st = st.sets(st.integers(2, 60), max_size=10)


@given(candidates(), blocks_st, told_st)
def test_routing_rules(pool: list[Candidate], blocks: set[tuple[int, int]], told: set[int]) -> None:
    chosen = choose_mentors(pool, mentee_id=MENTEE, tag_id=TAG, at=NOW, blocks=blocks, told=told)
    by_id = {c.user_id: c for c in pool}
    assert len(chosen) <= WAVE_SIZE
    assert len(set(chosen)) == len(chosen)
    for user_id in chosen:
        c = by_id[user_id]
        assert c.active < c.capacity  # nobody over capacity
        assert not c.paused
        assert TAG in c.topics
        assert c.standing.discoverable  # consent: discoverable, not snoozed, no block
        assert not c.standing.snoozed(NOW)
        assert not blocked_between(MENTEE, user_id, blocks)
        assert user_id not in told  # nobody told twice
        assert user_id != MENTEE
    keys = [by_id[u].load_key for u in chosen]
    assert keys == sorted(keys)  # least loaded first
    passed_over = [
        c
        for c in pool
        if c.user_id not in chosen
        and eligible(c, mentee_id=MENTEE, tag_id=TAG, at=NOW, blocks=blocks, told=told)
    ]
    if passed_over:
        assert len(chosen) == WAVE_SIZE  # someone eligible is left out only when the wave is full
        assert all(c.load_key >= keys[-1] for c in passed_over)


@given(candidates())
def test_a_simulated_stream_of_claims_never_overfills_anyone(pool: list[Candidate]) -> None:
    """Tell a wave, the first told claims, repeat: capacity holds for everyone throughout."""
    live = {c.user_id: c for c in pool if c.active <= c.capacity}
    for _ in range(30):
        chosen = choose_mentors(
            live.values(), mentee_id=MENTEE, tag_id=TAG, at=NOW, blocks=set(), told=set()
        )
        if not chosen:
            break
        winner = live[chosen[0]]
        live[winner.user_id] = Candidate(
            winner.standing,
            winner.capacity,
            winner.active + 1,
            winner.topics,
            winner.paused,
            winner.waiting,
            NOW,
        )
        assert all(c.active <= c.capacity for c in live.values())


def test_less_loaded_and_less_recently_told_go_first() -> None:
    def mentor(user_id: int, active: int, capacity: int = 2, **extra: object) -> Candidate:
        return Candidate(Standing(user_id, True), capacity, active, frozenset({TAG}), **extra)  # type: ignore[arg-type]

    pool = [
        mentor(5, 1),
        mentor(6, 0, last_told=NOW),
        mentor(7, 0),
        mentor(8, 0, waiting=2),
        mentor(9, 2),  # full
    ]
    assert choose_mentors(pool, mentee_id=MENTEE, tag_id=TAG, at=NOW, blocks=(), told=()) == [
        7,
        6,
        8,
    ]


def test_topics_are_the_chosen_tags_still_held_or_all_tags() -> None:
    assert mentor_topics(frozenset(), frozenset({1, 2})) == {1, 2}
    assert mentor_topics(frozenset({2, 3}), frozenset({1, 2})) == {2}
    assert mentor_topics(frozenset({3}), frozenset({1, 2})) == {1, 2}  # the pick was merged away

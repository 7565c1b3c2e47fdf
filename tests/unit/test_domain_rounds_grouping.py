"""Intro-round grouping (bot/domain/rounds/grouping.py), property-based.

For random communities (random tags, blocks, history, odd and even counts): everyone eligible is
in exactly one group or reported with a reason; no forbidden pair is ever grouped; sizes are as
configured; on small inputs the matching step's weight is the brute-force optimum.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.rounds.grouping import (
    Participant,
    Unplaced,
    best_pairs,
    group_members,
    pair,
)

TAGS = range(1, 7)


@st.composite
def communities(draw: st.DrawFn, max_members: int = 12) -> tuple:
    n = draw(st.integers(1, max_members))
    ids = list(range(1, n + 1))
    members = [
        Participant(u, frozenset(draw(st.sets(st.sampled_from(TAGS), max_size=4)))) for u in ids
    ]
    weights = {t: float(draw(st.integers(1, 8))) for t in TAGS}
    all_pairs = [pair(a, b) for a, b in itertools.combinations(ids, 2)]
    forbidden = (
        draw(st.sets(st.sampled_from(all_pairs), max_size=len(all_pairs))) if all_pairs else set()
    )
    return members, weights, forbidden


def weight(groups: Sequence[Sequence[int]], members: Sequence[Participant], weights: dict) -> float:
    tags = {m.user_id: m.tags for m in members}
    return sum(
        weights[t]
        for g in groups
        for a, b in itertools.combinations(g, 2)
        for t in tags[a] & tags[b]
    )


@settings(max_examples=300, deadline=None)
@given(communities(), st.sampled_from([2, 3]), st.integers(0, 10**6))
def test_everyone_is_grouped_once_or_told_why_and_no_forbidden_pair(
    community: tuple, size: int, seed: int
) -> None:
    members, weights, forbidden = community
    result = group_members(members, weights, forbidden, group_size=size, seed=seed)
    placed = [u for g in result.groups for u in g]
    assert len(placed) == len(set(placed))
    assert set(placed) | set(result.unplaced) == {m.user_id for m in members}
    assert not set(placed) & set(result.unplaced)
    for group in result.groups:
        assert all(pair(a, b) not in forbidden for a, b in itertools.combinations(group, 2))
        assert len(group) in ((2, 3) if size == 2 else (2, 3, 4))
    ids = [m.user_id for m in members]
    for user_id, reason in result.unplaced.items():
        alone = len(ids) == 1
        met_everyone = all(pair(user_id, o) in forbidden for o in ids if o != user_id)
        assert (reason is Unplaced.ALONE) == alone
        assert (reason is Unplaced.MET_EVERYONE) == (met_everyone and not alone)
    assert result.weight == weight(result.groups, members, weights)


@settings(max_examples=200, deadline=None)
@given(communities(), st.sampled_from([2, 3]), st.integers(0, 1000))
def test_without_forbidden_pairs_sizes_are_exactly_as_configured(
    community: tuple, size: int, seed: int
) -> None:
    members, weights, _ = community
    n = len(members)
    result = group_members(members, weights, (), group_size=size, seed=seed)
    sizes = sorted(len(g) for g in result.groups)
    if n == 1:
        assert result.unplaced == {1: Unplaced.ALONE}
        return
    assert not result.unplaced
    if size == 2:
        assert sizes.count(3) == n % 2
        assert set(sizes) <= {2, 3}
    elif n >= 3:
        expected = {0: [], 1: [4], 2: [2]}[n % 3]
        assert sorted(s for s in sizes if s != 3) == expected


def brute_force(members: Sequence[Participant], weights: dict, forbidden: set) -> tuple[int, float]:
    """(most pairs, heaviest weight with that many pairs) over every matching."""
    tags = {m.user_id: m.tags for m in members}

    def w(a: int, b: int) -> float:
        return sum(weights[t] for t in tags[a] & tags[b])

    def best(left: tuple[int, ...]) -> tuple[int, float]:
        if len(left) < 2:
            return 0, 0.0
        first, rest = left[0], left[1:]
        options = [best(rest)]  # first stays alone
        for i, other in enumerate(rest):
            if pair(first, other) not in forbidden:
                count, total = best(rest[:i] + rest[i + 1 :])
                options.append((count + 1, total + w(first, other)))
        return max(options)

    return best(tuple(m.user_id for m in members))


@settings(max_examples=300, deadline=None)
@given(communities(max_members=9), st.integers(0, 1000))
def test_on_small_inputs_the_pairs_weigh_the_brute_force_optimum(
    community: tuple, seed: int
) -> None:
    members, weights, forbidden = community
    pairs = best_pairs(members, weights, forbidden, seed=seed)
    count, total = brute_force(members, weights, forbidden)
    assert len(pairs) == count
    assert weight(pairs, members, weights) == total


def test_the_seed_breaks_ties_and_the_same_seed_gives_the_same_groups() -> None:
    members = [Participant(u, frozenset({1})) for u in range(1, 11)]
    runs = {group_members(members, {1: 1.0}, (), seed=s).groups for s in range(20)}
    assert len(runs) > 1
    assert group_members(members, {1: 1.0}, (), seed=7) == group_members(
        members, {1: 1.0}, (), seed=7
    )


def test_rarer_shared_tags_win() -> None:
    rare, common = 1, 2
    members = [
        Participant(1, frozenset({rare, common})),
        Participant(2, frozenset({rare})),
        Participant(3, frozenset({common})),
        Participant(4, frozenset({common})),
    ]
    result = group_members(members, {rare: 3.0, common: 0.5}, ())
    assert (1, 2) in result.groups


def test_a_simulated_year_of_biweekly_rounds_on_60_members(capsys) -> None:  # type: ignore[no-untyped-def]
    """26 rounds, a cooldown of 6 rounds, a few blocks: no pair repeats inside the cooldown,
    no blocked pair, nobody left out without a reason. Prints the fewest-met member's count."""
    import random

    rng = random.Random(60)
    ids = list(range(1, 61))
    members = [Participant(u, frozenset(rng.sample(range(1, 41), 6))) for u in ids]
    weights = {t: 1.0 + (t % 5) for t in range(1, 41)}
    blocks = {pair(*rng.sample(ids, 2)) for _ in range(15)}
    cooldown, history = 6, []  # history: the pairs of each past round
    partners: dict[int, set[int]] = {u: set() for u in ids}
    for number in range(26):
        recent = {p for past in history[-cooldown:] for p in past}
        met = {p for past in history for p in past}
        result = group_members(members, weights, blocks | recent, seed=number, met_before=met)
        this_round = {pair(a, b) for g in result.groups for a, b in itertools.combinations(g, 2)}
        assert not this_round & recent
        assert not this_round & blocks
        assert set(result.unplaced) | {u for g in result.groups for u in g} == set(ids)
        for g in result.groups:
            for a, b in itertools.combinations(g, 2):
                partners[a].add(b)
                partners[b].add(a)
        history.append(this_round)
    fewest = min(len(p) for p in partners.values())
    with capsys.disabled():
        print(f"\nrounds year: 60 members, 26 biweekly rounds, fewest distinct partners {fewest}")
    assert fewest >= 20


def test_the_large_path_keeps_every_rule() -> None:
    """Above 400 members (Louvain parts and 2-opt): still everyone once, no forbidden pair."""
    import random

    rng = random.Random(500)
    ids = list(range(1, 502))  # odd
    members = [Participant(u, frozenset(rng.sample(range(1, 60), 8))) for u in ids]
    weights = {t: 1.0 + t % 7 for t in range(1, 60)}
    forbidden = {pair(*rng.sample(ids, 2)) for _ in range(3000)}
    result = group_members(members, weights, forbidden, seed=3)
    placed = [u for g in result.groups for u in g]
    assert len(placed) == len(set(placed))
    assert set(placed) | set(result.unplaced) == set(ids)
    assert not result.unplaced
    for group in result.groups:
        assert len(group) in (2, 3)
        assert all(pair(a, b) not in forbidden for a, b in itertools.combinations(group, 2))
    assert [len(g) for g in result.groups].count(3) == 1

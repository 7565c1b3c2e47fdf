"""Grouping one intro round (PRODUCT.md "Intro rounds"): pure, seeded, and nobody left out silently.

Input: the eligible members (the caller applied the consent rule and the round's own filters),
their tags, each tag's weight (the ranking index's IDF weights: rarer tags weigh more), and the
pairs that must never be grouped (blocks, pairs grouped in the schedule's last N rounds, pairs
already introduced). Output: groups, and every member who could not be placed with the reason.

How (sizes of 2, one trio for an odd count):
1. Up to 60 members, every allowed pair is an edge. Above that, the graph is thinned: each
   member's best ``K`` partners by shared-tag weight, found with a :class:`RankingIndex` of the
   participants (bitset ranking, fast), forbidden partners and earlier partners excluded, topped
   up with random allowed partners for members who share little; about ``n·K`` edges.
2. networkx's blossom (``max_weight_matching(maxcardinality=True)``) on that graph: as many pairs
   as it allows, and among those the heaviest. Above 400 members blossom in pure Python is too
   slow for the whole graph (2,000: ~20 s), so it runs on each Louvain community of the thinned
   graph and a 2-opt pass then mends pairs across communities (bench/README.md has the figures).
3. Members still unmatched are matched among themselves on every allowed pair.
4. Whoever is still alone joins the pair where they add the most weight (a trio), if allowed with
   both; otherwise they are ungroupable, with the reason.

Pairs met in an earlier round (outside the cooldown, which is a hard rule) stay allowed but
count for little (``REPEAT_FACTOR``), so new people come first.

Groups of 3: the heaviest matching's pairs seed ``n // 3`` groups and every other member is
assigned to one seed (a max-weight bipartite matching), allowed with both seed members. A
remainder of two makes a pair; a remainder of one joins a trio (a group of four).

Ties: the members are shuffled by the seeded random before the graph is built, so which of two
equal groupings wins depends on the seed only (blossom's result follows insertion order).
"""

from __future__ import annotations

import enum
import itertools
import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import networkx as nx

from bot.domain.ranking import RankingIndex

DEFAULT_CANDIDATES = 10  # K: each member's best partners kept in the thinned graph
# Above this many members, blossom on the whole thinned graph is too slow in pure Python
# (2,000 members: ~20 s): it runs on the graph's communities (Louvain), each member keeps fewer
# candidates, and a 2-opt pass mends pairs across communities. Figures in bench/README.md.
EXACT_UP_TO = 400
WHOLE_GRAPH_UP_TO = 60  # up to here every allowed pair is an edge: the exact optimum
# Measured at 2,000 (bench_rounds.py): K = 4 gives larger communities and the best weight
# (0.974 of the thinned exact optimum; K = 6: 0.966, K = 10: 0.956) at 1.5 s CPU; K = 3 gives
# 0.983 at twice the time. A second partition pass adds about 0.1 % for 40 % more time.
LARGE_CANDIDATES = 4
IMPROVE_PASSES = 10
PARTITION_PASSES = 1
# A pair met in an earlier round (outside the cooldown) may meet again, but new people come
# first: its weight counts a tenth, less half a pair (every edge weighs 1 + weight, see _edge).
REPEAT_FACTOR, REPEAT_COST = 0.1, 0.5
_FAR_FUTURE = datetime(2000, 1, 1, tzinfo=UTC)  # the index's query instant (nobody snoozed)

Pair = frozenset[int]


class Allowed:
    """The hard rules: may two members be grouped? (Not the same person, no forbidden pair.)"""

    def __init__(self, forbidden: Collection[Pair]) -> None:
        self.banned = {p for p in forbidden if len(p) == 2}
        self.partners: dict[int, set[int]] = {}
        for a, b in (tuple(p) for p in self.banned):
            self.partners.setdefault(a, set()).add(b)
            self.partners.setdefault(b, set()).add(a)

    def __call__(self, a: int, b: int) -> bool:
        return a != b and pair(a, b) not in self.banned


class Unplaced(enum.StrEnum):
    ALONE = "alone"  # the only eligible member of this round
    MET_EVERYONE = "met_everyone"  # every other member is excluded (recent, introduced, blocked)
    NO_ROOM = "no_room"  # partners exist, but they were all needed elsewhere


REASON_TEXT = {
    Unplaced.ALONE: "you were the only one taking part in this round",
    Unplaced.MET_EVERYONE: (
        "everyone else taking part this time is someone you were grouped with recently or "
        "have already been introduced to"
    ),
    Unplaced.NO_ROOM: (
        "the few people you haven't met yet were already grouped with others this time"
    ),
}


@dataclass(frozen=True)
class Participant:
    user_id: int
    tags: frozenset[int]


@dataclass(frozen=True)
class Grouping:
    groups: tuple[tuple[int, ...], ...]  # each sorted by user id
    unplaced: Mapping[int, Unplaced]
    weight: float  # the sum over every pair inside a group of its shared-tag weight


def pair(a: int, b: int) -> Pair:
    return frozenset((a, b))


class _Weights:
    """Shared-tag weight of a pair; what the matching maximises discounts pairs met before."""

    def __init__(
        self,
        members: Sequence[Participant],
        weights: Mapping[int, float],
        met_before: Collection[Pair] = (),
    ) -> None:
        self.tags = {m.user_id: m.tags for m in members}
        self.weights = weights
        self.met_before = set(met_before)
        self._cache: dict[tuple[int, int], float] = {}

    def shared(self, a: int, b: int) -> float:
        key = (a, b) if a < b else (b, a)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = sum(
                self.weights.get(t, 0.0) for t in self.tags[a] & self.tags[b]
            )
        return found

    def __call__(self, a: int, b: int) -> float:
        weight = self.shared(a, b)
        if self.met_before and pair(a, b) in self.met_before:
            return REPEAT_FACTOR * weight - REPEAT_COST
        return weight

    def of_group(self, group: Iterable[int]) -> float:
        return sum(self.shared(a, b) for a, b in itertools.combinations(group, 2))


def group_members(
    members: Sequence[Participant],
    weights: Mapping[int, float],
    forbidden: Collection[Pair],
    *,
    group_size: int = 2,
    seed: int | str = 0,
    candidates: int = DEFAULT_CANDIDATES,
    met_before: Collection[Pair] = (),
) -> Grouping:
    """Group ``members`` (see the module docstring); deterministic for a given ``seed``.
    ``forbidden`` pairs are never grouped; ``met_before`` pairs only when nothing better fits."""
    if group_size not in (2, 3):
        raise ValueError("group_size must be 2 or 3")
    rng = random.Random(f"rounds:{seed}")
    people = sorted({m.user_id: m for m in members}.values(), key=lambda m: m.user_id)
    rng.shuffle(people)
    ids = [m.user_id for m in people]
    score = _Weights(people, weights, met_before)
    allowed = Allowed(forbidden)
    pairs = _pairs(people, score, allowed, candidates)
    if group_size == 2:
        paired = {u for p in pairs for u in p}
        groups, alone = _attach(pairs, [u for u in ids if u not in paired], score, allowed)
    else:
        groups, alone = _trios(ids, pairs, score, allowed)
    unplaced = {u: _reason(u, ids, allowed) for u in alone}
    ordered = tuple(sorted(tuple(sorted(g)) for g in groups))
    return Grouping(ordered, unplaced, sum(score.of_group(g) for g in ordered))


def _reason(user_id: int, ids: Sequence[int], allowed: Allowed) -> Unplaced:
    if len(ids) == 1:
        return Unplaced.ALONE
    if not any(allowed(user_id, other) for other in ids):
        return Unplaced.MET_EVERYONE
    return Unplaced.NO_ROOM


def best_pairs(
    members: Sequence[Participant],
    weights: Mapping[int, float],
    forbidden: Collection[Pair],
    *,
    seed: int | str = 0,
    candidates: int = DEFAULT_CANDIDATES,
) -> list[tuple[int, ...]]:
    """Just the matching step: the pairs before anyone left alone joins one (tests use it)."""
    people = sorted({m.user_id: m for m in members}.values(), key=lambda m: m.user_id)
    random.Random(f"rounds:{seed}").shuffle(people)
    return _pairs(people, _Weights(people, weights), Allowed(forbidden), candidates)


def _pairs(
    people: Sequence[Participant],
    score: _Weights,
    allowed: Allowed,
    k: int,
) -> list[tuple[int, ...]]:
    """The heaviest matching with the most pairs we can afford to find (module docstring)."""
    if len(people) <= WHOLE_GRAPH_UP_TO:
        graph = _full_graph([m.user_id for m in people], score, allowed)
        pairs = _matching(graph)
    elif len(people) <= EXACT_UP_TO:
        graph = _thinned_graph(people, score, allowed, k)
        pairs = _matching(graph)
    else:
        graph = _thinned_graph(people, score, allowed, min(k, LARGE_CANDIDATES))
        pairs = []
        for seed in range(1, PARTITION_PASSES + 1):
            pairs = _by_parts(graph, pairs, seed)
    matched = {u for p in pairs for u in p}
    left = [m.user_id for m in people if m.user_id not in matched]
    pairs += _matching(_full_graph(left, score, allowed))
    if len(people) > EXACT_UP_TO:
        pairs = _improve(graph, pairs, score, allowed)
    return pairs


def _by_parts(graph: nx.Graph, pairs: list[tuple[int, ...]], seed: int) -> list[tuple[int, ...]]:
    """Blossom inside each Louvain community of the graph. Pairs across communities stay;
    everyone else in a community is matched again, exactly, so no community loses weight. Each
    pass cuts differently (its seed), so pairs split by one cut can be mended by the next."""
    parts = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    part_of = {u: number for number, part in enumerate(parts) for u in part}
    kept = [p for p in pairs if part_of[p[0]] != part_of[p[1]]]
    held = {u for p in kept for u in p}
    found = list(kept)
    for part in parts:
        # A copy, not a view: blossom reads edges millions of times, and views filter each read.
        found += _matching(graph.subgraph(part - held).copy())
    return found


def _improve(
    graph: nx.Graph, pairs: list[tuple[int, ...]], score: _Weights, allowed: Allowed
) -> list[tuple[int, ...]]:
    """2-opt: for each candidate edge (a, c) between pairs (a, b) and (c, d), regroup as
    (a, c) and (b, d) when that weighs more and is allowed; until nothing improves."""
    mate = {p[0]: p[1] for p in pairs} | {p[1]: p[0] for p in pairs}
    for _ in range(IMPROVE_PASSES):
        improved = False
        for a, c in graph.edges():
            b, d = mate.get(a), mate.get(c)
            if b is None or d is None or b == c or not allowed(b, d):
                continue
            if score(a, c) + score(b, d) > score(a, b) + score(c, d):
                mate.update({a: c, c: a, b: d, d: b})
                improved = True
        if not improved:
            break
    return sorted({tuple(sorted((a, b))) for a, b in mate.items()})


def _thinned_graph(
    people: Sequence[Participant], score: _Weights, allowed: Allowed, k: int
) -> nx.Graph:
    index = RankingIndex.build(((m.user_id, m.tags, True, None) for m in people), ())
    ids = [m.user_id for m in people]
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    met: dict[int, set[int]] = {}
    for a, b in (tuple(p) for p in score.met_before):
        met.setdefault(a, set()).add(b)
        met.setdefault(b, set()).add(a)
    for viewer in ids:
        excluded = allowed.partners.get(viewer, set()) | met.get(viewer, set())
        for match in index.suggest(viewer, at=_FAR_FUTURE, excluded=excluded, limit=k):
            graph.add_edge(viewer, match.user_id, weight=_edge(score(viewer, match.user_id)))
    # Someone sharing few tags with anyone still needs partners to be matched at all.
    rng = random.Random(len(ids))
    for viewer in ids:
        for other in rng.sample(ids, min(len(ids), 3 * k)):
            if graph.degree(viewer) >= k:
                break
            if allowed(viewer, other) and not graph.has_edge(viewer, other):
                graph.add_edge(viewer, other, weight=_edge(score(viewer, other)))
    return graph


def _edge(weight: float) -> float:
    # One more for every edge: blossom (maxcardinality) then maximises the shared weight among
    # the matchings with the most pairs, and a pair sharing nothing is still a pair.
    return 1.0 + weight


def _full_graph(ids: Sequence[int], score: _Weights, allowed: Allowed) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    for a, b in itertools.combinations(ids, 2):
        if allowed(a, b):
            graph.add_edge(a, b, weight=_edge(score(a, b)))
    return graph


def _matching(graph: nx.Graph) -> list[tuple[int, ...]]:
    if graph.number_of_edges() == 0:
        return []
    found = nx.max_weight_matching(graph, maxcardinality=True)
    return [tuple(sorted(p)) for p in sorted(found, key=lambda p: sorted(p))]


def _fits(member: int, group: Sequence[int], allowed: Allowed) -> bool:
    return all(allowed(member, other) for other in group)


def _attach(
    groups: list[tuple[int, ...]], alone: list[int], score: _Weights, allowed: Allowed
) -> tuple[list[tuple[int, ...]], list[int]]:
    """Each member still alone joins the group (of two first) where they add the most weight."""
    result = [list(g) for g in groups]
    still: list[int] = []
    for member in alone:
        options = [g for g in result if _fits(member, g, allowed)]
        if not options:
            still.append(member)
            continue
        best = max(options, key=lambda g: (-len(g), sum(score(member, o) for o in g)))
        best.append(member)
    return [tuple(g) for g in result], still


def _trios(
    ids: Sequence[int], pairs: list[tuple[int, ...]], score: _Weights, allowed: Allowed
) -> tuple[list[tuple[int, ...]], list[int]]:
    """Groups of three seeded by the heaviest pairs; see the module docstring."""
    seeds = sorted(pairs, key=lambda p: -score(*p))[: len(ids) // 3]
    seated = {u for p in seeds for u in p}
    rest = [u for u in ids if u not in seated]
    bipartite = nx.Graph()
    for member in rest:
        for number, seed_pair in enumerate(seeds):
            if _fits(member, seed_pair, allowed):
                weight = _edge(sum(score(member, o) for o in seed_pair))
                bipartite.add_edge(("m", member), ("s", number), weight=weight)
    groups = [list(p) for p in seeds]
    placed: set[int] = set()
    if bipartite.number_of_edges():
        for a, b in nx.max_weight_matching(bipartite, maxcardinality=True):
            member_node, seed_node = (a, b) if a[0] == "m" else (b, a)
            groups[seed_node[1]].append(member_node[1])
            placed.add(member_node[1])
    left = [u for u in rest if u not in placed]
    extra = _matching(_full_graph(left, score, allowed))
    groups += [list(p) for p in extra]
    alone = [u for u in left if not any(u in p for p in extra)]
    attached, still = _attach([tuple(g) for g in groups], alone, score, allowed)
    return attached, still

"""Intro-round grouping: time, and total weight against the exact maximum-weight matching.

A synthetic community: N participants, 12 tags each from 250 on a Zipf-like popularity, tag
weights the ranking index's (``quantised_weight``). For each size it prints:

- the time of ``group_members`` (median of 3 runs; the pairs step is what costs);
- the total shared-tag weight of its groups;
- the exact optimum where it finishes: networkx's blossom (``maxcardinality=True``) on the whole
  graph of allowed pairs (300: 44,850 edges). At 2,000 (1,999,000 edges) it is run in a child
  process with a time limit and reported as not finished; then the figures against are the
  exact matching of the K=10 thinned graph (a lower bound on the optimum) and an upper bound
  (each member's heaviest pair, halved and summed: no matching can weigh more).

Run: ``.venv/bin/python bench/bench_rounds.py [--quick]``.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence

import networkx as nx

from bot.domain.ranking import WEIGHT_SCALE, quantised_weight
from bot.domain.rounds import grouping
from bot.domain.rounds.grouping import Participant, group_members

TAGS, PER_MEMBER = 250, 12
EXACT_LIMIT_SECONDS = 300


def community(n: int, seed: int = 1) -> tuple[list[Participant], dict[int, float]]:
    rng = random.Random(seed)
    popularity = [1 / (rank + 1) for rank in range(TAGS)]
    members = []
    for user_id in range(1, n + 1):
        chosen: set[int] = set()
        while len(chosen) < PER_MEMBER:
            chosen.add(rng.choices(range(TAGS), popularity)[0])
        members.append(Participant(user_id, frozenset(chosen)))
    holders: dict[int, int] = {}
    for member in members:
        for tag in member.tags:
            holders[tag] = holders.get(tag, 0) + 1
    weights = {t: quantised_weight(n, h) / WEIGHT_SCALE for t, h in holders.items()}
    return members, weights


def shared(members: Sequence[Participant], weights: dict[int, float]):  # type: ignore[no-untyped-def]
    tags = {m.user_id: m.tags for m in members}
    return lambda a, b: sum(weights[t] for t in tags[a] & tags[b])


def exact_full(members: Sequence[Participant], weights: dict[int, float]) -> float:
    w = shared(members, weights)
    graph = nx.Graph()
    for a, b in itertools.combinations([m.user_id for m in members], 2):
        graph.add_edge(a, b, weight=1.0 + w(a, b))
    return sum(w(a, b) for a, b in nx.max_weight_matching(graph, maxcardinality=True))


def _exact_child(n: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    members, weights = community(n)
    out.put(exact_full(members, weights))


def exact_with_limit(n: int, seconds: float) -> float | None:
    out: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    child = multiprocessing.Process(target=_exact_child, args=(n, out))
    child.start()
    child.join(seconds)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    return float(out.get())


def exact_thinned(members: Sequence[Participant], weights: dict[int, float]) -> float:
    w = shared(members, weights)
    score = grouping._Weights(members, weights)
    graph = grouping._thinned_graph(members, score, grouping.Allowed(()), 10)
    return sum(w(a, b) for a, b in nx.max_weight_matching(graph, maxcardinality=True))


def upper_bound(members: Sequence[Participant], weights: dict[int, float]) -> float:
    w = shared(members, weights)
    ids = [m.user_id for m in members]
    best = dict.fromkeys(ids, 0.0)
    for a, b in itertools.combinations(ids, 2):
        weight = w(a, b)
        if weight > best[a]:
            best[a] = weight
        if weight > best[b]:
            best[b] = weight
    return sum(best.values()) / 2


def timed(
    members: Sequence[Participant], weights: dict[int, float], runs: int
) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of this process, weight): medians over ``runs`` seeds."""
    walls, cpus, totals = [], [], []
    for run in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        result = group_members(members, weights, (), seed=run)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        totals.append(result.weight)
        assert not result.unplaced
    return statistics.median(walls), statistics.median(cpus), statistics.median(totals)


def main() -> None:
    quick = "--quick" in sys.argv or os.environ.get("BENCH_QUICK") == "1"
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    for n in (300, 2000):
        members, weights = community(n)
        took, cpu, total = timed(members, weights, 1 if quick else 3)
        print(
            f"{n} participants: grouping {took:.2f} s wall, {cpu:.2f} s CPU (medians), "
            f"weight {total:.2f}"
        )
        if n <= 400:
            started = time.perf_counter()
            best = exact_full(members, weights)
            print(
                f"  exact (whole graph): {best:.2f} in {time.perf_counter() - started:.1f} s, "
                f"ratio {total / best:.4f}"
            )
            continue
        if quick:
            continue
        started = time.perf_counter()
        best = exact_with_limit(n, EXACT_LIMIT_SECONDS)
        if best is None:
            print(f"  exact (whole graph): did not finish in {EXACT_LIMIT_SECONDS} s")
        else:
            print(f"  exact (whole graph): {best:.2f}, ratio {total / best:.4f}")
        started = time.perf_counter()
        thinned = exact_thinned(members, weights)
        print(
            f"  exact on the K=10 thinned graph (lower bound): {thinned:.2f} in "
            f"{time.perf_counter() - started:.1f} s, ratio {total / thinned:.4f}"
        )
        bound = upper_bound(members, weights)
        print(
            f"  upper bound (best pair per member, halved): {bound:.2f}, ratio {total / bound:.4f}"
        )


if __name__ == "__main__":
    main()

"""The ranking index: the consent rule, the ranking a brute force gives, and events.

The brute force ranks with ``may_surface`` and ``RankingIndex.weight`` (the quantised weights
the index uses); ``test_weights_follow_the_documented_formula`` checks those weights apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.consent import Standing, may_surface
from bot.domain.ranking import WEIGHT_SCALE, FindPage, Match, RankingIndex

NOW = datetime(2026, 3, 8, 12, tzinfo=UTC)
TAGS = range(1, 8)  # tag 8 is held by nobody
OUTSIDER = 10_000  # never a member


@dataclass(frozen=True)
class Member:
    tags: frozenset[int]
    discoverable: bool
    snoozed_until: datetime | None


@dataclass
class Community:
    """The state the index should reflect, kept by the test alongside it."""

    members: dict[int, Member] = field(default_factory=dict)
    blocks: set[tuple[int, int]] = field(default_factory=set)

    def build(self) -> RankingIndex:
        rows = [(u, m.tags, m.discoverable, m.snoozed_until) for u, m in self.members.items()]
        return RankingIndex.build(rows, self.blocks)


snoozes = st.one_of(st.none(), st.integers(-3, 3).map(lambda hours: NOW + timedelta(hours=hours)))
members = st.builds(
    Member,
    st.frozensets(st.sampled_from(TAGS), max_size=5),
    st.booleans(),
    snoozes,
)


@st.composite
def communities(draw: st.DrawFn, max_members: int = 25) -> Community:
    ids = draw(st.lists(st.integers(1, 5 * max_members), unique=True, max_size=max_members))
    people = {user_id: draw(members) for user_id in ids}
    someone = st.sampled_from([*ids, OUTSIDER])
    blocks = draw(st.sets(st.tuples(someone, someone), max_size=8))
    return Community(people, blocks)


@st.composite
def queries(draw: st.DrawFn, community: Community) -> tuple[int, list[int], set[int], datetime]:
    ids = sorted(community.members)
    viewer = draw(st.sampled_from([*ids, OUTSIDER]))
    required = draw(st.lists(st.sampled_from([*TAGS, 8]), min_size=1, max_size=3))
    excluded = draw(st.sets(st.sampled_from(ids), max_size=4)) if ids else set()
    at = NOW + timedelta(hours=draw(st.integers(-4, 4)))
    return viewer, required, excluded, at


def brute_force(
    index: RankingIndex,
    community: Community,
    viewer: int,
    required: list[int] | None,
    *,
    at: datetime,
    excluded: set[int],
) -> list[Match]:
    """Every member ``may_surface`` allows, scored one by one; ``required=None``: suggest."""
    mine = community.members[viewer].tags if viewer in community.members else frozenset()
    found = []
    for user_id, member in community.members.items():
        standing = Standing(user_id, member.discoverable, member.snoozed_until)
        if not may_surface(viewer, standing, at=at, blocks=community.blocks, excluded=excluded):
            continue
        shared = sorted(member.tags & mine, key=lambda tag: (-index.weight(tag), tag))
        if (required is None and not shared) or not set(required or ()) <= member.tags:
            continue
        score = sum(index.weight(tag) for tag in shared)
        found.append(Match(user_id, score, tuple(shared)))
    return sorted(found, key=lambda match: (-match.score, match.user_id))


def assert_same_ranking(got: list[Match] | tuple[Match, ...], expected: list[Match]) -> None:
    assert [(m.user_id, m.shared) for m in got] == [(m.user_id, m.shared) for m in expected]
    for mine, theirs in zip(got, expected, strict=True):
        assert mine.score == pytest.approx(theirs.score, rel=1e-9)


def everyone(index: RankingIndex, viewer: int, required: list[int], **kwargs: object) -> FindPage:
    return index.find(viewer, required, limit=10**6, **kwargs)  # type: ignore[arg-type]


# -- (a) nobody the consent rule hides ever appears ----------------------------------------


@settings(max_examples=150)
@given(st.data(), communities())
def test_nobody_hidden_ever_appears(data: st.DataObject, community: Community) -> None:
    index = community.build()
    viewer, required, excluded, at = data.draw(queries(community))
    page = everyone(index, viewer, required, at=at, excluded=excluded)
    suggested = index.suggest(viewer, at=at, excluded=excluded, limit=10**6)
    for match in (*page.matches, *suggested):
        member = community.members[match.user_id]
        assert match.user_id != viewer
        assert match.user_id not in excluded
        assert member.discoverable
        assert member.snoozed_until is None or member.snoozed_until <= at
        assert (viewer, match.user_id) not in community.blocks
        assert (match.user_id, viewer) not in community.blocks


# -- (b) the same ranking as a brute force, and consistent pages ---------------------------


@settings(max_examples=150)
@given(st.data(), communities())
def test_find_and_suggest_equal_the_brute_force(data: st.DataObject, community: Community) -> None:
    index = community.build()
    viewer, required, excluded, at = data.draw(queries(community))
    expected = brute_force(index, community, viewer, required, at=at, excluded=excluded)
    page = everyone(index, viewer, required, at=at, excluded=excluded)
    assert_same_ranking(page.matches, expected)
    assert page.total == len(expected)
    wanted = brute_force(index, community, viewer, None, at=at, excluded=excluded)
    limit = data.draw(st.integers(0, 6))
    suggested = index.suggest(viewer, at=at, excluded=excluded, limit=limit)
    assert_same_ranking(suggested, wanted[:limit])


@settings(max_examples=150)
@given(st.data(), communities())
def test_pages_concatenate_to_the_full_list(data: st.DataObject, community: Community) -> None:
    index = community.build()
    viewer, required, excluded, at = data.draw(queries(community))
    full = everyone(index, viewer, required, at=at, excluded=excluded)
    limit = data.draw(st.integers(1, 4))
    pages = [
        index.find(viewer, required, at=at, excluded=excluded, offset=offset, limit=limit)
        for offset in range(0, full.total + limit, limit)
    ]
    assert [m for page in pages for m in page.matches] == list(full.matches)
    assert {page.total for page in pages} == {full.total}
    assert pages[-1].matches == ()


@settings(max_examples=25, deadline=None)
@given(st.data(), communities(max_members=300))
def test_large_communities_with_ties_across_words(
    data: st.DataObject, community: Community
) -> None:
    """Hundreds of members: positions beyond one 64-bit chunk, long runs of tied scores."""
    index = community.build()
    viewer, required, excluded, at = data.draw(queries(community))
    expected = brute_force(index, community, viewer, required[:1], at=at, excluded=excluded)
    offset = data.draw(st.integers(0, max(0, len(expected))))
    page = index.find(viewer, required[:1], at=at, excluded=excluded, offset=offset, limit=7)
    assert_same_ranking(page.matches, expected[offset : offset + 7])
    assert page.total == len(expected)


@given(communities())
def test_weights_follow_the_documented_formula(community: Community) -> None:
    index = community.build()
    for tag in [*TAGS, 8]:
        holders = sum(tag in member.tags for member in community.members.values())
        expected = 0.0
        if holders:
            units = round(WEIGHT_SCALE * math.log(1 + len(community.members) / holders))
            expected = max(1, units) / WEIGHT_SCALE
        assert index.weight(tag) == expected


def test_rarer_tags_weigh_more() -> None:
    index = RankingIndex.build([(u, [1] if u % 10 else [1, 2], True, None) for u in range(50)], [])
    assert index.weight(2) > index.weight(1) > 0


# -- (c) events give the index a fresh build would -----------------------------------------

user_ids = st.integers(1, 60)
events = st.one_of(
    st.tuples(st.just("set_member"), user_ids, members),
    st.tuples(st.just("set_tags"), user_ids, st.frozensets(st.sampled_from(TAGS), max_size=5)),
    st.tuples(st.just("set_discoverable"), user_ids, st.booleans()),
    st.tuples(st.just("set_snooze"), user_ids, snoozes),
    st.tuples(st.just("remove_member"), user_ids, st.none()),
    st.tuples(st.just("block"), user_ids, user_ids),
    st.tuples(st.just("unblock"), user_ids, user_ids),
)


def apply(index: RankingIndex, community: Community, event: tuple[str, int, object]) -> None:
    """Apply one event to the index and to the test's own state (a member event on someone
    not in the index becomes a ``set_member``)."""
    kind, user_id, value = event
    people = community.members
    if kind in {"set_tags", "set_discoverable", "set_snooze"} and user_id not in people:
        kind, value = "set_member", Member(frozenset(), discoverable=True, snoozed_until=None)
    if kind == "set_member":
        assert isinstance(value, Member)
        people[user_id] = value
        index.set_member(
            user_id,
            value.tags,
            discoverable=value.discoverable,
            snoozed_until=value.snoozed_until,
        )
    elif kind == "set_tags":
        assert isinstance(value, frozenset)
        people[user_id] = Member(value, people[user_id].discoverable, people[user_id].snoozed_until)
        index.set_tags(user_id, value)
    elif kind == "set_discoverable":
        assert isinstance(value, bool)
        people[user_id] = Member(people[user_id].tags, value, people[user_id].snoozed_until)
        index.set_discoverable(user_id, value)
    elif kind == "set_snooze":
        assert value is None or isinstance(value, datetime)
        people[user_id] = Member(people[user_id].tags, people[user_id].discoverable, value)
        index.set_snooze(user_id, value)
    elif kind == "remove_member":
        people.pop(user_id, None)
        index.remove_member(user_id)
    elif kind == "block":
        assert isinstance(value, int)
        community.blocks.add((user_id, value))
        index.block(user_id, value)
    else:
        assert isinstance(value, int)
        community.blocks.discard((user_id, value))
        index.unblock(user_id, value)


@settings(max_examples=150, deadline=None)
@given(st.data(), communities(max_members=20), st.lists(events, max_size=25))
def test_events_give_what_a_fresh_build_gives(
    data: st.DataObject, community: Community, changes: list[tuple[str, int, object]]
) -> None:
    index = community.build()
    for event in changes:
        apply(index, community, event)
    fresh = community.build()
    assert len(index) == len(fresh) == len(community.members)
    for user_id in community.members:
        assert index.standing(user_id) == fresh.standing(user_id)
        assert index.tags_of(user_id) == fresh.tags_of(user_id)
    for _ in range(3):
        viewer, required, excluded, at = data.draw(queries(community))
        page = everyone(index, viewer, required, at=at, excluded=excluded)
        assert page == everyone(fresh, viewer, required, at=at, excluded=excluded)
        expected = brute_force(fresh, community, viewer, required, at=at, excluded=excluded)
        assert_same_ranking(page.matches, expected)
        suggested = index.suggest(viewer, at=at, excluded=excluded, limit=10**6)
        assert suggested == fresh.suggest(viewer, at=at, excluded=excluded, limit=10**6)


# -- edge cases ----------------------------------------------------------------------------


def test_an_empty_index_finds_nobody() -> None:
    index = RankingIndex()
    assert index.find(1, [1], at=NOW) == FindPage((), 0)
    assert index.suggest(1, at=NOW) == ()
    assert index.weight(1) == 0.0
    assert len(index) == 0


def test_a_viewer_not_in_the_index_sees_holders_by_user_id_and_no_suggestions() -> None:
    index = RankingIndex.build([(30, [1], True, None), (20, [1, 2], True, None)], [])
    page = index.find(OUTSIDER, [1], at=NOW)
    assert page == FindPage((Match(20, 0.0, ()), Match(30, 0.0, ())), 2)
    assert index.suggest(OUTSIDER, at=NOW) == ()


def test_a_required_tag_nobody_holds_finds_nobody() -> None:
    index = RankingIndex.build([(1, [1], True, None), (2, [1], True, None)], [])
    assert index.find(1, [1, 99], at=NOW) == FindPage((), 0)


def test_limit_and_offset_past_the_end() -> None:
    index = RankingIndex.build([(u, [1], True, None) for u in range(1, 6)], [])
    assert index.find(1, [1], at=NOW, offset=4, limit=10) == FindPage((), 4)
    last = Match(5, index.weight(1), (1,))  # the viewer holds tag 1 too
    assert index.find(1, [1], at=NOW, offset=3, limit=10).matches == (last,)
    assert index.find(1, [1], at=NOW, offset=100) == FindPage((), 4)
    assert index.find(1, [1], at=NOW, limit=0) == FindPage((), 4)
    assert index.suggest(1, at=NOW, limit=0) == ()
    with pytest.raises(ValueError, match="negative"):
        index.find(1, [1], at=NOW, offset=-1)


def test_a_snooze_hides_until_its_instant_exactly() -> None:
    index = RankingIndex.build([(1, [1], True, None), (2, [1], True, NOW)], [])
    assert index.find(1, [1], at=NOW - timedelta(microseconds=1)).total == 0
    assert index.find(1, [1], at=NOW).total == 1


def test_a_block_outlives_leaving_and_unblocking_one_way_keeps_the_other() -> None:
    index = RankingIndex.build([(1, [1], True, None), (2, [1], True, None)], [(1, 2), (2, 1)])
    index.remove_member(2)
    index.set_member(2, [1], discoverable=True)
    index.unblock(1, 2)
    assert index.find(1, [1], at=NOW).total == 0
    index.unblock(2, 1)
    assert index.find(1, [1], at=NOW).total == 1


def test_events_for_someone_not_in_the_index() -> None:
    index = RankingIndex()
    index.remove_member(7)  # leaving twice is not an error
    for change in (
        lambda: index.set_tags(7, [1]),
        lambda: index.set_discoverable(7, True),
        lambda: index.set_snooze(7, None),
    ):
        with pytest.raises(KeyError):
            change()


def test_shared_tags_are_heaviest_first_then_by_id() -> None:
    rows = [(1, [1, 2, 3], True, None), (2, [1, 2, 3], True, None), (3, [1, 2], True, None)]
    index = RankingIndex.build(rows, [])
    assert index.weight(3) > index.weight(1) == index.weight(2)
    assert index.find(1, [2], at=NOW).matches[0] == Match(
        2, index.weight(1) + index.weight(2) + index.weight(3), (3, 1, 2)
    )


def test_tied_members_far_apart_all_come_out_in_user_id_order() -> None:
    """Tied members more than a machine word apart in the bitset (read out chunk by chunk)."""
    rows = [(u, [1, 2] if u % 70 == 0 else [1], True, None) for u in range(1, 1_000)]
    index = RankingIndex.build(rows, [])
    holders = [u for u in range(1, 1_000) if u % 70 == 0]
    page = index.find(OUTSIDER, [2], at=NOW, limit=100)
    assert [m.user_id for m in page.matches] == holders
    assert [m.user_id for m in index.find(OUTSIDER, [2], at=NOW, offset=5, limit=3).matches] == (
        holders[5:8]
    )

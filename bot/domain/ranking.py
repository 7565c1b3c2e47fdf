"""The ranking index behind ``/find`` and ``/intro suggest``: one server's members and tags.

Pure domain code, kept in step with the database by events (``set_member``, ``set_tags``, …)
and rebuilt from it by :meth:`RankingIndex.build`. Who may appear is exactly the consent rule
(:func:`bot.domain.consent.may_surface`): discoverable, not snoozed at the query instant, no
block in either direction, not the viewer, not in the caller's ``excluded`` set.

Weights
    A tag held by ``df`` of the ``N`` members in the index weighs ``ln(1 + N / df)`` quantised
    to a multiple of ``1 / WEIGHT_SCALE``: ``max(1, round(32 · ln(1 + N / df))) / 32``; a tag
    nobody holds weighs 0. :meth:`RankingIndex.weight` returns that quantised value and scores
    are sums of it, so a brute force built on ``weight()`` gives the same scores exactly
    (multiples of a power of two add without rounding).

    ``N`` and ``df`` count every member in the index, discoverable or not, snoozed or not:
    rarity is a property of the community, and a member hiding does not make an interest
    less common. Counting only visible members would make weights depend on the query instant
    (a snooze ending) and on the viewer (blocks), so page 2 could use other weights than page 1.

Score and order
    Score: the sum of the weights of the tags shared with the viewer (required tags too, when
    the viewer holds them). Order: score descending, then user id ascending. ``shared``: the
    shared tags heaviest first, then by id.

How it is fast (pure Python; figures in bench/README.md)
    Each tag keeps a bitset (a Python int) of its holders; bit ``p`` is the ``p``-th member in
    user-id order, so ascending bits are ascending user ids and ties need no sorting. A query
    ANDs the consent masks with the required tags, adds each viewer tag's quantised weight into
    bit-sliced digit planes (one int per binary digit of the score; ripple-carry adds of whole
    bitsets) and walks the planes from the top digit down to the best ``offset + limit``
    members. Keeping user-id order costs shifting every bitset when a member joins or leaves
    mid-order (a few ms at 100k); events are rare next to queries.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

from bot.domain.consent import Standing

WEIGHT_SCALE = 32  # weights are multiples of 1/32: a power of two, so sums stay exact
_CHUNK_BITS = 64  # positions are read out of a bitset this many bits at a time
_CHUNK_MASK = (1 << _CHUNK_BITS) - 1


@dataclass(frozen=True)
class Match:
    user_id: int
    score: float  # sum of the weights of the tags shared with the viewer
    shared: tuple[int, ...]  # tag ids shared with the viewer, heaviest first (then by id)


@dataclass(frozen=True)
class FindPage:
    matches: tuple[Match, ...]
    total: int  # how many members matched in all (for "page 2 of 7")


def quantised_weight(members: int, holders: int) -> int:
    """A tag's weight in units of ``1 / WEIGHT_SCALE``: ``round(32 · ln(1 + N / df))``."""
    if holders <= 0:
        return 0
    return max(1, round(WEIGHT_SCALE * math.log1p(members / holders)))


class RankingIndex:
    """One server's members and tags, kept in step with the database by events.

    Blocks are kept apart from membership: a block stands while its two people come and go
    (the database keeps it too); only :meth:`unblock` lifts it.
    """

    def __init__(self) -> None:
        self._ids: list[int] = []  # user ids, ascending; bit p of every bitset is _ids[p]
        self._tags: dict[int, tuple[int, ...]] = {}
        self._discoverable_ids: set[int] = set()
        self._snoozes: dict[int, datetime] = {}
        self._snooze_order: list[tuple[datetime, int]] = []  # (until, user id), ascending
        self._snooze_cache: tuple[int, int] | None = None  # (cut in _snooze_order, mask)
        self._holders: dict[int, int] = {}  # tag id -> bitset of its holders
        self._discoverable = 0  # bitset
        self._blocking: dict[int, set[int]] = {}  # blocker -> blocked
        self._blocked_by: dict[int, set[int]] = {}  # blocked -> blockers

    @classmethod
    def build(
        cls,
        members: Iterable[tuple[int, Iterable[int], bool, datetime | None]],
        blocks: Iterable[tuple[int, int]],
    ) -> RankingIndex:
        """An index of ``members`` (user id, tag ids, discoverable, snoozed until) and blocks."""
        index = cls()
        rows = {user_id: (tuple(sorted(set(tags))), bool(d), s) for user_id, tags, d, s in members}
        index._ids = sorted(rows)
        positions: dict[int, list[int]] = {}
        discoverable: list[int] = []
        for position, user_id in enumerate(index._ids):
            tags, is_discoverable, snoozed_until = rows[user_id]
            index._tags[user_id] = tags
            for tag in tags:
                positions.setdefault(tag, []).append(position)
            if is_discoverable:
                index._discoverable_ids.add(user_id)
                discoverable.append(position)
            if snoozed_until is not None:
                index._snoozes[user_id] = snoozed_until
        index._holders = {tag: _bitset(found) for tag, found in positions.items()}
        index._discoverable = _bitset(discoverable)
        index._snooze_order = sorted((until, user_id) for user_id, until in index._snoozes.items())
        for blocker, blocked in blocks:
            index.block(blocker, blocked)
        return index

    def set_member(
        self,
        user_id: int,
        tag_ids: Iterable[int],
        *,
        discoverable: bool,
        snoozed_until: datetime | None = None,
    ) -> None:
        """Insert or replace one member."""
        if user_id not in self._tags:
            self._insert_slot(user_id)
        self.set_tags(user_id, tag_ids)
        self.set_discoverable(user_id, discoverable)
        self.set_snooze(user_id, snoozed_until)

    def set_tags(self, user_id: int, tag_ids: Iterable[int]) -> None:
        bit = 1 << self._position(user_id)
        old, new = set(self._tags[user_id]), set(tag_ids)
        for tag in old - new:
            remaining = self._holders[tag] ^ bit
            if remaining:
                self._holders[tag] = remaining
            else:
                del self._holders[tag]
        for tag in new - old:
            self._holders[tag] = self._holders.get(tag, 0) | bit
        self._tags[user_id] = tuple(sorted(new))

    def set_discoverable(self, user_id: int, discoverable: bool) -> None:
        bit = 1 << self._position(user_id)
        if discoverable and user_id not in self._discoverable_ids:
            self._discoverable_ids.add(user_id)
            self._discoverable |= bit
        elif not discoverable and user_id in self._discoverable_ids:
            self._discoverable_ids.discard(user_id)
            self._discoverable ^= bit

    def set_snooze(self, user_id: int, until: datetime | None) -> None:
        """Hide the member from every query at an instant before ``until`` (``None``: no snooze)."""
        self._position(user_id)  # a KeyError for someone not in the index
        self._drop_snooze(user_id)
        if until is not None:
            self._snoozes[user_id] = until
            insort(self._snooze_order, (until, user_id))

    def remove_member(self, user_id: int) -> None:
        """Forget a member (leaving the server, deleting their data); unknown ids are ignored."""
        if user_id not in self._tags:
            return
        self.set_tags(user_id, ())
        self.set_discoverable(user_id, False)
        self._drop_snooze(user_id)
        position = self._position(user_id)
        self._holders = {tag: _moved(bits, position, -1) for tag, bits in self._holders.items()}
        self._discoverable = _moved(self._discoverable, position, -1)
        del self._ids[position]
        del self._tags[user_id]

    def block(self, blocker: int, blocked: int) -> None:
        self._blocking.setdefault(blocker, set()).add(blocked)
        self._blocked_by.setdefault(blocked, set()).add(blocker)

    def unblock(self, blocker: int, blocked: int) -> None:
        self._blocking.get(blocker, set()).discard(blocked)
        self._blocked_by.get(blocked, set()).discard(blocker)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, user_id: object) -> bool:
        return user_id in self._tags

    def standing(self, user_id: int) -> Standing | None:
        """What the consent rule knows about a member, or ``None`` if not in the index."""
        if user_id not in self._tags:
            return None
        return Standing(user_id, user_id in self._discoverable_ids, self._snoozes.get(user_id))

    def tags_of(self, user_id: int) -> tuple[int, ...]:
        """A member's tag ids, ascending (empty for someone not in the index)."""
        return self._tags.get(user_id, ())

    def weight(self, tag_id: int) -> float:
        """The quantised weight of a tag now (see the module docstring)."""
        holders = self._holders.get(tag_id, 0)
        return quantised_weight(len(self._ids), holders.bit_count()) / WEIGHT_SCALE

    def find(
        self,
        viewer_id: int,
        required: Sequence[int],
        *,
        at: datetime,
        excluded: Collection[int] = (),
        among: Collection[int] | None = None,
        offset: int = 0,
        limit: int = 10,
    ) -> FindPage:
        """One page of the members (of ``among`` if given) holding every ``required`` tag (none:
        everyone) whom the consent rule lets the viewer see, ranked by overlap with the viewer."""
        _check_page(offset, limit)
        pool = self._allowed(viewer_id, at, excluded)
        pool &= ~0 if among is None else _bitset(self._positions(among))
        for tag in set(required):
            pool &= self._holders.get(tag, 0)
        return FindPage(self._ranked(viewer_id, pool, offset, limit), pool.bit_count())

    def suggest(
        self,
        viewer_id: int,
        *,
        at: datetime,
        excluded: Collection[int] = (),
        limit: int = 10,
    ) -> tuple[Match, ...]:
        """The viewer's best matches among those sharing at least one tag with them."""
        _check_page(0, limit)
        sharing_any = 0
        for tag in self.tags_of(viewer_id):
            sharing_any |= self._holders[tag]
        pool = self._allowed(viewer_id, at, excluded) & sharing_any
        return self._ranked(viewer_id, pool, 0, limit)

    def _position(self, user_id: int) -> int:
        for position in self._positions((user_id,)):
            return position
        raise KeyError(f"member {user_id} is not in the ranking index")

    def _positions(self, user_ids: Iterable[int]) -> Iterator[int]:
        """Bit positions of those ids that are in the index."""
        ids = self._ids
        for user_id in user_ids:
            position = bisect_left(ids, user_id)
            if position < len(ids) and ids[position] == user_id:
                yield position

    def _insert_slot(self, user_id: int) -> None:
        """Make room for a new member's bit at its place in user-id order."""
        position = bisect_left(self._ids, user_id)
        if position < len(self._ids):  # joining at the end (the usual new id) shifts nothing
            self._holders = {tag: _moved(bits, position, 1) for tag, bits in self._holders.items()}
            self._discoverable = _moved(self._discoverable, position, 1)
        self._ids.insert(position, user_id)
        self._tags[user_id] = ()
        self._snooze_cache = None

    def _drop_snooze(self, user_id: int) -> None:
        until = self._snoozes.pop(user_id, None)
        if until is not None:
            self._snooze_order.remove((until, user_id))
        self._snooze_cache = None

    def _snoozed_at(self, at: datetime) -> int:
        """Bitset of members snoozed at ``at`` (``at < until``), cached for the same cut."""
        cut = bisect_right(self._snooze_order, at, key=itemgetter(0))
        if self._snooze_cache is None or self._snooze_cache[0] != cut:
            snoozed = (user_id for _, user_id in self._snooze_order[cut:])
            self._snooze_cache = (cut, _bitset(self._positions(snoozed)))
        return self._snooze_cache[1]

    def _allowed(self, viewer_id: int, at: datetime, excluded: Collection[int]) -> int:
        """Bitset of the members ``may_surface`` lets the viewer see at ``at``."""
        blocks = self._blocking.get(viewer_id, set()) | self._blocked_by.get(viewer_id, set())
        hidden = _bitset(self._positions({viewer_id, *excluded, *blocks})) | self._snoozed_at(at)
        return self._discoverable ^ (self._discoverable & hidden)

    def _ranked(self, viewer_id: int, pool: int, offset: int, limit: int) -> tuple[Match, ...]:
        """One page of ``pool`` ranked by the weight shared with the viewer."""
        if not pool or not limit:
            return ()
        units = {tag: round(self.weight(tag) * WEIGHT_SCALE) for tag in self.tags_of(viewer_id)}
        heaviest_first = sorted(units, key=lambda tag: (-units[tag], tag))
        terms = [(units[tag], self._holders[tag] & pool) for tag in heaviest_first]
        planes = _score_planes([(weight, bits) for weight, bits in terms if bits])
        matches = []
        for score, positions in _best(planes, pool, offset, limit):
            for position in positions:
                user_id = self._ids[position]
                theirs = self._tags[user_id]
                shared = tuple(tag for tag in heaviest_first if tag in theirs)
                matches.append(Match(user_id, score / WEIGHT_SCALE, shared))
        return tuple(matches)


def _check_page(offset: int, limit: int) -> None:
    if offset < 0 or limit < 0:
        raise ValueError(f"offset and limit must not be negative (got {offset}, {limit})")


def _bitset(positions: Iterable[int]) -> int:
    """An int with the given bits set, built in one pass (ORing 1 << p copies the int each time)."""
    found = list(positions)
    if not found:
        return 0
    buffer = bytearray((max(found) >> 3) + 1)
    for position in found:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


def _moved(bits: int, position: int, step: int) -> int:
    """``bits`` with a clear bit inserted at ``position`` (``step`` 1: higher bits move up one)
    or the bit at ``position`` taken out (``step`` -1: higher bits move down one)."""
    if bits.bit_length() <= position:
        return bits
    low = bits & ((1 << position) - 1)
    return ((bits >> (position + max(0, -step))) << (position + max(0, step))) | low


def _score_planes(terms: Sequence[tuple[int, int]]) -> list[int]:
    """Bit-sliced sums: plane ``i`` holds binary digit ``i`` of every member's total weight.

    Each (weight, bits) term is a ripple-carry add on whole bitsets: the work grows with the
    digits of the score, not with the number of members.
    """
    planes: list[int] = []
    for weight, bits in terms:
        carry = 0
        digit = 0
        remaining = weight
        while remaining or carry:
            if digit == len(planes):
                planes.append(0)
            plane = planes[digit]
            if remaining & 1:
                half = plane ^ bits
                planes[digit] = half ^ carry
                carry = (plane & bits) | (carry & half)
            else:
                planes[digit] = plane ^ carry
                carry = plane & carry
            remaining >>= 1
            digit += 1
    return planes


def _best(planes: Sequence[int], pool: int, skip: int, take: int) -> list[tuple[int, list[int]]]:
    """Ranks ``skip`` … ``skip + take - 1`` of ``pool`` as (score, positions) groups, best first.

    Depth first from the top digit, digit set before digit clear: leaves come in descending
    score. Stops at ``take`` members; subtrees wholly before ``skip`` are counted, not walked.
    """
    found: list[tuple[int, list[int]]] = []
    stack = [(pool, len(planes) - 1, 0)]
    while stack and take > 0:
        bits, digit, score = stack.pop()
        if skip:
            size = bits.bit_count()
            if size <= skip:
                skip -= size
                continue
        if digit < 0:
            positions = _lowest_positions(bits, skip + take)[skip:]
            skip = 0
            take -= len(positions)
            found.append((score, positions))
            continue
        high = bits & planes[digit]
        low = bits ^ high
        if low:
            stack.append((low, digit - 1, score))
        if high:
            stack.append((high, digit - 1, score | (1 << digit)))
    return found


def _lowest_positions(bits: int, count: int) -> list[int]:
    """The positions of the ``count`` lowest set bits of ``bits``, ascending."""
    found: list[int] = []
    base = 0
    while bits and len(found) < count:
        gap = (bits ^ (bits - 1)).bit_length() - 1  # trailing zeros
        bits >>= gap
        base += gap
        chunk = bits & _CHUNK_MASK
        while chunk and len(found) < count:
            lowest = chunk & -chunk
            found.append(base + lowest.bit_length() - 1)
            chunk ^= lowest
        bits >>= _CHUNK_BITS
        base += _CHUNK_BITS
    return found

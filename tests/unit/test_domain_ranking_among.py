"""``RankingIndex.find(among=...)``: an event's attendees, ranked and filtered as ``/find``."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.ranking import RankingIndex

NOW = datetime(2026, 3, 8, 12, tzinfo=UTC)
ORTHO, SPORTS, NEURO = 1, 2, 3


def index() -> RankingIndex:
    return RankingIndex.build(
        [
            (10, (ORTHO, SPORTS), True, None),  # the viewer
            (11, (ORTHO, SPORTS), True, None),
            (12, (ORTHO,), True, None),
            (13, (NEURO,), True, None),
            (14, (ORTHO, SPORTS), False, None),  # not discoverable
            (15, (ORTHO, SPORTS), True, datetime(2026, 4, 1, tzinfo=UTC)),  # snoozed
            (16, (ORTHO, SPORTS), True, None),  # blocked the viewer
        ],
        [(16, 10)],
    )


def test_among_keeps_to_the_attendees_under_the_consent_rule() -> None:
    found = index().find(10, [], at=NOW, among=[10, 12, 13, 14, 15, 16, 99])
    assert [m.user_id for m in found.matches] == [12, 13]  # Ortho shared first, then none
    assert found.total == 2
    with_tag = index().find(10, [ORTHO], at=NOW, among=[11, 12, 13])
    assert [m.user_id for m in with_tag.matches] == [11, 12]
    assert index().find(10, [], at=NOW, among=[]).total == 0


@given(st.sets(st.integers(10, 17)))
def test_among_is_a_subset_of_the_unrestricted_listing(among: set[int]) -> None:
    everyone = index().find(10, [], at=NOW, limit=50)
    some = index().find(10, [], at=NOW, among=among, limit=50)
    assert [m for m in everyone.matches if m.user_id in among] == list(some.matches)

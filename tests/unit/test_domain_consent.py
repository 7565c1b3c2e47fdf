"""The consent rule: discoverable, not snoozed, no block either way, not excluded, not me."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.consent import Standing, blocked_between, may_surface

NOW = datetime(2026, 3, 8, 12, tzinfo=UTC)
ME, THEM = 1, 2


def test_each_condition_on_its_own() -> None:
    open_ = Standing(THEM, discoverable=True)
    assert may_surface(ME, open_, at=NOW, blocks=set())
    assert not may_surface(ME, Standing(ME, discoverable=True), at=NOW, blocks=set())
    assert not may_surface(ME, Standing(THEM, discoverable=False), at=NOW, blocks=set())
    assert not may_surface(ME, open_, at=NOW, blocks={(ME, THEM)})
    assert not may_surface(ME, open_, at=NOW, blocks={(THEM, ME)})
    assert not may_surface(ME, open_, at=NOW, blocks=set(), excluded={THEM})


def test_a_snooze_hides_until_its_date_exactly() -> None:
    snoozed = Standing(THEM, discoverable=True, snoozed_until=NOW + timedelta(weeks=2))
    assert not may_surface(ME, snoozed, at=NOW, blocks=set())
    assert not may_surface(ME, snoozed, at=NOW + timedelta(weeks=2, seconds=-1), blocks=set())
    assert may_surface(ME, snoozed, at=NOW + timedelta(weeks=2), blocks=set())


@given(
    st.booleans(),
    st.one_of(st.none(), st.integers(-100, 100)),
    st.sets(st.tuples(st.integers(1, 3), st.integers(1, 3))),
)
def test_the_rule_is_the_conjunction(
    discoverable: bool, snooze_hours: int | None, blocks: set[tuple[int, int]]
) -> None:
    until = None if snooze_hours is None else NOW + timedelta(hours=snooze_hours)
    member = Standing(THEM, discoverable=discoverable, snoozed_until=until)
    expected = (
        discoverable
        and (until is None or until <= NOW)
        and (ME, THEM) not in blocks
        and (THEM, ME) not in blocks
    )
    assert may_surface(ME, member, at=NOW, blocks=blocks) is expected
    assert blocked_between(ME, THEM, blocks) is blocked_between(THEM, ME, blocks)

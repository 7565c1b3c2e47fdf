"""The offset clock `python -m bot sandbox` runs the bot on (its driver's `travel`)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import OffsetClock


def test_the_sandbox_clock_moves_forward_by_what_travel_asks() -> None:
    clock = OffsetClock()
    before = clock.now()
    moved = clock.advance(timedelta(days=8))
    assert moved - before >= timedelta(days=8)
    assert clock.offset == timedelta(days=8)
    assert clock.now().tzinfo is not None


def test_the_sandbox_clock_never_goes_back() -> None:
    with pytest.raises(ValueError, match="forward"):
        OffsetClock().advance(timedelta(hours=-1))

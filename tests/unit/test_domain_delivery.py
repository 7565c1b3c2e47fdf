"""Delivery rules: how the sender reacts to Discord's answers."""

from __future__ import annotations

import pytest

from bot.domain.delivery import (
    Delivery,
    FailureReason,
    Reaction,
    backoff_seconds,
    nonce_for,
    react_to,
)


@pytest.mark.parametrize(
    ("status", "code", "reaction", "failure"),
    [
        (429, 0, Reaction.RETRY, None),
        (500, 0, Reaction.RETRY, None),
        (502, 0, Reaction.RETRY, None),
        (0, 0, Reaction.RETRY, None),  # connection error
        (403, 50007, Reaction.DMS_CLOSED, FailureReason.DMS_CLOSED),
        (400, 50007, Reaction.DMS_CLOSED, FailureReason.DMS_CLOSED),
        (403, 40003, Reaction.PAUSE_DM_OPENS, None),
        (403, 20026, Reaction.STOP_DMS, None),
        (400, 160006, Reaction.RETRY, None),
        (403, 50013, Reaction.FAIL, FailureReason.FORBIDDEN),
        (403, 50001, Reaction.FAIL, FailureReason.FORBIDDEN),
        (404, 10003, Reaction.FAIL, FailureReason.NOT_FOUND),
        (400, 50035, Reaction.FAIL, FailureReason.REJECTED),
    ],
)
def test_reactions(
    status: int, code: int, reaction: Reaction, failure: FailureReason | None
) -> None:
    assert react_to(status, code) == (reaction, failure)


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert backoff_seconds(50) == 600


def test_nonce_is_stable_short_and_distinct_per_step() -> None:
    assert nonce_for("intro:1") == nonce_for("intro:1")
    assert nonce_for("intro:1") != nonce_for("intro:2")
    assert nonce_for("intro:1", "first") != nonce_for("intro:1")
    assert len(nonce_for("x" * 500)) <= 25


def test_recipient_lanes() -> None:
    assert Delivery.dm("k", 5, {"content": "hi"}).recipient == "user:5"
    assert Delivery.post("k", 5, {"content": "hi"}).recipient == "channel:5"
    assert Delivery.thread("k", 5, name="t", private=True).recipient == "channel:5"

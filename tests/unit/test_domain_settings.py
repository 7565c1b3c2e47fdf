"""Domain rules for server settings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import InvalidInput
from bot.domain.settings import (
    ChannelPurpose,
    GuildDefaults,
    missing_permissions,
    suggest_timezones,
    validate_timezone,
)


def test_defaults_are_private_by_default() -> None:
    assert GuildDefaults().discoverable_by_default is False


def test_change_validates_every_limit() -> None:
    defaults = GuildDefaults()
    assert defaults.changed(intro_expiry_days=14).intro_expiry_days == 14
    with pytest.raises(InvalidInput, match="between 1 and 30"):
        defaults.changed(intro_expiry_days=0)
    with pytest.raises(InvalidInput, match="no setting called"):
        defaults.changed(colour="blue")


def test_none_means_unchanged() -> None:
    defaults = GuildDefaults(timezone="Europe/London")
    assert defaults.changed(timezone=None, intro_expiry_days=None) == defaults


@given(st.integers(min_value=-1000, max_value=1000))
def test_limits_accept_exactly_their_range(value: int) -> None:
    for name, limit in GuildDefaults.limits().items():
        if limit.low <= value <= limit.high:
            assert getattr(GuildDefaults().changed(**{name: value}), name) == value
        else:
            with pytest.raises(InvalidInput):
                GuildDefaults().changed(**{name: value})


def test_timezone_validation_suggests() -> None:
    assert validate_timezone(" America/Chicago ") == "America/Chicago"
    with pytest.raises(InvalidInput) as caught:
        validate_timezone("america/chicag")
    assert "America/Chicago" in str(caught.value)
    with pytest.raises(InvalidInput):
        validate_timezone("")


@pytest.mark.parametrize("typed", ["america/chicago", "AMERICA/CHICAGO", " America/chicago "])
def test_a_known_zone_in_any_case_is_accepted_and_spelled_right(typed: str) -> None:
    """Issue #20 item 12: the right spelling is known, so use it."""
    assert validate_timezone(typed) == "America/Chicago"


def test_timezone_autocomplete_offers_the_servers_likely_zones_first() -> None:
    offered = suggest_timezones("")
    assert offered[:5] == [
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
    ]
    assert not offered[0].startswith("Africa/")
    with_setting = suggest_timezones("", current="Europe/Paris")
    assert with_setting[:2] == ["Europe/Paris", "America/New_York"]
    assert with_setting.count("Europe/Paris") == 1
    assert suggest_timezones("chicago") == ["America/Chicago"]
    assert suggest_timezones("europe/")[0] == "Europe/London"  # likely first among matches
    assert suggest_timezones("", current="America/Chicago")[:2] == [
        "America/Chicago",
        "America/New_York",
    ]


def test_timezone_suggestions_prefer_prefix() -> None:
    found = suggest_timezones("america/new")
    assert found[0] == "America/New_York"
    assert len(suggest_timezones("")) == 25


def test_missing_permissions_in_stable_order() -> None:
    granted = {"view_channel", "send_messages"}
    missing = missing_permissions(ChannelPurpose.MENTORSHIP, granted.__contains__)
    assert missing == ["create_private_threads", "send_messages_in_threads", "manage_threads"]
    everything = (granted | {"embed_links"}).__contains__
    assert missing_permissions(ChannelPurpose.MODERATION_LOG, everything) == []

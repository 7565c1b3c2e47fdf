"""Channel health in moderators' words."""

from __future__ import annotations

import pytest

from bot.domain.health import (
    PERMISSION_WORDS,
    hidden_from_members_text,
    icebreaker_schedule_needs,
    missing_from,
    problem_text,
    purpose_use,
)
from bot.domain.settings import REQUIRED_PERMISSIONS, ChannelPurpose


def test_one_missing_permission_is_named() -> None:
    assert problem_text(["create_private_threads"], "mentorship") == (
        "cannot create private threads in #mentorship"
    )


def test_several_are_listed_in_plain_words() -> None:
    text = problem_text(["view_channel", "embed_links", "manage_threads"], "log")
    assert text == "cannot see the channel, embed links or manage threads in #log"


def test_missing_keeps_a_stable_order_whatever_the_declaration_order() -> None:
    needs = ("manage_threads", "send_messages", "view_channel")
    assert missing_from(needs, lambda _: False) == [
        "view_channel",
        "send_messages",
        "manage_threads",
    ]
    assert missing_from(needs, lambda _: True) == []


@pytest.mark.parametrize("purpose", list(ChannelPurpose))
def test_every_purpose_declares_needs_with_words(purpose: ChannelPurpose) -> None:
    use = purpose_use(purpose, None)
    assert use.channel_id is None
    assert use.unset_hint == purpose.description
    assert set(REQUIRED_PERMISSIONS[purpose]) <= set(PERMISSION_WORDS)


def test_icebreaker_schedule_needs_follow_its_options() -> None:
    plain = icebreaker_schedule_needs(thread=False, skip_if_quiet=False)
    assert "create_public_threads" not in plain
    threaded = icebreaker_schedule_needs(thread=True, skip_if_quiet=True)
    assert {"create_public_threads", "send_messages_in_threads", "read_message_history"} <= set(
        threaded
    )


def test_members_must_reach_every_purpose_but_the_moderation_log() -> None:
    reach = {p: purpose_use(p, 1).members_reach for p in ChannelPurpose}
    assert [p for p, needed in reach.items() if not needed] == [ChannelPurpose.MODERATION_LOG]
    assert hidden_from_members_text("mentorship").startswith("members cannot see #mentorship")

"""Custom ids already sent to Discord keep reaching the same component after every change.

Old messages live on with the ids they were sent with, so each format below is frozen: exactly
one registered ``DynamicItem`` answers it, and rebuilding that item from the id gives it back.
"""

from __future__ import annotations

from typing import Any

import discord
import pytest

from bot.services.icebreakers.prompts import REVIEW_PAGE as ICEBREAKER_REVIEW_PAGE
from cogs import kit
from cogs.events._views import DYNAMIC_ITEMS as EVENT_ITEMS
from cogs.icebreakers._views import DYNAMIC_ITEMS as ICEBREAKER_ITEMS
from cogs.introductions._views import DYNAMIC_ITEMS as INTRODUCTION_ITEMS
from cogs.mentorship._match_views import DYNAMIC_ITEMS as MATCH_ITEMS
from cogs.mentorship._views import DYNAMIC_ITEMS as MENTOR_ITEMS
from cogs.privacy._views import DYNAMIC_ITEMS as PRIVACY_ITEMS
from cogs.rounds._views import DYNAMIC_ITEMS as ROUND_ITEMS
from cogs.tags._review import REVIEW_ITEMS as TAG_REVIEW_ITEMS
from cogs.tags._views import DYNAMIC_ITEMS as TAG_ITEMS

ALL_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    *EVENT_ITEMS,
    *ICEBREAKER_ITEMS,
    *INTRODUCTION_ITEMS,
    *MATCH_ITEMS,
    *MENTOR_ITEMS,
    *PRIVACY_ITEMS,
    *ROUND_ITEMS,
    *TAG_ITEMS,
    *TAG_REVIEW_ITEMS,
)

RELEASED_BUTTON_IDS = [
    "events:remove:12",
    "icebreakers:remove:3",
    "icebreakers:suggestion:9:approve",
    "icebreakers:suggestion:9:reject",
    "icebreakers:review:4:older",
    "icebreakers:prompts:0:newer",
    "intro:accept:5",
    "intro:decline:5",
    "intro:block:5",
    "intro:report:5",
    "intro:withdraw:5",
    "find:1,2:3:next",
    "find::0:prev:77",
    "mentor:claim:8",
    "mentor-match:fit:6:good",
    "mentor-match:fit:6:unsure",
    "mentor-match:fit:6:poor",
    "mentor-match:poor-fit:6",
    "mentor-match:close:6",
    "mentor-match:extend:6",
    "privacy:delete:123:1700000000",
    "privacy:delete:all:1700000000",
    "privacy:keep",
    "rounds:met:4:met",
    "rounds:met:4:not_yet",
    "rounds:met:4:couldnt",
    "rounds:ghost:1:keep",
    "rounds:ghost:1:pause",
    "rounds:ghost:1:leave",
    "rounds:remove:2",
    "tags:remove:42",
    "tags:edit",
    "tags:suggestion:9:alias",
    "tags:review:8:newer",
]


def answering(custom_id: str) -> list[type[discord.ui.DynamicItem[Any]]]:
    return [i for i in ALL_ITEMS if i.__discord_ui_compiled_template__.fullmatch(custom_id)]


@pytest.mark.parametrize("custom_id", RELEASED_BUTTON_IDS)
async def test_a_released_button_id_reaches_one_item_that_rebuilds_it(custom_id: str) -> None:
    found = answering(custom_id)
    assert len(found) == 1, found
    item_type = found[0]
    match = item_type.__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None
    button: discord.ui.Button[Any] = discord.ui.Button(custom_id=custom_id)
    rebuilt = await item_type.from_custom_id(None, button, match)  # type: ignore[arg-type]
    assert rebuilt.custom_id == custom_id


@pytest.mark.parametrize("custom_id", ["tags:pick:7:2", "tags:join:7:2", "intro:ask"])
def test_a_released_select_id_reaches_one_item(custom_id: str) -> None:
    assert len(answering(custom_id)) == 1


def test_the_icebreaker_service_pages_as_the_review_pager_does() -> None:
    """The pager's row of page buttons sits right under a full page of suggestions."""
    assert ICEBREAKER_REVIEW_PAGE == kit.REVIEW_PAGE

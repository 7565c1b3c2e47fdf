"""Tag components stay within Discord's limits and their custom ids round-trip after a restart."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.domain.tags import Suggestion, SuggestionState
from bot.services import Services
from bot.services.tags import PickerOption, PickerSection
from cogs.tags._review import REVIEW_ITEMS, SuggestionButton, review_view
from cogs.tags._views import (
    DYNAMIC_ITEMS,
    ConfirmRemoveButton,
    EditMyTagsButton,
    PickerSelect,
    PublicPickerSelect,
    picker_views,
)

GUILD, MOD, ALICE = 1, 2, 3


def check_limits(view: discord.ui.View) -> None:
    payload = view.to_components()
    assert 1 <= len(payload) <= 5, "at most five action rows per message"
    for row in payload:
        for component in row["components"]:
            assert len(component["custom_id"]) <= 100
            if component["type"] == discord.ComponentType.select.value:
                assert len(row["components"]) == 1
                assert 1 <= len(component["options"]) <= 25
                assert component["max_values"] <= len(component["options"])
                assert len(component.get("placeholder", "")) <= 150
                for option in component["options"]:
                    assert 1 <= len(option["label"]) <= 100
                    assert len(option["value"]) <= 100


def matching_item(custom_id: str) -> type[discord.ui.DynamicItem[Any]]:
    found = [
        i
        for i in (*DYNAMIC_ITEMS, *REVIEW_ITEMS)
        if i.__discord_ui_compiled_template__.fullmatch(custom_id)
    ]
    assert len(found) == 1, custom_id
    return found[0]


@pytest.mark.parametrize("extra_tags", [0, 454])
async def test_pickers_fit_discord(services: Services, extra_tags: int) -> None:
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    for number in range(extra_tags):
        await services.vocabulary.add_tag(GUILD, f"Extra {number:03}", actor_id=MOD)
    await services.member_tags.add_member_tag(GUILD, ALICE, "ortho")
    sections = await services.member_tags.picker(GUILD, ALICE)
    for public in (False, True):
        views = picker_views(sections, public=public)
        for view in views:
            check_limits(view)
            for item in view.children:
                assert isinstance(item, discord.ui.DynamicItem)
                assert type(item) is matching_item(item.custom_id)
        selects = sum(
            isinstance(i, PublicPickerSelect | PickerSelect) for v in views for i in v.children
        )
        assert selects == len(sections)
        edit_buttons = [i for v in views for i in v.children if isinstance(i, EditMyTagsButton)]
        assert len(edit_buttons) == (1 if public else 0)
    personal = [
        row["components"][0] for view in picker_views(sections) for row in view.to_components()
    ]
    defaults = [o["label"] for select in personal for o in select["options"] if o.get("default")]
    assert defaults == ["Orthopedics"]
    assert all(select["min_values"] == 0 for select in personal)


async def test_custom_ids_rebuild_the_same_item() -> None:
    select = PickerSelect.build(PickerSection(7, "Role", 2, 3, (PickerOption(70, "PT", True),)))
    assert select.custom_id == "tags:pick:7:2"
    for item in (ConfirmRemoveButton(42), SuggestionButton(9, "alias"), EditMyTagsButton()):
        cls = matching_item(item.custom_id)
        match = cls.__discord_ui_compiled_template__.fullmatch(item.custom_id)
        assert match is not None
        rebuilt = await cls.from_custom_id(None, item.item, match)  # type: ignore[arg-type]
        assert rebuilt.custom_id == item.custom_id
        assert type(rebuilt) is type(item)


def test_review_view_has_three_buttons_per_suggestion_and_pages() -> None:
    pending = [
        Suggestion(n, GUILD, ALICE, f"Idea {n}", None, None, SuggestionState.PENDING, None)  # type: ignore[arg-type]
        for n in range(1, 8)
    ]
    view = review_view(pending, waiting=11)
    check_limits(view)
    ids = [item.custom_id for item in view.children]  # type: ignore[attr-defined]
    assert len(ids) == 13  # four suggestions a page, and the page row
    assert ids[:3] == [
        "tags:suggestion:1:approve",
        "tags:suggestion:1:alias",
        "tags:suggestion:1:reject",
    ]
    assert all(re.fullmatch(r"tags:suggestion:\d+:(approve|alias|reject)", i) for i in ids[:12])
    assert ids[12] == "tags:review:4:older"
    middle = review_view(pending[4:], waiting=11, offset=4)
    check_limits(middle)
    pages = [i.custom_id for i in middle.children][-2:]  # type: ignore[attr-defined]
    assert pages == ["tags:review:0:newer", "tags:review:8:older"]
    for custom_id in pages:
        matching_item(custom_id)


# -- callbacks, with a stand-in for the interaction (the e2e tests use the real thing) ---------


class FakeResponse:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def is_done(self) -> bool:
        return bool(self.calls)

    async def send_message(self, content: str | None = None, **kwargs: Any) -> None:
        self.calls.append(("send_message", {"content": content, **kwargs}))

    async def edit_message(self, **kwargs: Any) -> None:
        self.calls.append(("edit_message", kwargs))

    async def send_modal(self, modal: discord.ui.Modal) -> None:
        self.calls.append(("send_modal", {"modal": modal}))


class FakeInteraction:
    def __init__(self, services: Services, user_id: int, *, moderator: bool = False) -> None:
        self.client = SimpleNamespace(services=services)
        self.guild_id = GUILD
        self.guild = SimpleNamespace(id=GUILD, name="Ortho SIG")
        self.user = SimpleNamespace(id=user_id)
        self.permissions = discord.Permissions(manage_guild=moderator)
        self.response = FakeResponse()
        self.followup = SimpleNamespace(send=self.response.send_message)
        self.message: Any = None
        self.type = discord.InteractionType.component
        self.extras: dict[str, Any] = {}


async def test_picker_select_sets_my_tags(services: Services) -> None:
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    section = (await services.member_tags.picker(GUILD, ALICE))[0]
    select = PickerSelect.build(section)
    chosen = [str(o.tag_id) for o in section.options[:2]]
    select.item._values = chosen
    interaction = FakeInteraction(services, ALICE)
    await select.callback(interaction)  # type: ignore[arg-type]
    kind, sent = interaction.response.calls[0]
    assert kind == "edit_message"
    assert sent["content"].startswith("Added")
    groups = await services.member_tags.member_tags(GUILD, ALICE)
    assert {str(t.id) for g in groups for t in g.tags} == set(chosen)


async def test_public_select_over_the_limit_answers_kindly(services: Services) -> None:
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    sections = await services.member_tags.picker(GUILD)
    everything = [o.tag_id for s in sections for o in s.options]
    await services.member_tags.set_member_tags(
        GUILD, ALICE, offered=everything[:25], chosen=everything[:25]
    )
    select = PublicPickerSelect.build(sections[-1])
    select.item._values = [str(sections[-1].options[-1].tag_id)]
    interaction = FakeInteraction(services, ALICE)
    await select.callback(interaction)  # type: ignore[arg-type]
    kind, sent = interaction.response.calls[0]
    assert kind == "send_message"
    assert "at most 25 tags" in sent["content"]
    assert sent["ephemeral"] is True


async def test_review_buttons_need_a_moderator_and_decide(services: Services) -> None:
    suggestion = await services.suggestions.suggest(GUILD, ALICE, "Telehealth")
    button = SuggestionButton(suggestion.id, "approve")
    member = FakeInteraction(services, ALICE)
    assert not await button.interaction_check(member)  # type: ignore[arg-type]
    assert "Manage Server" in member.response.calls[0][1]["content"]
    moderator = FakeInteraction(services, MOD, moderator=True)
    moderator.message = object()
    assert await button.interaction_check(moderator)  # type: ignore[arg-type]
    await button.callback(moderator)  # type: ignore[arg-type]
    kind, sent = moderator.response.calls[0]
    assert kind == "edit_message"
    assert sent["content"].startswith("Approved **Telehealth**")
    again = FakeInteraction(services, MOD, moderator=True)
    await button.callback(again)  # type: ignore[arg-type]
    assert "already approved" in again.response.calls[0][1]["content"]
    alias = SuggestionButton(suggestion.id, "alias")
    opened = FakeInteraction(services, MOD, moderator=True)
    await alias.callback(opened)  # type: ignore[arg-type]
    assert opened.response.calls[0][0] == "send_modal"

"""The moderators' review of tag suggestions: persistent ``DynamicItem`` buttons.

- ``tags:suggestion:<id>:<approve|alias|reject>``  decide on one suggestion.
- ``tags:review:<offset>:<older|newer>``  turn the review message to the page at ``offset``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import discord
from discord import ui

from bot.domain.tags import Suggestion
from bot.tree import friendly_errors
from cogs.tags import _render
from cogs.tags._views import (
    ROWS_PER_MESSAGE,
    Interaction,
    _guild_id,
    _guild_name,
    is_moderator,
    services,
)

_ACTIONS = {
    "approve": ("Approve", discord.ButtonStyle.success),
    "alias": ("Approve as alias", discord.ButtonStyle.primary),
    "reject": ("Reject", discord.ButtonStyle.secondary),
}


class SuggestionButton(
    ui.DynamicItem[ui.Button[Any]],
    template=r"tags:suggestion:(?P<id>\d+):(?P<action>approve|alias|reject)",
):
    def __init__(self, suggestion_id: int, action: str, *, row: int | None = None) -> None:
        label, style = _ACTIONS[action]
        super().__init__(
            ui.Button(
                label=label,
                style=style,
                custom_id=f"tags:suggestion:{suggestion_id}:{action}",
                row=row,
            )
        )
        self.suggestion_id = suggestion_id
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> SuggestionButton:
        return cls(int(match["id"]), match["action"])

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await is_moderator(interaction)

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            if self.action == "alias":
                await interaction.response.send_modal(AliasModal(self.suggestion_id))
                return
            suggestions = services(interaction).suggestions
            guild_id = _guild_id(interaction)
            if self.action == "approve":
                decision = await suggestions.approve_suggestion(
                    guild_id,
                    self.suggestion_id,
                    actor_id=interaction.user.id,
                    guild_name=_guild_name(interaction),
                )
            else:
                decision = await suggestions.reject_suggestion(
                    guild_id,
                    self.suggestion_id,
                    actor_id=interaction.user.id,
                    guild_name=_guild_name(interaction),
                )
            await refresh_review(interaction, _render.decision_text(decision))


class AliasModal(ui.Modal, title="Approve as another name for…"):
    target: ui.TextInput[AliasModal] = ui.TextInput(
        label="Existing tag (name or alias)", max_length=100, placeholder="e.g. Neurology"
    )

    def __init__(self, suggestion_id: int) -> None:
        super().__init__(custom_id=f"tags:alias-modal:{suggestion_id}", timeout=600)
        self.suggestion_id = suggestion_id

    async def on_submit(self, interaction: Interaction, /) -> None:
        async with friendly_errors(interaction):
            decision = await services(interaction).suggestions.approve_suggestion(
                _guild_id(interaction),
                self.suggestion_id,
                actor_id=interaction.user.id,
                guild_name=_guild_name(interaction),
                alias_of=self.target.value,
            )
            await refresh_review(interaction, _render.decision_text(decision))


# Four suggestions a page leave the fifth row for the page buttons.
REVIEW_PAGE = ROWS_PER_MESSAGE - 1
REVIEW_PAGE_ID = re.compile(r"tags:review:(?P<offset>\d+):(?P<step>older|newer)")


class ReviewPageButton(ui.DynamicItem[ui.Button[Any]], template=REVIEW_PAGE_ID.pattern):
    """Turns the review message to the page starting at ``offset`` (survives restarts)."""

    def __init__(self, offset: int, step: str) -> None:
        label = "Next page" if step == "older" else "Previous page"
        super().__init__(
            ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"tags:review:{offset}:{step}",
                row=REVIEW_PAGE,
            )
        )
        self.offset = offset

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> ReviewPageButton:
        return cls(int(match["offset"]), match["step"])

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await is_moderator(interaction)

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            content, view = await review_page(interaction, self.offset)
            await interaction.response.edit_message(content=content, view=view)


def review_view(pending: Sequence[Suggestion], *, waiting: int = 0, offset: int = 0) -> ui.View:
    """One row of buttons per suggestion, and a row to page through the rest of the queue."""
    view = ui.View(timeout=None)
    for row, suggestion in enumerate(pending[:REVIEW_PAGE]):
        for action in _ACTIONS:
            view.add_item(SuggestionButton(suggestion.id, action, row=row))
    if offset > 0:
        view.add_item(ReviewPageButton(max(0, offset - REVIEW_PAGE), "newer"))
    if offset + REVIEW_PAGE < waiting:
        view.add_item(ReviewPageButton(offset + REVIEW_PAGE, "older"))
    return view


async def review_page(interaction: Interaction, offset: int) -> tuple[str, ui.View | None]:
    """The review message for the page at ``offset`` (the last page if the queue shrank)."""
    suggestions = services(interaction).suggestions
    guild_id = _guild_id(interaction)
    waiting = await suggestions.pending_count(guild_id)
    offset = min(offset, max(0, (waiting - 1) // REVIEW_PAGE * REVIEW_PAGE))
    pending = await suggestions.pending_suggestions(guild_id, limit=REVIEW_PAGE, offset=offset)
    content = _render.review_text(pending, waiting=waiting, offset=offset)
    return content, review_view(pending, waiting=waiting, offset=offset) if pending else None


def _review_offset(message: discord.Message | None) -> int:
    """The page a review message shows, read back from its page buttons."""
    for row in getattr(message, "components", None) or []:
        for child in getattr(row, "children", []):
            match = REVIEW_PAGE_ID.fullmatch(getattr(child, "custom_id", None) or "")
            if match:
                step = REVIEW_PAGE if match["step"] == "older" else -REVIEW_PAGE
                return max(0, int(match["offset"]) - step)
    return 0


async def refresh_review(interaction: Interaction, note: str) -> None:
    """Show the decision and the suggestions still waiting, in the review message."""
    page, view = await review_page(interaction, _review_offset(interaction.message))
    content = f"{note}\n\n{page}"
    if interaction.message is not None:
        await interaction.response.edit_message(content=content, view=view)
    elif view is not None:
        await interaction.response.send_message(content, view=view, ephemeral=True)
    else:
        await interaction.response.send_message(content, ephemeral=True)


REVIEW_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (SuggestionButton, ReviewPageButton)

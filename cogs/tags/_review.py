"""The moderators' review of tag suggestions: persistent ``DynamicItem`` buttons.

- ``tags:suggestion:<id>:<approve|alias|reject>``  decide on one suggestion.
- ``tags:review:<offset>:<older|newer>``  turn the review message to the page at ``offset``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord
from discord import ui

from bot.domain.custom_ids import DIGITS, PAGE_STEP, CustomId
from bot.domain.tags import Suggestion
from bot.tree import friendly_errors
from cogs import kit
from cogs.tags import _render
from cogs.tags._views import Interaction

SUGGESTION = CustomId("tags:suggestion", id=DIGITS, action="approve|alias|reject")
REVIEW = CustomId("tags:review", offset=DIGITS, step=PAGE_STEP)
REVIEW_PAGE = kit.REVIEW_PAGE


class SuggestionButton(kit.DecisionButton, spec=SUGGESTION):
    actions = {
        "approve": ("Approve", discord.ButtonStyle.success),
        "alias": ("Approve as alias", discord.ButtonStyle.primary),
        "reject": ("Reject", discord.ButtonStyle.secondary),
    }

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            if self.action == "alias":
                await interaction.response.send_modal(AliasModal(self.suggestion_id))
                return
            suggestions = kit.services(interaction).suggestions
            guild_id = kit.guild_id(interaction)
            if self.action == "approve":
                decision = await suggestions.approve_suggestion(
                    guild_id,
                    self.suggestion_id,
                    actor_id=interaction.user.id,
                    guild_name=kit.guild_name(interaction),
                )
            else:
                decision = await suggestions.reject_suggestion(
                    guild_id,
                    self.suggestion_id,
                    actor_id=interaction.user.id,
                    guild_name=kit.guild_name(interaction),
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
            decision = await kit.services(interaction).suggestions.approve_suggestion(
                kit.guild_id(interaction),
                self.suggestion_id,
                actor_id=interaction.user.id,
                guild_name=kit.guild_name(interaction),
                alias_of=self.target.value,
            )
            await refresh_review(interaction, _render.decision_text(decision))


class ReviewPageButton(kit.ReviewPageButton, spec=REVIEW):
    """Turns the review message to the page starting at ``offset`` (survives restarts)."""

    @classmethod
    async def show_page(cls, interaction: Interaction, offset: int) -> tuple[str, ui.View | None]:
        return await review_page(interaction, offset)


def review_view(pending: Sequence[Suggestion], *, waiting: int = 0, offset: int = 0) -> ui.View:
    """One row of buttons per suggestion, and a row to page through the rest of the queue."""
    ids = [suggestion.id for suggestion in pending]
    return ReviewPageButton.review_view(SuggestionButton, ids, offset=offset, total=waiting)


async def review_page(interaction: Interaction, offset: int) -> tuple[str, ui.View | None]:
    """The review message for the page at ``offset`` (the last page if the queue shrank)."""
    suggestions = kit.services(interaction).suggestions
    guild_id = kit.guild_id(interaction)
    waiting = await suggestions.pending_count(guild_id)
    offset = kit.last_page_offset(offset, waiting)
    pending = await suggestions.pending_suggestions(guild_id, limit=REVIEW_PAGE, offset=offset)
    content = _render.review_text(pending, waiting=waiting, offset=offset)
    return content, review_view(pending, waiting=waiting, offset=offset) if pending else None


async def refresh_review(interaction: Interaction, note: str) -> None:
    """Show the decision and the suggestions still waiting, in the review message."""
    page, view = await review_page(interaction, ReviewPageButton.shown_offset(interaction.message))
    content = f"{note}\n\n{page}"
    if interaction.message is not None:
        await interaction.response.edit_message(content=content, view=view)
    elif view is not None:
        await interaction.response.send_message(content, view=view, ephemeral=True)
    else:
        await interaction.response.send_message(content, ephemeral=True)


REVIEW_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (SuggestionButton, ReviewPageButton)

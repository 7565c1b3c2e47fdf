"""Persistent components for icebreakers (ARCHITECTURE rule 10): every one is a ``DynamicItem``.

- ``icebreakers:remove:<schedule_id>``                    confirm removing a schedule.
- ``icebreakers:suggestion:<id>:<approve|reject>``        decide on a member's suggestion.
- ``icebreakers:review:<offset>:<older|newer>``           page through the review queue.
- ``icebreakers:prompts:<offset>:<older|newer>``          page through the prompt pool.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import ui

from bot.domain.custom_ids import DIGITS, PAGE_STEP, CustomId
from bot.tree import friendly_errors
from cogs import kit
from cogs.icebreakers import _render
from cogs.schedules import confirm_remove_button

Interaction = discord.Interaction[Any]
REMOVE = CustomId("icebreakers:remove", id=DIGITS)
PROMPTS = CustomId("icebreakers:prompts", offset=DIGITS, step=PAGE_STEP)
SUGGESTION = CustomId("icebreakers:suggestion", id=DIGITS, action="approve|reject")
REVIEW = CustomId("icebreakers:review", offset=DIGITS, step=PAGE_STEP)


# -- removing a schedule -------------------------------------------------------------------------


ConfirmRemoveButton = confirm_remove_button(
    REMOVE, lambda services: services.icebreaker_schedules, _render.removed_text
)


confirm_remove_view = ConfirmRemoveButton.confirm_view


# -- the prompt pool, paged ----------------------------------------------------------------------


class PromptsPageButton(kit.PageButton, spec=PROMPTS):
    @classmethod
    async def show_page(cls, interaction: Interaction, offset: int) -> tuple[str, ui.View | None]:
        return await prompts_page(interaction, offset)


async def prompts_page(interaction: Interaction, offset: int) -> tuple[str, ui.View | None]:
    pool = await kit.services(interaction).icebreaker_prompts.pool(kit.guild_id(interaction))
    page = _render.PROMPTS_PAGE
    offset = kit.last_page_offset(offset, len(pool), page)
    view = ui.View(timeout=None)
    PromptsPageButton.add_to(view, offset=offset, page=page, total=len(pool))
    return _render.prompts_page(pool, offset), view if view.children else None


# -- reviewing suggestions -----------------------------------------------------------------------


class SuggestionButton(kit.DecisionButton, spec=SUGGESTION):
    actions = {
        "approve": ("Approve", discord.ButtonStyle.success),
        "reject": ("Reject", discord.ButtonStyle.secondary),
    }

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            approve = self.action == "approve"
            text = await kit.services(interaction).icebreaker_prompts.decide(
                kit.guild_id(interaction),
                self.suggestion_id,
                approve=approve,
                actor_id=interaction.user.id,
                guild_name=kit.guild_name(interaction),
            )
            note = _render.decision_text(text, approve)
            offset = ReviewPageButton.shown_offset(interaction.message)
            page, view = await review_page(interaction, offset)
            await interaction.response.edit_message(content=f"{note}\n\n{page}", view=view)


class ReviewPageButton(kit.ReviewPageButton, spec=REVIEW):
    @classmethod
    async def show_page(cls, interaction: Interaction, offset: int) -> tuple[str, ui.View | None]:
        return await review_page(interaction, offset)


async def review_page(interaction: Interaction, offset: int) -> tuple[str, ui.View | None]:
    """The review message for the page at ``offset`` (the last page if the queue shrank)."""
    prompts = kit.services(interaction).icebreaker_prompts
    pending, total = await prompts.pending(kit.guild_id(interaction), offset)
    if not pending and offset > 0:
        offset = kit.last_page_offset(offset, total)
        pending, total = await prompts.pending(kit.guild_id(interaction), offset)
    content = _render.review_text(pending, total=total, offset=offset)
    if not pending:
        return content, None
    ids = [suggestion.id for suggestion in pending]
    return content, ReviewPageButton.review_view(SuggestionButton, ids, offset=offset, total=total)


DYNAMIC_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (
    ConfirmRemoveButton,
    PromptsPageButton,
    SuggestionButton,
    ReviewPageButton,
)

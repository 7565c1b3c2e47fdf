"""Persistent components for icebreakers (ARCHITECTURE rule 10): every one is a ``DynamicItem``.

- ``icebreakers:remove:<schedule_id>``                    confirm removing a schedule.
- ``icebreakers:suggestion:<id>:<approve|reject>``        decide on a member's suggestion.
- ``icebreakers:review:<offset>:<older|newer>``           page through the review queue.
- ``icebreakers:prompts:<offset>:<older|newer>``          page through the prompt pool.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import ui

from bot.services.icebreakers.prompts import REVIEW_PAGE
from bot.tree import friendly_errors
from cogs.checks import is_moderator
from cogs.icebreakers import _render
from cogs import kit

if TYPE_CHECKING:
    from bot.client import SigBot
    from bot.services import Services

Interaction = discord.Interaction[Any]
# The service pages by four: the fifth row holds the page buttons.
REVIEW_PAGE_ID = re.compile(r"icebreakers:review:(?P<offset>\d+):(?P<step>older|newer)")
_DECISIONS = {
    "approve": ("Approve", discord.ButtonStyle.success),
    "reject": ("Reject", discord.ButtonStyle.secondary),
}


class _ModeratorButton(ui.DynamicItem[ui.Button[Any]], template=r"(?!)"):
    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await is_moderator(interaction)


def _page_button(custom_id: str, step: str, row: int | None = None) -> ui.Button[Any]:
    label = "Next page" if step == "older" else "Previous page"
    return ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=custom_id, row=row)


# -- removing a schedule -------------------------------------------------------------------------


class ConfirmRemoveButton(_ModeratorButton, template=r"icebreakers:remove:(?P<id>\d+)"):
    def __init__(self, schedule_id: int) -> None:
        super().__init__(
            ui.Button(
                label="Remove schedule",
                style=discord.ButtonStyle.danger,
                custom_id=f"icebreakers:remove:{schedule_id}",
            )
        )
        self.schedule_id = schedule_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> ConfirmRemoveButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            removed = await kit.services(interaction).icebreaker_schedules.remove(
                kit.guild_id(interaction), self.schedule_id, actor_id=interaction.user.id
            )
            await interaction.response.edit_message(
                content=_render.removed_text(removed), view=None
            )


def confirm_remove_view(schedule_id: int) -> ui.View:
    view = ui.View(timeout=None)
    view.add_item(ConfirmRemoveButton(schedule_id))
    return view


# -- the prompt pool, paged ----------------------------------------------------------------------


class PromptsPageButton(
    _ModeratorButton, template=r"icebreakers:prompts:(?P<offset>\d+):(?P<step>older|newer)"
):
    def __init__(self, offset: int, step: str) -> None:
        super().__init__(_page_button(f"icebreakers:prompts:{offset}:{step}", step))
        self.offset = offset

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> PromptsPageButton:
        return cls(int(match["offset"]), match["step"])

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            content, view = await prompts_page(interaction, self.offset)
            await interaction.response.edit_message(content=content, view=view)


async def prompts_page(interaction: Interaction, offset: int) -> tuple[str, ui.View | None]:
    pool = await kit.services(interaction).icebreaker_prompts.pool(kit.guild_id(interaction))
    page = _render.PROMPTS_PAGE
    offset = min(offset, max(0, (len(pool) - 1) // page * page))
    view = ui.View(timeout=None)
    if offset > 0:
        view.add_item(PromptsPageButton(max(0, offset - page), "newer"))
    if offset + page < len(pool):
        view.add_item(PromptsPageButton(offset + page, "older"))
    return _render.prompts_page(pool, offset), view if view.children else None


# -- reviewing suggestions -----------------------------------------------------------------------


class SuggestionButton(
    _ModeratorButton, template=r"icebreakers:suggestion:(?P<id>\d+):(?P<action>approve|reject)"
):
    def __init__(self, suggestion_id: int, action: str, *, row: int | None = None) -> None:
        label, style = _DECISIONS[action]
        super().__init__(
            ui.Button(
                label=label,
                style=style,
                custom_id=f"icebreakers:suggestion:{suggestion_id}:{action}",
                row=row,
            )
        )
        self.suggestion_id = suggestion_id
        self.approve = action == "approve"

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> SuggestionButton:
        return cls(int(match["id"]), match["action"])

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            text = await kit.services(interaction).icebreaker_prompts.decide(
                kit.guild_id(interaction),
                self.suggestion_id,
                approve=self.approve,
                actor_id=interaction.user.id,
                guild_name=interaction.guild.name if interaction.guild else "",
            )
            note = _render.decision_text(text, self.approve)
            page, view = await review_page(interaction, _review_offset(interaction.message))
            await interaction.response.edit_message(content=f"{note}\n\n{page}", view=view)


class ReviewPageButton(_ModeratorButton, template=REVIEW_PAGE_ID.pattern):
    def __init__(self, offset: int, step: str) -> None:
        custom_id = f"icebreakers:review:{offset}:{step}"
        super().__init__(_page_button(custom_id, step, row=REVIEW_PAGE))
        self.offset = offset

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> ReviewPageButton:
        return cls(int(match["offset"]), match["step"])

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            content, view = await review_page(interaction, self.offset)
            await interaction.response.edit_message(content=content, view=view)


async def review_page(interaction: Interaction, offset: int) -> tuple[str, ui.View | None]:
    """The review message for the page at ``offset`` (the last page if the queue shrank)."""
    prompts = kit.services(interaction).icebreaker_prompts
    pending, total = await prompts.pending(kit.guild_id(interaction), offset)
    if not pending and offset > 0:
        offset = max(0, (total - 1) // REVIEW_PAGE * REVIEW_PAGE)
        pending, total = await prompts.pending(kit.guild_id(interaction), offset)
    content = _render.review_text(pending, total=total, offset=offset)
    if not pending:
        return content, None
    view = ui.View(timeout=None)
    for row, suggestion in enumerate(pending[:REVIEW_PAGE]):
        for action in _DECISIONS:
            view.add_item(SuggestionButton(suggestion.id, action, row=row))
    if offset > 0:
        view.add_item(ReviewPageButton(max(0, offset - REVIEW_PAGE), "newer"))
    if offset + len(pending) < total:
        view.add_item(ReviewPageButton(offset + REVIEW_PAGE, "older"))
    return content, view


def _review_offset(message: discord.Message | None) -> int:
    """The page a review message shows, read back from its page buttons."""
    for row in getattr(message, "components", None) or []:
        for child in getattr(row, "children", []):
            match = REVIEW_PAGE_ID.fullmatch(getattr(child, "custom_id", None) or "")
            if match:
                step = REVIEW_PAGE if match["step"] == "older" else -REVIEW_PAGE
                return max(0, int(match["offset"]) - step)
    return 0


DYNAMIC_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (
    ConfirmRemoveButton,
    PromptsPageButton,
    SuggestionButton,
    ReviewPageButton,
)

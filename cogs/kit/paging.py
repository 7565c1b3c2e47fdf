"""Paged moderator messages: page buttons, and the review queues of members' suggestions.

A page button's custom id carries the offset it turns to and its direction
(``<feature>:review:<offset>:<older|newer>``), so paging survives restarts and the page a
message shows can be read back from its buttons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self

import discord
from discord import ui

from bot.tree import friendly_errors
from cogs.kit.buttons import NEVER, Interaction, ModeratorOnlyButton

REVIEW_PAGE = 4  # suggestions a review page shows: Discord's fifth row holds the page buttons
OLDER, NEWER = "older", "newer"


class PageButton(ModeratorOnlyButton, template=NEVER):
    """Turns a message to the page at ``offset``; its spec's fields are ``offset`` and ``step``.

    A subclass names its ``spec`` and ``show_page``, which returns the page's text and view.
    """

    row_of_buttons: ClassVar[int | None] = None

    def __init__(self, offset: int, step: str) -> None:
        label = "Next page" if step == OLDER else "Previous page"
        button: ui.Button[Any] = ui.Button(
            label=label,
            style=discord.ButtonStyle.secondary,
            custom_id=self.spec.build(offset, step),
            row=self.row_of_buttons,
        )
        super().__init__(button)
        self.offset = offset

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        return cls(int(fields["offset"]), fields["step"])

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            content, view = await self.show_page(interaction, self.offset)
            await interaction.response.edit_message(content=content, view=view)

    @classmethod
    async def show_page(cls, interaction: Interaction, offset: int) -> tuple[str, ui.View | None]:
        raise NotImplementedError

    @classmethod
    def add_to(cls, view: ui.View, *, offset: int, page: int, total: int) -> None:
        """The buttons to the pages either side of the one at ``offset`` that exist."""
        if offset > 0:
            view.add_item(cls(max(0, offset - page), NEWER))
        if offset + page < total:
            view.add_item(cls(offset + page, OLDER))


class ReviewPageButton(PageButton, template=NEVER):
    """Pages a review queue; the rows above it hold one suggestion's decision buttons each."""

    row_of_buttons = REVIEW_PAGE

    @classmethod
    def shown_offset(cls, message: discord.Message | None) -> int:
        """The page a review message shows, read back from its page buttons."""
        for row in getattr(message, "components", None) or []:
            for child in getattr(row, "children", []):
                fields = cls.spec.parse(getattr(child, "custom_id", None) or "")
                if fields:
                    step = REVIEW_PAGE if fields["step"] == OLDER else -REVIEW_PAGE
                    return max(0, int(fields["offset"]) - step)
        return 0

    @classmethod
    def review_view(
        cls, decide: type[DecisionButton], suggestion_ids: Sequence[int], *, offset: int, total: int
    ) -> ui.View:
        """A row of ``decide`` buttons per suggestion on the page, then the row of page buttons."""
        view = ui.View(timeout=None)
        for row, suggestion_id in enumerate(suggestion_ids[:REVIEW_PAGE]):
            for button in decide.row_for(suggestion_id, row):
                view.add_item(button)
        cls.add_to(view, offset=offset, page=REVIEW_PAGE, total=total)
        return view


class DecisionButton(ModeratorOnlyButton, template=NEVER):
    """One of a suggestion's buttons in a review queue; its spec's fields are ``id`` and ``action``.

    A subclass names its ``spec``, its ``actions`` (action: label and style, in button order)
    and the ``callback`` that decides.
    """

    actions: ClassVar[Mapping[str, tuple[str, discord.ButtonStyle]]]

    def __init__(self, suggestion_id: int, action: str, *, row: int | None = None) -> None:
        label, style = self.actions[action]
        custom_id = self.spec.build(suggestion_id, action)
        super().__init__(ui.Button(label=label, style=style, custom_id=custom_id, row=row))
        self.suggestion_id = suggestion_id
        self.action = action

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        return cls(int(fields["id"]), fields["action"])

    @classmethod
    def row_for(cls, suggestion_id: int, row: int) -> list[Self]:
        """Every decision on one suggestion, side by side in ``row``."""
        return [cls(suggestion_id, action, row=row) for action in cls.actions]


def last_page_offset(offset: int, total: int, page: int = REVIEW_PAGE) -> int:
    """``offset``, or the last page's when the list shrank below it (someone else decided)."""
    return min(offset, max(0, (total - 1) // page * page))

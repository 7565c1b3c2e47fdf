"""Persistent components for events (ARCHITECTURE rule 10): every one is a ``DynamicItem``.

- ``events:remove:<event id>``   a moderator confirms removing an event.

``/event people`` pages with the ``/find`` paging buttons (``find::<page>:<step>:<event id>``)
and offers the ``/find`` introduction select: both belong to the introductions feature.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import ui

from bot.tree import friendly_errors
from cogs.checks import is_moderator
from cogs.events import _render

if TYPE_CHECKING:
    from bot.client import SigBot

Interaction = discord.Interaction[Any]


class ConfirmRemoveButton(ui.DynamicItem[ui.Button[Any]], template=r"events:remove:(?P<id>\d+)"):
    def __init__(self, event_id: int) -> None:
        super().__init__(
            ui.Button(
                label="Remove event",
                style=discord.ButtonStyle.danger,
                custom_id=f"events:remove:{event_id}",
            )
        )
        self.event_id = event_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> ConfirmRemoveButton:
        return cls(int(match["id"]))

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await is_moderator(interaction)

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            assert interaction.guild_id is not None  # checked above
            events = cast("SigBot", interaction.client).services.events
            removed = await events.remove(
                interaction.guild_id, self.event_id, actor_id=interaction.user.id
            )
            await interaction.response.edit_message(
                content=_render.removed_text(removed), view=None
            )


def confirm_remove_view(event_id: int) -> ui.View:
    view = ui.View(timeout=None)
    view.add_item(ConfirmRemoveButton(event_id))
    return view


DYNAMIC_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (ConfirmRemoveButton,)

"""Persistent components for events (ARCHITECTURE rule 10): every one is a ``DynamicItem``.

- ``events:remove:<event id>``   a moderator confirms removing an event.

``/event people`` pages with the ``/find`` paging buttons (``find::<page>:<step>:<event id>``)
and offers the ``/find`` introduction select: both belong to the introductions feature.
"""

from __future__ import annotations

from typing import Any

from discord import ui

from bot.domain.custom_ids import DIGITS, CustomId
from cogs.events import _render
from cogs.kit import ConfirmDestructiveButton, Interaction, services

REMOVE = CustomId("events:remove", id=DIGITS)


class ConfirmRemoveButton(ConfirmDestructiveButton, spec=REMOVE):
    label = "Remove event"

    async def destroy(self, interaction: Interaction, guild_id: int) -> str:
        removed = await services(interaction).events.remove(
            guild_id, self.record_id, actor_id=interaction.user.id
        )
        return _render.removed_text(removed)


confirm_remove_view = ConfirmRemoveButton.confirm_view

DYNAMIC_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (ConfirmRemoveButton,)

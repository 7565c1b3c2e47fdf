"""Moderators confirm before a near-duplicate tag is added and before two tags are merged.

Persistent buttons (ARCHITECTURE rule 10), each beside Cancel (``tags:cancel``):

- ``tags:add:<category>:<name>``      "Add it anyway" (cleaned names hold no ``:``; an empty
  category is the default one). 9 + 40 + 1 + 40 characters fit Discord's 100.
- ``tags:merge:<source_id>:<target_id>``  "Merge".
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import ui

from bot.tree import friendly_errors
from cogs.checks import is_moderator
from cogs.tags import _render
from cogs.tags._views import Interaction, _guild_id, services


class _ModeratorButton(ui.DynamicItem[ui.Button[Any]], template=r"(?!)"):
    """A confirmation only a moderator may press (checked again when pressed)."""

    def __init__(self, label: str, style: discord.ButtonStyle, custom_id: str) -> None:
        super().__init__(ui.Button(label=label, style=style, custom_id=custom_id))

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await is_moderator(interaction)


class ConfirmAddButton(_ModeratorButton, template=r"tags:add:(?P<category>[^:]*):(?P<name>[^:]+)"):
    def __init__(self, name: str, category: str | None) -> None:
        add = f"tags:add:{category or ''}:{name}"
        super().__init__("Add it anyway", discord.ButtonStyle.primary, add)
        self.name, self.category = name, category

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> ConfirmAddButton:
        return cls(match["name"], match["category"] or None)

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            new = await services(interaction).vocabulary.add_tag(
                _guild_id(interaction),
                self.name,
                category=self.category,
                actor_id=interaction.user.id,
            )
            await interaction.response.edit_message(content=_render.new_tag_text(new), view=None)


class ConfirmMergeButton(_ModeratorButton, template=r"tags:merge:(?P<source>\d+):(?P<target>\d+)"):
    def __init__(self, source_id: int, target_id: int) -> None:
        merge = f"tags:merge:{source_id}:{target_id}"
        super().__init__("Merge", discord.ButtonStyle.danger, merge)
        self.source_id, self.target_id = source_id, target_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> ConfirmMergeButton:
        return cls(int(match["source"]), int(match["target"]))

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            merged = await services(interaction).vocabulary.merge_tag_ids(
                _guild_id(interaction),
                self.source_id,
                self.target_id,
                actor_id=interaction.user.id,
            )
            await interaction.response.edit_message(content=_render.merged_text(merged), view=None)


CONFIRM_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (ConfirmAddButton, ConfirmMergeButton)

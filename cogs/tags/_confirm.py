"""Moderators confirm before a near-duplicate tag is added and before two tags are merged.

Persistent buttons (ARCHITECTURE rule 10), each beside Cancel (``tags:cancel``):

- ``tags:add:<category>:<name>``      "Add it anyway" (cleaned names hold no ``:``; an empty
  category is the default one). 9 + 40 + 1 + 40 characters fit Discord's 100.
- ``tags:merge:<source_id>:<target_id>``  "Merge".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

import discord
from discord import ui

from bot.domain.custom_ids import DIGITS, CustomId
from bot.tree import friendly_errors
from cogs import kit
from cogs.tags import _render

Interaction = discord.Interaction[Any]
ADD = CustomId("tags:add", category="[^:]*", name="[^:]+")
MERGE = CustomId("tags:merge", source=DIGITS, target=DIGITS)


class ConfirmAddButton(kit.ModeratorOnlyButton, spec=ADD):
    def __init__(self, name: str, category: str | None) -> None:
        add = ADD.build(category or "", name)
        style = discord.ButtonStyle.primary
        super().__init__(ui.Button(label="Add it anyway", style=style, custom_id=add))
        self.name, self.category = name, category

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        return cls(fields["name"], fields["category"] or None)

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            new = await kit.services(interaction).vocabulary.add_tag(
                kit.guild_id(interaction),
                self.name,
                category=self.category,
                actor_id=interaction.user.id,
            )
            await interaction.response.edit_message(content=_render.new_tag_text(new), view=None)


class ConfirmMergeButton(kit.ModeratorOnlyButton, spec=MERGE):
    def __init__(self, source_id: int, target_id: int) -> None:
        merge = MERGE.build(source_id, target_id)
        style = discord.ButtonStyle.danger
        super().__init__(ui.Button(label="Merge", style=style, custom_id=merge))
        self.source_id, self.target_id = source_id, target_id

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        return cls(int(fields["source"]), int(fields["target"]))

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            merged = await kit.services(interaction).vocabulary.merge_tag_ids(
                kit.guild_id(interaction),
                self.source_id,
                self.target_id,
                actor_id=interaction.user.id,
            )
            await interaction.response.edit_message(content=_render.merged_text(merged), view=None)


CONFIRM_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (ConfirmAddButton, ConfirmMergeButton)

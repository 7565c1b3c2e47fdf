"""Persistent components for intro rounds (ARCHITECTURE rule 10): every one is a ``DynamicItem``.

- ``rounds:met:<group id>:<met|not_yet|couldnt>``  "Did you meet?" in a group's thread
  (built by ``bot.services.rounds.messages``); only the group's members can answer.
- ``rounds:ghost:<guild id>:<keep|pause|leave>``   the ghost DM's choices (a DM has no server).
- ``rounds:remove:<schedule id>``                  a moderator confirms removing a schedule.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord import ui

from bot.domain.rounds.rules import GhostChoice, MeetAnswer
from bot.tree import friendly_errors
from cogs import kit
from cogs.checks import is_moderator
from cogs.rounds import _render

if TYPE_CHECKING:
    pass

Interaction = discord.Interaction[Any]


class MeetButton(
    ui.DynamicItem[ui.Button[Any]],
    template=r"rounds:met:(?P<group>\d+):(?P<answer>met|not_yet|couldnt)",
):
    def __init__(self, group_id: int, answer: MeetAnswer) -> None:
        super().__init__(ui.Button(custom_id=f"rounds:met:{group_id}:{answer.value}"))
        self.group_id = group_id
        self.answer = answer

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> MeetButton:
        return cls(int(match["group"]), MeetAnswer(match["answer"]))

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            await kit.services(interaction).round_members.answer(
                self.group_id, interaction.user.id, self.answer
            )
            await interaction.response.send_message(
                _render.answered_text(self.answer), ephemeral=True
            )


class GhostButton(
    ui.DynamicItem[ui.Button[Any]],
    template=r"rounds:ghost:(?P<guild>\d+):(?P<choice>keep|pause|leave)",
):
    def __init__(self, guild_id: int, choice: GhostChoice) -> None:
        super().__init__(ui.Button(custom_id=f"rounds:ghost:{guild_id}:{choice.value}"))
        self.guild_id = guild_id
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> GhostButton:
        return cls(int(match["guild"]), GhostChoice(match["choice"]))

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            text = await kit.services(interaction).round_members.ghost_choice(
                self.guild_id, interaction.user.id, self.choice
            )
            await interaction.response.edit_message(content=text, view=None)


class ConfirmRemoveButton(ui.DynamicItem[ui.Button[Any]], template=r"rounds:remove:(?P<id>\d+)"):
    def __init__(self, schedule_id: int) -> None:
        super().__init__(
            ui.Button(
                label="Remove schedule",
                style=discord.ButtonStyle.danger,
                custom_id=f"rounds:remove:{schedule_id}",
            )
        )
        self.schedule_id = schedule_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> ConfirmRemoveButton:
        return cls(int(match["id"]))

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await is_moderator(interaction)

    async def callback(self, interaction: Interaction) -> None:
        assert interaction.guild_id is not None
        async with friendly_errors(interaction):
            removed = await kit.services(interaction).rounds.remove(
                interaction.guild_id, self.schedule_id, actor_id=interaction.user.id
            )
            await interaction.response.edit_message(
                content=_render.removed_text(removed), view=None
            )


def confirm_remove_view(schedule_id: int) -> ui.View:
    view = ui.View(timeout=None)
    view.add_item(ConfirmRemoveButton(schedule_id))
    return view


DYNAMIC_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (
    MeetButton,
    GhostButton,
    ConfirmRemoveButton,
)

"""Persistent components for intro rounds (ARCHITECTURE rule 10): every one is a ``DynamicItem``.

- ``rounds:met:<group id>:<met|not_yet|couldnt>``  "Did you meet?" in a group's thread
  (built by ``bot.services.rounds.messages``); only the group's members can answer.
- ``rounds:ghost:<guild id>:<keep|pause|leave>``   the ghost DM's choices (a DM has no server).
- ``rounds:remove:<schedule id>``                  a moderator confirms removing a schedule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

import discord
from discord import ui

from bot.domain.custom_ids import DIGITS, CustomId
from bot.domain.rounds.rules import GhostChoice, MeetAnswer
from bot.services.rounds.messages import GHOST_ID, MEET_ID
from bot.tree import friendly_errors
from cogs import kit
from cogs.rounds import _render
from cogs.schedules import confirm_remove_button

Interaction = discord.Interaction[Any]
REMOVE = CustomId("rounds:remove", id=DIGITS)


class MeetButton(kit.PersistentButton, spec=MEET_ID):
    def __init__(self, group_id: int, answer: MeetAnswer) -> None:
        super().__init__(ui.Button(custom_id=MEET_ID.build(group_id, answer.value)))
        self.group_id = group_id
        self.answer = answer

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        return cls(int(fields["group"]), MeetAnswer(fields["answer"]))

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            await kit.services(interaction).round_members.answer(
                self.group_id, interaction.user.id, self.answer
            )
            await interaction.response.send_message(
                _render.answered_text(self.answer), ephemeral=True
            )


class GhostButton(kit.PersistentButton, spec=GHOST_ID):
    def __init__(self, guild_id: int, choice: GhostChoice) -> None:
        super().__init__(ui.Button(custom_id=GHOST_ID.build(guild_id, choice.value)))
        self.guild_id = guild_id
        self.choice = choice

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        return cls(int(fields["guild"]), GhostChoice(fields["choice"]))

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            text = await kit.services(interaction).round_members.ghost_choice(
                self.guild_id, interaction.user.id, self.choice
            )
            await interaction.response.edit_message(content=text, view=None)


ConfirmRemoveButton = confirm_remove_button(
    REMOVE, lambda services: services.rounds, _render.removed_text
)


confirm_remove_view = ConfirmRemoveButton.confirm_view


DYNAMIC_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (
    MeetButton,
    GhostButton,
    ConfirmRemoveButton,
)

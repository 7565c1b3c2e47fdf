"""Persistent button bases: a spec each, one record id, the moderator check, the confirm."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar, Self

import discord
from discord import ui

from bot.domain.custom_ids import CustomId
from bot.tree import friendly_errors
from cogs.kit.checks import is_moderator
from cogs.kit.context import guild_id

Interaction = discord.Interaction[Any]
NEVER = r"(?!)"  # the template of a base class: only its subclasses answer clicks


class PersistentButton(ui.DynamicItem[ui.Button[Any]], template=NEVER):
    """A button that answers clicks after a restart: ``class X(PersistentButton, spec=…)``.

    The spec builds the button's custom id and gives the template it is registered with, so
    the two cannot drift apart.
    """

    spec: ClassVar[CustomId]

    def __init_subclass__(cls, *, spec: CustomId | None = None, template: str = NEVER) -> None:
        if spec is not None:
            cls.spec = spec
            template = spec.template
        super().__init_subclass__(template=template)

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls.from_fields(match.groupdict())

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        """The button again, from the fields of the custom id it was clicked with."""
        raise NotImplementedError


class ModeratorOnlyButton(PersistentButton, template=NEVER):
    """A persistent button only members with Manage Server may press (checked at click time)."""

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await is_moderator(interaction)


class RecordButton(PersistentButton, template=NEVER):
    """A persistent button whose custom id carries one record's id, its spec's one field.

    A subclass names its ``spec``, ``label`` and ``style``; ``label=`` at build time numbers a
    button among others like it.
    """

    label: ClassVar[str]
    style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary

    def __init__(self, record_id: int, *, label: str = "", row: int | None = None) -> None:
        super().__init__(
            ui.Button(
                label=label or self.label,
                style=self.style,
                custom_id=self.spec.build(record_id),
                row=row,
            )
        )
        self.record_id = record_id

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        (record_id,) = fields.values()
        return cls(int(record_id))


class ConfirmDestructiveButton(RecordButton, template=NEVER):
    """The red "yes, remove it" under a warning, for moderators only.

    A subclass names its ``spec``, its ``label`` and ``destroy``, which does the removal and
    returns what the message then says.
    """

    style = discord.ButtonStyle.danger

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await is_moderator(interaction)

    @classmethod
    def confirm_view(cls, record_id: int) -> ui.View:
        """The view that carries only this button (persistent: the message may wait days)."""
        view = ui.View(timeout=None)
        view.add_item(cls(record_id))
        return view

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            text = await self.destroy(interaction, guild_id(interaction))
            await interaction.response.edit_message(content=text, view=None)

    async def destroy(self, interaction: Interaction, guild_id: int) -> str:
        raise NotImplementedError

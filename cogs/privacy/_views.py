"""The /privacy delete confirmation (ARCHITECTURE rule 10): ``DynamicItem`` buttons.

- ``privacy:delete:<server id|all>:<expires, unix s>``  delete everything about the clicker in
  that server (``all``: every server, offered in DMs). The id carries its own expiry, so it
  works after a restart and stops working 10 minutes after it was offered.
- ``privacy:keep``  cancel: nothing is deleted.

Whoever clicks deletes only their own data (the message is ephemeral or in their DMs anyway).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Self

import discord
from discord import ui

from bot.domain.custom_ids import DIGITS, CustomId
from bot.tree import friendly_errors
from cogs import kit
from cogs.privacy import _render

Interaction = discord.Interaction[Any]
CONFIRM_FOR = timedelta(minutes=10)
EVERY_SERVER = "all"
DELETE = CustomId("privacy:delete", scope=rf"{DIGITS}|{EVERY_SERVER}", until=DIGITS)
KEEP = CustomId("privacy:keep")


class DeleteButton(kit.PersistentButton, spec=DELETE):
    def __init__(self, scope: str, until: int) -> None:
        super().__init__(
            ui.Button(
                label="Delete everything",
                style=discord.ButtonStyle.danger,
                custom_id=DELETE.build(scope, until),
            )
        )
        self.scope = scope
        self.until = until

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        return cls(fields["scope"], int(fields["until"]))

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            services = kit.services(interaction)
            if services.clock.now().timestamp() > self.until:
                await interaction.response.edit_message(content=_render.EXPIRED, view=None)
                return
            guild_id = None if self.scope == EVERY_SERVER else int(self.scope)
            if guild_id is not None and interaction.guild_id not in (None, guild_id):
                await interaction.response.edit_message(content=_render.EXPIRED, view=None)
                return
            deleted = await services.privacy.delete(guild_id, interaction.user.id)
            text = _render.deleted_text(deleted, everywhere=guild_id is None)
            await interaction.response.edit_message(content=text, view=None)


class KeepButton(kit.PersistentButton, spec=KEEP):
    def __init__(self) -> None:
        super().__init__(
            ui.Button(label="Cancel", style=discord.ButtonStyle.secondary, custom_id=KEEP.build())
        )

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        return cls()

    async def callback(self, interaction: Interaction) -> None:
        await interaction.response.edit_message(content=_render.KEPT, view=None)


def confirm_view(guild_id: int | None, now: datetime) -> ui.View:
    scope = EVERY_SERVER if guild_id is None else str(guild_id)
    view = ui.View(timeout=None)
    view.add_item(DeleteButton(scope, int((now + CONFIRM_FOR).timestamp())))
    view.add_item(KeepButton())
    return view


DYNAMIC_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (DeleteButton, KeepButton)

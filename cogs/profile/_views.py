"""The profile edit modal, pre-filled with what is stored."""

from __future__ import annotations

from typing import Any

import discord
from discord import ui

from bot.domain.profiles import ABOUT_LIMIT, CONTACT_LIMIT, LOOKING_FOR_LIMIT, Profile
from bot.services.profiles import ProfileService
from bot.tree import friendly_errors
from cogs import kit
from cogs.profile import _render


class ProfileModal(ui.Modal, title="Your profile"):
    about: ui.TextInput[ProfileModal] = ui.TextInput(
        label="About me",
        style=discord.TextStyle.paragraph,
        max_length=ABOUT_LIMIT,
        required=False,
        placeholder="e.g. Outpatient ortho PT in Ohio, 5 years in; love running injuries.",
    )
    looking_for: ui.TextInput[ProfileModal] = ui.TextInput(
        label="What I'm looking for",
        style=discord.TextStyle.paragraph,
        max_length=LOOKING_FOR_LIMIT,
        required=False,
        placeholder="e.g. a mentor for my first year, or people to talk research with.",
    )
    contact: ui.TextInput[ProfileModal] = ui.TextInput(
        label="How to reach me (only for people I meet)",
        style=discord.TextStyle.short,
        max_length=CONTACT_LIMIT,
        required=False,
        placeholder="e.g. a professional email or profile link; never shown in listings.",
    )

    def __init__(self, current: Profile, profiles: ProfileService) -> None:
        super().__init__(timeout=900)
        self.profiles = profiles
        self.about.default = current.about
        self.looking_for.default = current.looking_for
        self.contact.default = current.contact

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        async with friendly_errors(interaction):
            guild_id = kit.guild_id(interaction)
            profiles = self.profiles
            await profiles.edit(
                guild_id,
                interaction.user.id,
                about=self.about.value,
                looking_for=self.looking_for.value,
                contact=self.contact.value,
            )
            view = await profiles.view(guild_id, interaction.user.id, interaction.user.id)
            await interaction.response.send_message(
                _render.saved_text(),
                embed=_render.profile_embed(view, interaction.user),
                ephemeral=True,
            )

"""The Manage Server check every moderator-only component makes when clicked."""

from __future__ import annotations

from typing import Any

import discord

from bot.tree import safe_reply


async def is_moderator(interaction: discord.Interaction[Any]) -> bool:
    """Re-check Manage Server at click time: the message may outlive the clicker's role."""
    if interaction.guild_id is not None and interaction.permissions.manage_guild:
        return True
    await safe_reply(interaction, "You need the Manage Server permission for this.")
    return False

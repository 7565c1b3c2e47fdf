"""The profile embed. Profile text was cleaned when stored (it cannot ping or hide); it is made
safe to show here as well, so ``[text](url)`` never becomes a masked link, old rows included.
"""

from __future__ import annotations

import discord

from bot.domain.text import show_member_text
from bot.services.profiles import ProfileView
from cogs.rendering import grouped_lines

NOT_SET = "Not filled in yet."
FIELD_LIMIT = 1024  # Discord's limit on an embed field's value


def profile_embed(view: ProfileView, member: discord.abc.User) -> discord.Embed:
    embed = discord.Embed(title=f"{member.display_name}"[:256])
    embed.set_thumbnail(url=member.display_avatar.url)
    embed.add_field(name="About me", value=_shown(view.profile.about), inline=False)
    embed.add_field(
        name="What I'm looking for", value=_shown(view.profile.looking_for), inline=False
    )
    tags = grouped_lines(view.tags) or "No tags yet."
    embed.add_field(name="Tags", value=tags[:1024], inline=False)
    if view.is_self:
        embed.set_footer(text=_visibility(view.discoverable))
    return embed


def _shown(text: str | None) -> str:
    return show_member_text(text)[:FIELD_LIMIT] if text else NOT_SET


def _visibility(discoverable: bool) -> str:
    if discoverable:
        return "You are discoverable: members of this server can see this profile."
    return "Only you can see this: you are not discoverable in this server."


def saved_text() -> str:
    return "Saved. This is how your profile looks:"

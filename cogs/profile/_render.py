"""The profile embed. Profile text was cleaned when stored: it cannot ping."""

from __future__ import annotations

import discord

from bot.services.profiles import ProfileView
from cogs.tags._render import grouped_lines

NOT_SET = "Not filled in yet."


def profile_embed(view: ProfileView, member: discord.abc.User) -> discord.Embed:
    embed = discord.Embed(title=f"{member.display_name}"[:256])
    embed.set_thumbnail(url=member.display_avatar.url)
    embed.add_field(name="About me", value=view.profile.about or NOT_SET, inline=False)
    embed.add_field(
        name="What I'm looking for", value=view.profile.looking_for or NOT_SET, inline=False
    )
    tags = grouped_lines(view.tags) or "No tags yet."
    embed.add_field(name="Tags", value=tags[:1024], inline=False)
    if view.is_self:
        embed.set_footer(text=_visibility(view.discoverable))
    return embed


def _visibility(discoverable: bool) -> str:
    if discoverable:
        return "You are discoverable: members of this server can see this profile."
    return (
        "Only you can see this: you are not discoverable here. "
        "Change it with /privacy discoverable."
    )


def saved_text() -> str:
    return "Saved. This is how your profile looks:"

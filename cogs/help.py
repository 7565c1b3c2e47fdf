"""/help: what the bot does and the commands a member can use, built from the command tree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.manifest import Feature
from bot.responding import respond

if TYPE_CHECKING:
    from bot.client import SigBot

INTRO = (
    "I help this community connect: tag your interests, find people who share them and get "
    "introduced with both sides' consent, meet someone new in intro rounds and fellow attendees "
    "of events, find a mentor, and talk about the icebreaker prompts. "
    "Nothing about you is shown to others unless you choose to be discoverable, and "
    "`/privacy export` or `/privacy delete` (here, or in DMs with me for every server) gives "
    "you or erases everything I store about you."
)


def member_commands(tree: app_commands.CommandTree[SigBot]) -> list[tuple[str, str]]:
    """(``/name sub``, description) for every command without moderator-only permissions."""
    lines: list[tuple[str, str]] = []
    for command in tree.get_commands(type=discord.AppCommandType.chat_input):
        if command.default_permissions is not None:
            continue
        if isinstance(command, app_commands.Group):
            lines.extend(
                (f"/{c.qualified_name}", c.description)
                for c in command.walk_commands()
                if isinstance(c, app_commands.Command)
            )
        else:
            lines.append((f"/{command.qualified_name}", command.description))
    for menu in tree.get_commands(type=discord.AppCommandType.user):
        lines.append((menu.name, "right-click a member (or tap their name), then Apps"))
    return sorted(lines)


FIELD_LIMIT = 1024  # Discord's limit on an embed field's value


def listing_chunks(commands_: list[tuple[str, str]]) -> list[str]:
    """The command lines, cut into field-sized pieces at line ends (never mid-command)."""
    return field_chunks(f"`{name}`: {description}" for name, description in commands_)


def field_chunks(lines: Iterable[str]) -> list[str]:
    """Lines joined into as few embed-field values as fit, cut only at line ends."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        line = line[:FIELD_LIMIT]
        if current and len(current) + 1 + len(line) > FIELD_LIMIT:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    return [*chunks, current] if current else chunks


def moderator_help(features: Iterable[Feature]) -> list[str]:
    """Each feature's lines for moderators, from its manifest, in feature order."""
    return [line for feature in features for line in feature.moderator_help]


def help_embed(
    commands_: list[tuple[str, str]], moderator_lines: list[str] | None
) -> discord.Embed:
    embed = discord.Embed(title="How I can help", description=INTRO)
    chunks = listing_chunks(commands_) or ["None yet."]
    for number, chunk in enumerate(chunks):
        name = "Your commands" if number == 0 else "Your commands (continued)"
        embed.add_field(name=name, value=chunk, inline=False)
    if moderator_lines is not None:
        for number, chunk in enumerate(field_chunks(moderator_lines)):
            name = "For moderators" if number == 0 else "For moderators (continued)"
            embed.add_field(name=name, value=chunk, inline=False)
    return embed


class HelpCog(commands.Cog):
    def __init__(self, bot: SigBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What this bot does and how to use it")
    async def help(self, interaction: discord.Interaction[SigBot]) -> None:
        is_moderator = bool(interaction.guild and interaction.permissions.manage_guild)
        lines = moderator_help(self.bot.features) if is_moderator else None
        embed = help_embed(member_commands(self.bot.tree), lines)
        await respond(interaction, embed=embed)


async def setup(bot: SigBot) -> None:
    await bot.add_cog(HelpCog(bot))

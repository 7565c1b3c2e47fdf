"""/help: what the bot does and the commands a member can use, built from the command tree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

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

MODERATOR_HELP = (
    "`/setup show` shows every setting, checks my permissions in each channel and lists what "
    "to do next.",
    "`/setup tags` curates the interest tags: start with `/setup tags preset name:pt` (or "
    "`general`), post a picker with `/setup tags picker`, and approve members' suggestions "
    "with `/setup tags review`.",
    "`/setup icebreakers` posts discussion prompts: import a pack with `/setup icebreakers pack`, "
    "add a schedule with `/setup icebreakers schedule`, check it with `/setup icebreakers list` "
    "and `next`, and review members' `/icebreaker suggest` ideas with "
    "`/setup icebreakers review`.",
    "`/setup events` lists conferences members can attend: `add` one or `import` the server's "
    "Discord scheduled events, then `list` or `remove`; attendance fades "
    "`event_retention_days` after each event (`/setup defaults`).",
    "Mentorship: set the `mentorship` and `mentor-requests` channels with `/setup channel`, "
    "and optionally who may mentor with `/setup mentorship require_role`.",
    "`/setup report` counts the last 30 or 90 days (`format:csv` or `format:chart` attaches a "
    'file); counts below 3 show as "fewer than 3".',
    "`/setup rounds` groups members who `/rounds join` into private threads on a schedule: "
    "`/setup rounds schedule` (weekly, biweekly or monthly), `list`, `next`, `pause`, "
    "`resume`, `remove`, `run-now`; `/setup events round` runs one among an event's attendees.",
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


def help_embed(commands_: list[tuple[str, str]], is_moderator: bool) -> discord.Embed:
    embed = discord.Embed(title="How I can help", description=INTRO)
    chunks = listing_chunks(commands_) or ["None yet."]
    for number, chunk in enumerate(chunks):
        name = "Your commands" if number == 0 else "Your commands (continued)"
        embed.add_field(name=name, value=chunk, inline=False)
    if is_moderator:
        for number, chunk in enumerate(field_chunks(MODERATOR_HELP)):
            name = "For moderators" if number == 0 else "For moderators (continued)"
            embed.add_field(name=name, value=chunk, inline=False)
    return embed


class HelpCog(commands.Cog):
    def __init__(self, bot: SigBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What this bot does and how to use it")
    async def help(self, interaction: discord.Interaction[SigBot]) -> None:
        is_moderator = bool(interaction.guild and interaction.permissions.manage_guild)
        embed = help_embed(member_commands(self.bot.tree), is_moderator)
        await respond(interaction, embed=embed)


async def setup(bot: SigBot) -> None:
    await bot.add_cog(HelpCog(bot))

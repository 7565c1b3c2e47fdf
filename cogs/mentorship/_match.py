"""``/mentor checkin``, ``/mentor close`` and ``/mentor record``: a match once it is active.

These join the ``/mentor`` group of the requests cog (``_cog.py``) when it is loaded, as
subcommands built per bot in ``cog_load`` (a cog's own commands would be top-level); without
it this cog makes the group itself. The buttons they rely on live in ``_match_views.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.mentorship.matches import (
    CHECKIN_MAX_MINUTES,
    CHECKIN_NOTE_LIMIT,
    MatchOutcome,
)
from bot.responding import respond
from bot.services.mentorship.match_messages import when
from cogs.mentorship._match_views import DYNAMIC_ITEMS, open_feedback

if TYPE_CHECKING:
    from bot.client import SigBot

GROUP = "mentor"
NoteText = app_commands.Range[str, 1, CHECKIN_NOTE_LIMIT]
Minutes = app_commands.Range[int, 1, CHECKIN_MAX_MINUTES]


def _guild_id(interaction: discord.Interaction[SigBot]) -> int:
    assert interaction.guild_id is not None  # the /mentor group is guild-only
    return interaction.guild_id


@app_commands.describe(
    note="What you talked about (goes into both mentoring records)",
    minutes="How long you met, in minutes",
)
async def checkin(
    interaction: discord.Interaction[SigBot], note: NoteText, minutes: Minutes | None = None
) -> None:
    assert interaction.channel_id is not None
    match = await interaction.client.services.mentor_matches.checkin(
        _guild_id(interaction), interaction.channel_id, interaction.user.id, note, minutes
    )
    took = f" ({minutes} minutes)" if minutes else ""
    await respond(
        interaction,
        f"Check-in recorded{took}. It will be in both mentoring records; the term ends on "
        f"{when(match.term_ends_at)}.",
    )


@app_commands.describe(outcome="How it ended: completed, or withdrawn (ended early)")
async def close(
    interaction: discord.Interaction[SigBot], outcome: Literal["completed", "withdrawn"]
) -> None:
    assert interaction.channel_id is not None
    match = await interaction.client.services.mentor_matches.in_channel(
        _guild_id(interaction), interaction.channel_id, interaction.user.id
    )
    await open_feedback(interaction, match.id, MatchOutcome(outcome))


@app_commands.describe(match="Which past mentorship (start typing; needed if you have several)")
async def record(interaction: discord.Interaction[SigBot], match: int | None = None) -> None:
    text = await interaction.client.services.mentor_records.resend(
        _guild_id(interaction), interaction.user.id, match
    )
    await respond(interaction, text)


async def _past_matches(
    interaction: discord.Interaction[SigBot], current: str
) -> list[app_commands.Choice[int]]:
    past = await interaction.client.services.mentor_records.past(
        _guild_id(interaction), interaction.user.id, current
    )
    return [app_commands.Choice(name=p.label, value=p.match_id) for p in past]


def _commands() -> list[app_commands.Command[Any, ..., None]]:
    built: list[app_commands.Command[Any, ..., None]] = [
        app_commands.Command(
            name="checkin", description="Record a check-in in your mentorship", callback=checkin
        ),
        app_commands.Command(
            name="close",
            description="Close your mentorship (in its thread), with a short feedback form",
            callback=close,
        ),
        app_commands.Command(
            name="record", description="Get the record of a past mentorship by DM", callback=record
        ),
    ]
    built[2].autocomplete("match")(_past_matches)
    return built


class MentorMatchCog(commands.Cog):
    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.group: app_commands.Group | None = None
        self.own_group = False
        self.added: list[str] = []

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)
        group = self.bot.tree.get_command(GROUP)
        if not isinstance(group, app_commands.Group):
            group = app_commands.Group(name=GROUP, description="Mentorship", guild_only=True)
            self.bot.tree.add_command(group)
            self.own_group = True
        for command in _commands():
            group.add_command(command)
            self.added.append(command.name)
        self.group = group

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)
        if self.group is not None:
            for name in self.added:
                self.group.remove_command(name)
            if self.own_group:
                self.bot.tree.remove_command(GROUP)
        self.added.clear()

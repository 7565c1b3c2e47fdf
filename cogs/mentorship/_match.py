"""``/mentor checkin``, ``/mentor close`` and ``/mentor record``: a match once it is active.

A cog of its own beside the requests cog (``_cog.py``), whose ``/mentor`` group its commands
join (``attach_to_mentor_group`` in the package's ``setup``). Buttons: ``_match_views.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

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
from cogs import kit
from cogs.mentorship._match_views import DYNAMIC_ITEMS, open_feedback

if TYPE_CHECKING:
    from bot.client import SigBot

Interaction = discord.Interaction["SigBot"]
NoteText = app_commands.Range[str, 1, CHECKIN_NOTE_LIMIT]
Minutes = app_commands.Range[int, 1, CHECKIN_MAX_MINUTES]


class MentorMatchCog(kit.WithComponents, commands.Cog):
    """Its commands are moved under ``/mentor`` by ``attach_to_mentor_group`` once loaded."""

    components = DYNAMIC_ITEMS

    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.matches = bot.services.mentor_matches
        self.records = bot.services.mentor_records

    @app_commands.command(name="checkin", description="Record a check-in in your mentorship")
    @app_commands.describe(
        note="What you talked about (goes into both mentoring records)",
        minutes="How long you met, in minutes",
    )
    async def checkin(
        self, interaction: Interaction, note: NoteText, minutes: Minutes | None = None
    ) -> None:
        assert interaction.channel_id is not None
        match = await self.matches.checkin(
            kit.guild_id(interaction), interaction.channel_id, interaction.user.id, note, minutes
        )
        took = f" ({minutes} minutes)" if minutes else ""
        await respond(
            interaction,
            f"Check-in recorded{took}. It will be in both mentoring records; the term ends on "
            f"{when(match.term_ends_at)}.",
        )

    @app_commands.command(
        name="close",
        description="Close your mentorship (in its thread), with a short feedback form",
    )
    @app_commands.describe(outcome="How it ended: completed, or withdrawn (ended early)")
    async def close(
        self, interaction: Interaction, outcome: Literal["completed", "withdrawn"]
    ) -> None:
        assert interaction.channel_id is not None
        match = await self.matches.in_channel(
            kit.guild_id(interaction), interaction.channel_id, interaction.user.id
        )
        await open_feedback(interaction, match.id, MatchOutcome(outcome))

    @app_commands.command(name="record", description="Get the record of a past mentorship by DM")
    @app_commands.describe(match="Which past mentorship (start typing; needed if you have several)")
    async def record(self, interaction: Interaction, match: int | None = None) -> None:
        text = await self.records.resend(kit.guild_id(interaction), interaction.user.id, match)
        await respond(interaction, text)

    @record.autocomplete("match")
    async def _past_matches(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        past = await self.records.past(kit.guild_id(interaction), interaction.user.id, current)
        return [app_commands.Choice(name=p.label, value=p.match_id) for p in past]

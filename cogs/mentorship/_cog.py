"""/mentor: offer, pause, resume, status, request, cancel (the match's commands: ``_match``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.mentorship.requests import (
    DEFAULT_TERM,
    MAX_CAPACITY,
    MIN_CAPACITY,
    NOTE_LIMIT,
    TERMS,
)
from bot.responding import respond, respond_with_modal
from cogs import kit
from cogs.mentorship import _render
from cogs.mentorship._views import DYNAMIC_ITEMS, RequestModal

if TYPE_CHECKING:
    from bot.client import SigBot

Interaction = discord.Interaction["SigBot"]
TagText = app_commands.Range[str, 1, 100]
NoteText = app_commands.Range[str, 1, NOTE_LIMIT]
Capacity = app_commands.Range[int, MIN_CAPACITY, MAX_CAPACITY]


def _role_ids(interaction: Interaction) -> list[int]:
    user = interaction.user
    return [role.id for role in user.roles] if isinstance(user, discord.Member) else []


@app_commands.guild_only()
class MentorCog(
    kit.WithComponents, commands.GroupCog, group_name="mentor", group_description="Mentorship"
):
    components = DYNAMIC_ITEMS

    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.mentors = bot.services.mentors
        self.requests = bot.services.mentor_requests
        self.vocabulary = bot.services.vocabulary
        super().__init__()

    @app_commands.command(name="offer", description="Offer to mentor in your tags")
    @app_commands.describe(
        capacity=f"Mentees at once ({MIN_CAPACITY} to {MAX_CAPACITY}; default 2)",
        note="A line mentees' requests won't show, for your own status",
        topic="Mentor only in this tag (default: all your tags)",
        topic2="Another tag to mentor in",
        topic3="A third tag to mentor in",
    )
    async def offer(
        self,
        interaction: Interaction,
        capacity: Capacity | None = None,
        note: NoteText | None = None,
        topic: TagText | None = None,
        topic2: TagText | None = None,
        topic3: TagText | None = None,
    ) -> None:
        status = await self.mentors.offer(
            kit.guild_id(interaction),
            interaction.user.id,
            capacity=capacity,
            note=note,
            topics=[t for t in (topic, topic2, topic3) if t],
            role_ids=_role_ids(interaction),
        )
        await respond(interaction, _render.offered_text(status))

    @app_commands.command(name="pause", description="Stop new mentor requests for a while")
    async def pause(self, interaction: Interaction) -> None:
        rerouted = await self.mentors.pause(kit.guild_id(interaction), interaction.user.id)
        await respond(interaction, _render.paused_text(rerouted))

    @app_commands.command(name="resume", description="Take mentor requests again")
    async def resume(self, interaction: Interaction) -> None:
        waiting = await self.mentors.resume(kit.guild_id(interaction), interaction.user.id)
        await respond(interaction, _render.resumed_text(waiting))

    @app_commands.command(name="status", description="Your mentees, requests and capacity")
    async def status(self, interaction: Interaction) -> None:
        status = await self.mentors.status(kit.guild_id(interaction), interaction.user.id)
        await respond(interaction, embed=_render.status_embed(status))

    @app_commands.command(name="request", description="Ask for a mentor in a topic")
    @app_commands.describe(topic="Start typing a tag", term="How long (default 6 months)")
    @app_commands.choices(
        term=[app_commands.Choice(name=f"{months} months", value=months) for months in TERMS]
    )
    async def request(
        self, interaction: Interaction, topic: TagText, term: int = DEFAULT_TERM
    ) -> None:
        # Refused here (an open request, not discoverable), before any goals are typed.
        name = await self.requests.form_for(kit.guild_id(interaction), interaction.user.id, topic)
        await respond_with_modal(interaction, RequestModal(name, term))

    @app_commands.command(name="cancel", description="Withdraw your unclaimed mentor request")
    async def cancel(self, interaction: Interaction) -> None:
        request = await self.requests.cancel(kit.guild_id(interaction), interaction.user.id)
        await respond(interaction, _render.cancelled_text(request))

    @offer.autocomplete("topic")
    @offer.autocomplete("topic2")
    @offer.autocomplete("topic3")
    @request.autocomplete("topic")
    async def _tag(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        completions = await self.vocabulary.complete(kit.guild_id(interaction), current)
        return [app_commands.Choice(name=c.label, value=c.value) for c in completions]

"""Persistent components for /mentor (ARCHITECTURE rule 10).

- ``mentor:claim:<request id>``  Claim, on the mentor-requests card and in mentors' DMs (built by
  ``bot.services.mentorship.messages``); a ``DynamicItem``, so it works after a restart.
- The request form (a modal) carries its topic; one left open over a restart is answered by
  the client's "that form expired" reply.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import ui

from bot.domain.mentorship.requests import BACKGROUND_LIMIT, DEFAULT_TERM, GOALS_LIMIT
from bot.responding import respond
from bot.services.mentorship.messages import CLAIM_ID
from bot.tree import friendly_errors
from cogs import kit
from cogs.mentorship import _render

Interaction = discord.Interaction[Any]  # discord.py types UI callbacks for any client


class ClaimButton(kit.RecordButton, spec=CLAIM_ID):
    """A mentor claims a request: one transaction decides; the loser hears so, kindly."""

    label, style = "Claim", discord.ButtonStyle.success

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            claimed = await kit.services(interaction).mentor_claims.claim(
                self.record_id, interaction.user.id
            )
            await respond(interaction, _render.claimed_text(claimed))


class RequestModal(ui.Modal):
    goals: ui.TextInput[RequestModal] = ui.TextInput(
        label="Your goals (a couple, specific)",
        style=discord.TextStyle.paragraph,
        max_length=GOALS_LIMIT,
        required=True,
        placeholder="e.g. pass the OCS exam; build confidence with post-op knees",
    )
    background: ui.TextInput[RequestModal] = ui.TextInput(
        label="Your background (optional)",
        style=discord.TextStyle.paragraph,
        max_length=BACKGROUND_LIMIT,
        required=False,
        placeholder="e.g. new grad, outpatient ortho, 6 months in",
    )

    def __init__(self, topic: str, term_months: int = DEFAULT_TERM) -> None:
        super().__init__(
            title=f"Find a mentor: {topic}"[:45], custom_id="mentor:request", timeout=900
        )
        self.topic = topic
        self.term_months = term_months  # chosen on the command: a form field could be mistyped

    async def on_submit(self, interaction: Interaction, /) -> None:
        async with friendly_errors(interaction):
            opened = await kit.services(interaction).mentor_requests.open(
                kit.guild_id(interaction),
                interaction.user.id,
                topic=self.topic,
                goals=self.goals.value,
                term=str(self.term_months),
                background=self.background.value,
            )
            await respond(interaction, _render.opened_text(opened))


DYNAMIC_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (ClaimButton,)

"""/event: members mark the events they attend and find other attendees who share interests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.responding import respond
from cogs import kit
from cogs.events import _render
from cogs.events._views import DYNAMIC_ITEMS
from cogs.introductions import event_label, find_embed, find_view

if TYPE_CHECKING:
    from bot.client import SigBot

Interaction = discord.Interaction["SigBot"]
TagText = app_commands.Range[str, 1, 100]


@app_commands.guild_only()
class EventCog(
    kit.WithComponents,
    commands.GroupCog,
    group_name="event",
    group_description="Events and conferences",
):
    components = DYNAMIC_ITEMS

    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.events = bot.services.events
        self.vocabulary = bot.services.vocabulary
        super().__init__()

    @app_commands.command(name="attend", description="Mark that you attend an event")
    @app_commands.describe(event="Start typing the event's name")
    async def attend(self, interaction: Interaction, event: int) -> None:
        attending = await self.events.attend(kit.guild_id(interaction), interaction.user.id, event)
        await respond(interaction, _render.attend_text(attending))

    @app_commands.command(name="leave", description="You no longer attend an event")
    @app_commands.describe(event="One of your events")
    async def leave(self, interaction: Interaction, event: int) -> None:
        left = await self.events.leave(kit.guild_id(interaction), interaction.user.id, event)
        await respond(interaction, _render.left_text(left))

    @app_commands.command(name="mine", description="The events you are marked as attending")
    async def mine(self, interaction: Interaction) -> None:
        events = await self.events.mine(kit.guild_id(interaction), interaction.user.id)
        await respond(interaction, _render.mine_text(events))

    @app_commands.command(name="people", description="Attendees of an event who share your tags")
    @app_commands.describe(event="Start typing the event's name", tag="Only people with this tag")
    async def people(
        self, interaction: Interaction, event: int, tag: TagText | None = None
    ) -> None:
        found = await self.events.people(
            kit.guild_id(interaction), interaction.user.id, event, [tag] if tag else []
        )
        if not found.result.people:
            await respond(interaction, _render.NOBODY_THERE)
            return
        embed = find_embed(found.result, at=found.event.name)
        await respond(interaction, embed=embed, view=find_view(found.result, event))

    @attend.autocomplete("event")
    async def _upcoming(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        found = await self.events.complete(kit.guild_id(interaction), current, upcoming=True)
        return [app_commands.Choice(name=event_label(e), value=e.id) for e in found]

    @leave.autocomplete("event")
    async def _mine(self, interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
        found = await self.events.complete(
            kit.guild_id(interaction), current, user_id=interaction.user.id
        )
        return [app_commands.Choice(name=event_label(e), value=e.id) for e in found]

    @people.autocomplete("event")
    async def _live(self, interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
        found = await self.events.complete(kit.guild_id(interaction), current)
        return [app_commands.Choice(name=event_label(e), value=e.id) for e in found]

    @people.autocomplete("tag")
    async def _tag(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        completions = await self.vocabulary.complete(kit.guild_id(interaction), current)
        return [app_commands.Choice(name=c.label, value=c.value) for c in completions]

"""/setup events …: moderators add, import, list and remove events, attached under /setup.

Manage Server is the /setup group's default permission, re-checked at run time by the tree
(commands) and by the remove button's ``interaction_check``. ``/setup events round`` runs one
intro round among an event's attendees, once, after the event (``EventRounds``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.domain.events import LOCATION_MAX, NAME_MAX, URL_MAX
from bot.responding import respond
from bot.services.events import ScheduledEvent
from cogs import kit
from cogs.events import _render
from cogs.events._views import confirm_remove_view

if TYPE_CHECKING:
    from bot.client import SigBot

Interaction = discord.Interaction["SigBot"]
DateText = app_commands.Range[str, 1, 20]


def scheduled(event: discord.ScheduledEvent) -> ScheduledEvent:
    """A Discord scheduled event as plain data; its page on Discord is the link."""
    return ScheduledEvent(
        discord_id=event.id,
        name=event.name,
        start=event.start_time,
        end=event.end_time,
        location=event.location,
        url=event.url,
        canceled=event.status is discord.EventStatus.canceled,
    )


class EventsAdmin(app_commands.Group):
    NAME = "events"

    def __init__(self, bot: SigBot) -> None:
        super().__init__(name=self.NAME, description="Events and conferences members attend")
        self.bot = bot
        self.events = bot.services.events

    @app_commands.command(name="add", description="Add an event members can say they attend")
    @app_commands.describe(
        name="The event's name, e.g. CSM 2027",
        start="First day, YYYY-MM-DD",
        end="Last day, YYYY-MM-DD",
        location="Where, e.g. Houston, TX",
        url="A link to the event's page (https://…)",
    )
    async def add(
        self,
        interaction: Interaction,
        name: app_commands.Range[str, 1, NAME_MAX],
        start: DateText,
        end: DateText,
        location: app_commands.Range[str, 1, LOCATION_MAX] | None = None,
        url: app_commands.Range[str, 1, URL_MAX] | None = None,
    ) -> None:
        event = await self.events.add(
            kit.guild_id(interaction), name, start, end, location, url, actor_id=interaction.user.id
        )
        await respond(interaction, _render.added_text(event))

    @app_commands.command(
        name="import", description="Import this server's Discord scheduled events"
    )
    async def import_(self, interaction: Interaction) -> None:
        assert interaction.guild is not None  # /setup is guild-only
        found = await interaction.guild.fetch_scheduled_events(with_counts=False)
        result = await self.events.import_scheduled(
            kit.guild_id(interaction), [scheduled(e) for e in found], actor_id=interaction.user.id
        )
        await respond(interaction, _render.imported_text(result))

    @app_commands.command(
        name="round", description="Once after an event: an intro round among its attendees"
    )
    @app_commands.rename(event_id="event")
    @app_commands.describe(
        event_id="The event (it must be over)",
        channel="Where the groups' private threads go (default: the introductions channel)",
        group_size="People per group (default 2)",
    )
    async def round_(
        self,
        interaction: Interaction,
        event_id: int,
        channel: discord.TextChannel | None = None,
        group_size: app_commands.Range[int, 2, 3] = 2,
    ) -> None:
        ran = await self.bot.services.event_rounds.run(
            kit.guild_id(interaction),
            event_id,
            channel_id=channel.id if channel else None,
            group_size=group_size,
            actor_id=interaction.user.id,
        )
        await respond(interaction, _render.event_round_text(ran))

    @app_commands.command(name="list", description="The events here, with ids")
    async def list_(self, interaction: Interaction) -> None:
        lines = await self.events.listing(kit.guild_id(interaction))
        await respond(interaction, _render.list_text(lines))

    @app_commands.command(
        name="remove", description="Delete an event and its attendance (asks first)"
    )
    @app_commands.rename(event_id="id")
    @app_commands.describe(event_id="The event")
    async def remove(self, interaction: Interaction, event_id: int) -> None:
        event = await self.events.get(kit.guild_id(interaction), event_id)
        await respond(
            interaction, _render.confirm_remove_text(event), view=confirm_remove_view(event.id)
        )

    @remove.autocomplete("event_id")
    @round_.autocomplete("event_id")
    async def _event_id(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        lines = await self.events.listing(kit.guild_id(interaction))
        needle = current.strip().casefold()
        labels = ((line.event.id, _render.choice_label(line.event)) for line in lines)
        return [
            app_commands.Choice(name=label, value=event_id)
            for event_id, label in labels
            if needle in label.casefold()
        ][:25]

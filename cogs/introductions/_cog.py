"""/find, /intro and the "Request introduction" user menu: thin adapters over the services.

Every answer is ephemeral. The requester's answer to a request is exactly what the service
returns: the same sentence whatever the target's state (PRODUCT.md "Consent rules").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.introductions import NOTE_LIMIT
from bot.responding import respond, respond_with_modal
from bot.services.introductions.service import MAX_SNOOZE_WEEKS
from cogs import kit
from cogs.introductions import _render
from cogs.introductions._views import (
    DYNAMIC_ITEMS,
    NoteModal,
    find_view,
    pending_view,
    people_view,
)

if TYPE_CHECKING:
    from bot.client import SigBot

TagText = app_commands.Range[str, 1, 100]
NoteText = app_commands.Range[str, 1, NOTE_LIMIT]
Weeks = app_commands.Range[int, 1, MAX_SNOOZE_WEEKS]


class FindCog(kit.WithComponents, commands.Cog):
    components = DYNAMIC_ITEMS

    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.find_people = bot.services.find
        self.vocabulary = bot.services.vocabulary
        self.events = bot.services.events

    @app_commands.command(name="find", description="Find members who share interest tags")
    @app_commands.guild_only()
    @app_commands.describe(
        tag="Start typing a tag",
        tag2="Another tag they must have",
        tag3="A third tag",
        event="Only people attending this event",
    )
    async def find(
        self,
        interaction: discord.Interaction[SigBot],
        tag: TagText,
        tag2: TagText | None = None,
        tag3: TagText | None = None,
        event: int | None = None,
    ) -> None:
        texts = [t for t in (tag, tag2, tag3) if t]
        guild_id, user_id = kit.guild_id(interaction), interaction.user.id
        at = None
        if event is None:
            result = await self.find_people.find(guild_id, user_id, texts)
        else:
            found = await self.events.people(guild_id, user_id, event, texts, tag_required=True)
            result, at = found.result, found.event.name
        if not result.people:
            await respond(interaction, _render.NOBODY_FOUND)
            return
        view = find_view(result, event)
        await respond(interaction, embed=_render.find_embed(result, at=at), view=view)

    @find.autocomplete("event")
    async def _event(
        self, interaction: discord.Interaction[SigBot], current: str
    ) -> list[app_commands.Choice[int]]:
        found = await self.events.complete(kit.guild_id(interaction), current)
        return [app_commands.Choice(name=_render.event_label(e), value=e.id) for e in found]

    @find.autocomplete("tag")
    @find.autocomplete("tag2")
    @find.autocomplete("tag3")
    async def _tag(
        self, interaction: discord.Interaction[SigBot], current: str
    ) -> list[app_commands.Choice[str]]:
        completions = await self.vocabulary.complete(kit.guild_id(interaction), current)
        return [app_commands.Choice(name=c.label, value=c.value) for c in completions]


@app_commands.guild_only()
class IntroCog(commands.GroupCog, group_name="intro", group_description="Introductions"):
    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.find_people = bot.services.find
        self.introductions = bot.services.introductions
        self.request_menu = app_commands.ContextMenu(
            name="Request introduction", callback=self.request_from_menu
        )
        self.request_menu.guild_only = True
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.request_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.request_menu.name, type=self.request_menu.type)

    @app_commands.command(name="suggest", description="Members you might like to meet")
    async def suggest(self, interaction: discord.Interaction[SigBot]) -> None:
        people = await self.find_people.suggest(kit.guild_id(interaction), interaction.user.id)
        if not people:
            await respond(interaction, _render.NO_SUGGESTIONS)
            return
        await respond(interaction, embed=_render.suggest_embed(people), view=people_view(people))

    @app_commands.command(name="request", description="Ask to be introduced to a member")
    @app_commands.describe(member="Who you'd like to meet", note="A short note for them")
    async def request(
        self,
        interaction: discord.Interaction[SigBot],
        member: discord.Member,
        note: NoteText | None = None,
    ) -> None:
        answer = await self.introductions.request(
            kit.guild_id(interaction), interaction.user.id, member.id, note
        )
        await respond(interaction, answer)

    async def request_from_menu(
        self, interaction: discord.Interaction[SigBot], member: discord.Member
    ) -> None:
        await respond_with_modal(interaction, NoteModal(member.id))

    @app_commands.command(name="pending", description="Your introduction requests, in and out")
    async def pending(self, interaction: discord.Interaction[SigBot]) -> None:
        pending = await self.introductions.pending(kit.guild_id(interaction), interaction.user.id)
        view = pending_view(pending)
        await respond(interaction, embed=_render.pending_embed(pending), view=view)

    @app_commands.command(name="snooze", description="Take a break from introductions")
    @app_commands.describe(weeks=f"For how many weeks (1 to {MAX_SNOOZE_WEEKS})")
    async def snooze(self, interaction: discord.Interaction[SigBot], weeks: Weeks) -> None:
        until = await self.introductions.snooze(
            kit.guild_id(interaction), interaction.user.id, weeks
        )
        await respond(interaction, _render.snoozed_text(until))

    @app_commands.command(name="snooze-off", description="End your snooze early")
    async def snooze_off(self, interaction: discord.Interaction[SigBot]) -> None:
        await self.introductions.snooze_off(kit.guild_id(interaction), interaction.user.id)
        await respond(interaction, _render.SNOOZE_OFF)

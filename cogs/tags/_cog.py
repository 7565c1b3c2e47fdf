"""/tags: a thin adapter over the tag services. Every answer is ephemeral (only for the member)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.tag_index import Completion
from bot.domain.tags import NAME_MAX
from bot.responding import respond
from cogs import kit
from cogs.tags import _render
from cogs.tags._confirm import CONFIRM_ITEMS
from cogs.tags._review import REVIEW_ITEMS
from cogs.tags._views import DYNAMIC_ITEMS, send_personal_picker

if TYPE_CHECKING:
    from bot.client import SigBot

# Typed text may be longer than a tag name (aliases, typos); the service explains the rules.
TagText = app_commands.Range[str, 1, 100]
NameText = app_commands.Range[str, 1, NAME_MAX * 2]


def choices(completions: list[Completion]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=c.label, value=c.value) for c in completions]


@app_commands.guild_only()
class TagsCog(
    kit.WithComponents, commands.GroupCog, group_name="tags", group_description="Your interest tags"
):
    components = (*DYNAMIC_ITEMS, *REVIEW_ITEMS, *CONFIRM_ITEMS)

    def __init__(self, bot: SigBot) -> None:
        self.bot = bot
        self.member_tags = bot.services.member_tags
        self.suggestions = bot.services.suggestions
        self.vocabulary = bot.services.vocabulary
        super().__init__()

    @app_commands.command(name="add", description="Add a tag to your profile")
    @app_commands.describe(tag="Start typing: names and common abbreviations both work")
    async def add(self, interaction: discord.Interaction[SigBot], tag: TagText) -> None:
        change = await self.member_tags.add_member_tag(
            kit.guild_id(interaction), interaction.user.id, tag
        )
        await respond(interaction, _render.tag_added_text(change))

    @app_commands.command(name="remove", description="Remove one of your tags")
    @app_commands.describe(tag="One of your tags")
    async def remove(self, interaction: discord.Interaction[SigBot], tag: TagText) -> None:
        change = await self.member_tags.remove_member_tag(
            kit.guild_id(interaction), interaction.user.id, tag
        )
        await respond(interaction, _render.tag_removed_text(change))

    @app_commands.command(name="mine", description="Your tags, by category")
    async def mine(self, interaction: discord.Interaction[SigBot]) -> None:
        groups = await self.member_tags.member_tags(kit.guild_id(interaction), interaction.user.id)
        await respond(interaction, _render.mine_text(groups))

    @app_commands.command(name="pick", description="Choose many tags at once from menus")
    async def pick(self, interaction: discord.Interaction[SigBot]) -> None:
        await send_personal_picker(interaction)

    @app_commands.command(name="list", description="Every tag here, with how many members have it")
    @app_commands.describe(category="Only this category")
    async def list_(
        self, interaction: discord.Interaction[SigBot], category: NameText | None = None
    ) -> None:
        # Moderators curate the vocabulary: they need to see which tags nobody holds.
        exact = interaction.permissions.manage_guild
        listings = await self.vocabulary.vocabulary(
            kit.guild_id(interaction), category, exact_counts=exact
        )
        if not any(listing.tags for listing in listings):
            await respond(interaction, _render.NO_TAGS_YET)
            return
        embed = _render.vocabulary_embed(listings, exact=exact)
        await respond(interaction, embed=embed)

    @app_commands.command(name="suggest", description="Propose a new tag for moderators to review")
    @app_commands.describe(name="The tag you'd like", category="Where it belongs, if you know")
    async def suggest(
        self,
        interaction: discord.Interaction[SigBot],
        name: NameText,
        category: NameText | None = None,
    ) -> None:
        suggestion = await self.suggestions.suggest(
            kit.guild_id(interaction), interaction.user.id, name, category
        )
        await respond(interaction, _render.suggestion_text(suggestion, interaction.user.id))

    @add.autocomplete("tag")
    async def _any_tag(
        self, interaction: discord.Interaction[SigBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return choices(await self.vocabulary.complete(kit.guild_id(interaction), current))

    @remove.autocomplete("tag")
    async def _my_tag(
        self, interaction: discord.Interaction[SigBot], current: str
    ) -> list[app_commands.Choice[str]]:
        guild_id = kit.guild_id(interaction)
        return choices(await self.member_tags.complete_mine(guild_id, interaction.user.id, current))

    @list_.autocomplete("category")
    @suggest.autocomplete("category")
    async def _category(
        self, interaction: discord.Interaction[SigBot], current: str
    ) -> list[app_commands.Choice[str]]:
        names = await self.vocabulary.complete_categories(kit.guild_id(interaction), current)
        return [app_commands.Choice(name=n, value=n) for n in names]

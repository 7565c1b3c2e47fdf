"""/setup tags …: the moderators' side of tags, attached under /setup by SetupCog.

Manage Server is the /setup group's default permission and is re-checked at run time by the
tree (commands) and by each component's ``interaction_check`` (buttons).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.domain.tags import safe_echo
from bot.responding import respond
from cogs import kit
from cogs.tags import _render
from cogs.tags._cog import NameText, TagText, choices
from cogs.tags._confirm import ConfirmAddButton, ConfirmMergeButton
from cogs.tags._review import review_page
from cogs.tags._views import ConfirmRemoveButton, confirm_view, picker_views

if TYPE_CHECKING:
    from bot.client import SigBot

PresetName = app_commands.Range[str, 1, 32]


class TagsAdmin(app_commands.Group):
    NAME = "tags"

    def __init__(self, bot: SigBot) -> None:
        super().__init__(name=self.NAME, description="Curate the tag vocabulary")
        self.bot = bot
        self.member_tags = bot.services.member_tags
        self.suggestions = bot.services.suggestions
        self.vocabulary = bot.services.vocabulary

    @app_commands.command(name="add", description="Add a tag to the vocabulary")
    @app_commands.describe(name="The tag's name", category="Its category (new ones are created)")
    async def add(
        self,
        interaction: discord.Interaction[SigBot],
        name: NameText,
        category: NameText | None = None,
    ) -> None:
        guild_id = kit.guild_id(interaction)
        check = await self.vocabulary.check_new_tag(guild_id, name, category)
        if check.similar:  # "Spor" beside Sports: ask before adding a near-duplicate
            confirm = confirm_view(ConfirmAddButton(check.name, check.category))
            await respond(interaction, _render.near_duplicate_text(check), view=confirm)
            return
        new = await self.vocabulary.add_tag(
            guild_id, check.name, category=check.category, actor_id=interaction.user.id
        )
        await respond(interaction, _render.new_tag_text(new))

    @app_commands.command(name="remove", description="Remove a tag (asks first if members have it)")
    @app_commands.describe(tag="The tag to remove")
    async def remove(self, interaction: discord.Interaction[SigBot], tag: TagText) -> None:
        guild_id = kit.guild_id(interaction)
        usage = await self.vocabulary.tag_usage(guild_id, tag)
        if usage.held:
            await respond(
                interaction,
                _render.confirm_removal_text(usage),
                view=confirm_view(ConfirmRemoveButton(usage.tag.id)),
            )
            return
        await self.vocabulary.remove_tag(guild_id, usage.tag.id, actor_id=interaction.user.id)
        await respond(interaction, _render.removed_text(usage))

    @app_commands.command(name="rename", description="Rename a tag; members keep it")
    @app_commands.describe(tag="The tag to rename", new_name="Its new name")
    async def rename(
        self, interaction: discord.Interaction[SigBot], tag: TagText, new_name: NameText
    ) -> None:
        renamed = await self.vocabulary.rename_tag(
            kit.guild_id(interaction), tag, new_name, actor_id=interaction.user.id
        )
        await respond(interaction, _render.renamed_text(renamed))

    @app_commands.command(name="alias", description="Another name that finds a tag")
    @app_commands.describe(
        tag="The tag", alias="The other name, e.g. ortho", remove="Remove this alias instead"
    )
    async def alias(
        self,
        interaction: discord.Interaction[SigBot],
        tag: TagText,
        alias: NameText,
        remove: bool = False,
    ) -> None:
        guild_id, actor = kit.guild_id(interaction), interaction.user.id
        if remove:
            found = await self.vocabulary.remove_alias(guild_id, alias, actor_id=actor, tag=tag)
            text = f"“{safe_echo(alias)}” no longer finds **{found.name}**."
        else:
            found = await self.vocabulary.add_alias(guild_id, tag, alias, actor_id=actor)
            text = f"Typing “{safe_echo(alias)}” now finds **{found.name}**."
        await respond(interaction, text)

    @app_commands.command(
        name="merge", description="Fold one tag into another; members keep it (asks first)"
    )
    @app_commands.describe(tag="The tag that goes away", into="The tag that stays")
    async def merge(
        self, interaction: discord.Interaction[SigBot], tag: TagText, into: TagText
    ) -> None:
        preview = await self.vocabulary.merge_preview(kit.guild_id(interaction), tag, into)
        confirm = confirm_view(ConfirmMergeButton(preview.source.id, preview.target.id))
        await respond(interaction, _render.confirm_merge_text(preview), view=confirm)

    @app_commands.command(name="preset", description="Add a ready-made vocabulary (safe to repeat)")
    @app_commands.describe(name="pt (physical therapy) or general")
    async def preset(self, interaction: discord.Interaction[SigBot], name: PresetName) -> None:
        result = await self.vocabulary.apply_preset(
            kit.guild_id(interaction), name, actor_id=interaction.user.id
        )
        await respond(interaction, _render.preset_text(result))

    @app_commands.command(name="review", description="Approve or reject members' tag suggestions")
    async def review(self, interaction: discord.Interaction[SigBot]) -> None:
        text, view = await review_page(interaction, 0)
        if view is not None:
            await respond(interaction, text, view=view)
        else:
            await respond(interaction, text)

    @app_commands.command(name="picker", description="Post a 'pick your interests' message")
    @app_commands.describe(channel="Where to post it")
    async def picker(
        self, interaction: discord.Interaction[SigBot], channel: discord.TextChannel
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        sections = await self.member_tags.picker(kit.guild_id(interaction))
        if not sections:
            await interaction.followup.send(_render.NO_TAGS_YET, ephemeral=True)
            return
        views = picker_views(sections, public=True)
        for number, view in enumerate(views):
            content = _render.PUBLIC_HEADER if number == 0 else None
            await channel.send(content=content, view=view)
        await self.member_tags.picker_posted(
            kit.guild_id(interaction), channel.id, actor_id=interaction.user.id
        )
        await interaction.followup.send(
            _render.picker_posted_text(channel, len(views)), ephemeral=True
        )

    @remove.autocomplete("tag")
    @rename.autocomplete("tag")
    @alias.autocomplete("tag")
    @merge.autocomplete("tag")
    @merge.autocomplete("into")
    async def _tag(
        self, interaction: discord.Interaction[SigBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return choices(await self.vocabulary.complete(kit.guild_id(interaction), current))

    @add.autocomplete("category")
    async def _category(
        self, interaction: discord.Interaction[SigBot], current: str
    ) -> list[app_commands.Choice[str]]:
        names = await self.vocabulary.complete_categories(kit.guild_id(interaction), current)
        return [app_commands.Choice(name=n, value=n) for n in names]

    @preset.autocomplete("name")
    async def _preset(
        self, interaction: discord.Interaction[SigBot], current: str
    ) -> list[app_commands.Choice[str]]:
        names = [n for n in self.vocabulary.preset_names() if current.lower() in n]
        return [app_commands.Choice(name=n, value=n) for n in names]

"""Persistent components for tags (ARCHITECTURE rule 10): every one is a ``DynamicItem``.

Custom ids carry what the callback needs, so they work for anyone, across restarts:

- ``tags:pick:<category_id>:<page>``  a member's own picker (ephemeral): of the options shown,
  hold exactly the ones selected.
- ``tags:join:<category_id>:<page>``  the public picker message: add the selected tags.
- ``tags:edit``                       the public picker's "Edit my tags" button.
- ``tags:remove:<tag_id>``            a moderator's "Remove it anyway" confirmation.
- ``tags:cancel``                     Cancel on any moderator confirmation (nothing changes).
- add and merge confirmations: see ``_confirm`` (``CONFIRM_ITEMS``).
- review buttons: see ``_review`` (``REVIEW_ITEMS``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self

import discord
from discord import ui

from bot.domain.custom_ids import DIGITS, CustomId
from bot.responding import respond
from bot.services.tags import PickerSection
from bot.tree import friendly_errors
from cogs import kit
from cogs.tags import _render

log = logging.getLogger(__name__)
# discord.py types UI callbacks for any client; ``services`` recovers ours.
Interaction = discord.Interaction[Any]


ROWS_PER_MESSAGE = 5  # Discord's limit on action rows in one message
PICK = CustomId("tags:pick", category=DIGITS, page=DIGITS)
JOIN = CustomId("tags:join", category=DIGITS, page=DIGITS)
EDIT = CustomId("tags:edit")
REMOVE = CustomId("tags:remove", tag=DIGITS)
CANCEL = CustomId("tags:cancel")


# -- the picker ----------------------------------------------------------------------------------


def _options(section: PickerSection, *, with_defaults: bool) -> list[discord.SelectOption]:
    return [
        discord.SelectOption(
            label=option.name, value=str(option.tag_id), default=with_defaults and option.selected
        )
        for option in section.options
    ]


class _SectionSelect(ui.DynamicItem[ui.Select[Any]], template=r"(?!)"):
    """A dropdown for one picker section, rebuilt from its message when used."""

    spec: ClassVar[CustomId]
    min_values = 0
    with_defaults = True

    def __init__(self, select: ui.Select[Any]) -> None:
        super().__init__(select)

    @classmethod
    def build(cls, section: PickerSection) -> ui.DynamicItem[ui.Select[Any]]:
        return cls(
            ui.Select(
                custom_id=cls.spec.build(section.category_id, section.page),
                placeholder=section.title[:150],
                min_values=cls.min_values,
                max_values=len(section.options),
                options=_options(section, with_defaults=cls.with_defaults),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        assert isinstance(item, ui.Select)  # the template only matches our selects
        return cls(item)


class PickerSelect(_SectionSelect, template=PICK.template):
    """A member's own picker: the selection replaces their tags among this menu's options."""

    spec = PICK

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            member_tags = kit.services(interaction).member_tags
            guild_id = kit.guild_id(interaction)
            result = await member_tags.set_member_tags(
                guild_id,
                interaction.user.id,
                offered=[int(o.value) for o in self.item.options],
                chosen=[int(v) for v in self.item.values],
            )
            sections = await member_tags.picker(guild_id, interaction.user.id)
            shown = _shown_sections(interaction.message)
            view = picker_views([s for s in sections if (s.category_id, s.page) in shown])
            await interaction.response.edit_message(
                content=_render.pick_result_text(result), view=view[0] if view else None
            )


class PublicPickerSelect(_SectionSelect, template=JOIN.template):
    """The public picker: anyone can add the selected tags (removing is in "Edit my tags")."""

    spec = JOIN
    min_values = 1
    with_defaults = False

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            chosen = [int(v) for v in self.item.values]
            result = await kit.services(interaction).member_tags.set_member_tags(
                kit.guild_id(interaction), interaction.user.id, offered=chosen, chosen=chosen
            )
            if result.stale:
                gone = [o.label for o in self.item.options if int(o.value) in result.stale]
                note = _render.stale_menu_text(gone)
                if result.added:
                    note = f"{_render.pick_result_text(result)}\n{note}"
                await send_personal_picker(interaction, note=note)
                return
            await interaction.response.send_message(
                _render.pick_result_text(result), view=EditMyTagsView(), ephemeral=True
            )


class EditMyTagsButton(kit.PersistentButton, spec=EDIT):
    def __init__(self) -> None:
        super().__init__(
            ui.Button(
                label="Edit my tags", style=discord.ButtonStyle.primary, custom_id=EDIT.build()
            )
        )

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        return cls()

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            await send_personal_picker(interaction)


class EditMyTagsView(ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.add_item(EditMyTagsButton())


def _shown_sections(message: discord.Message | None) -> set[tuple[int, int]]:
    """(category_id, page) of every picker menu in ``message``."""
    found: set[tuple[int, int]] = set()
    for row in message.components if message else []:
        for child in getattr(row, "children", []):
            custom_id = getattr(child, "custom_id", None) or ""
            fields = PICK.parse(custom_id) or JOIN.parse(custom_id)
            if fields:
                found.add((int(fields["category"]), int(fields["page"])))
    return found


def picker_views(sections: Sequence[PickerSection], *, public: bool = False) -> list[ui.View]:
    """Views of at most five menus each; the public picker ends with "Edit my tags"."""
    views: list[ui.View] = []
    for start in range(0, len(sections), ROWS_PER_MESSAGE):
        view = ui.View(timeout=None)
        for section in sections[start : start + ROWS_PER_MESSAGE]:
            view.add_item((PublicPickerSelect if public else PickerSelect).build(section))
        views.append(view)
    if public:
        if views and len(views[-1].children) < ROWS_PER_MESSAGE:
            views[-1].add_item(EditMyTagsButton())
        else:
            views.append(EditMyTagsView())
    return views


async def send_personal_picker(interaction: Interaction, *, note: str | None = None) -> None:
    """The member's own picker, ephemeral: first message as the response, more as followups.

    ``note`` goes above it (why the member is seeing it)."""
    guild_id = kit.guild_id(interaction)
    sections = await kit.services(interaction).member_tags.picker(guild_id, interaction.user.id)
    if not sections:
        await respond(interaction, _render.NO_TAGS_YET)
        return
    count = sum(o.selected for s in sections for o in s.options)
    header = _render.PICK_HEADER.format(count=count, limit=_render.MAX_TAGS_PER_MEMBER)
    if note:
        header = f"{note}\n\n{header}"
    views = picker_views(sections)
    await respond(interaction, header, view=views[0])
    for view in views[1:]:
        await interaction.followup.send(view=view, ephemeral=True)


# -- moderators -------------------------------------------------------------------------------


class ConfirmRemoveButton(kit.ConfirmDestructiveButton, spec=REMOVE):
    label = "Remove it anyway"

    async def destroy(self, interaction: Interaction, guild_id: int) -> str:
        usage = await kit.services(interaction).vocabulary.remove_tag(
            guild_id, self.record_id, actor_id=interaction.user.id, confirmed=True
        )
        return _render.removed_text(usage)


class CancelButton(kit.ModeratorOnlyButton, spec=CANCEL):
    """Cancel on a moderator's confirmation: nothing changes, the buttons go away."""

    def __init__(self) -> None:
        style = discord.ButtonStyle.secondary
        super().__init__(ui.Button(label="Cancel", style=style, custom_id=CANCEL.build()))

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        return cls()

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            await interaction.response.edit_message(content=_render.CANCELLED, view=None)


def confirm_view(confirm: ui.Item[Any]) -> ui.View:
    """A moderator's confirmation: the action's button, then Cancel (persistent: it may wait)."""
    view = ui.View(timeout=None)
    view.add_item(confirm)
    view.add_item(CancelButton())
    return view


DYNAMIC_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (
    PickerSelect,
    PublicPickerSelect,
    EditMyTagsButton,
    ConfirmRemoveButton,
    CancelButton,
)

"""Persistent components for /find and /intro (ARCHITECTURE rule 10): every one a ``DynamicItem``.

Custom ids carry what the callback needs, so they work after a restart and in DMs:

- ``find:<tag ids>:<page>:<prev|next>[:<event id>]``  turn a /find listing to ``page`` (tag ids
  comma-joined; with an event id, a ``/find event:`` listing of that event's attendees).
- ``intro:ask``                         the "Request an introduction" select (values: user ids).
- ``intro:<accept|decline|block|report>:<request id>``  the target's answer, in the request DM
  (built by ``bot.services.introductions.messages``) and in /intro pending.
- ``intro:withdraw:<request id>``       the requester withdraws, in /intro pending.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Self

import discord
from discord import ui

from bot.domain.introductions import NOTE_LIMIT
from bot.services.introductions import FindResult, PendingRequests, Person
from bot.services.introductions.messages import (
    ACCEPT,
    ANSWER_ID,
    ASK_ID,
    BLOCK,
    DECLINE,
    REPORT,
    WITHDRAW_ID,
)
from bot.tree import friendly_errors
from cogs import kit
from cogs.introductions import _render

Interaction = discord.Interaction[Any]  # discord.py types UI callbacks for any client
ROWS_PER_MESSAGE = 5
BUTTONS_PER_ROW = 5
MAX_INCOMING_SHOWN = 3  # one row (Accept, Decline) each; the rest of the rows for withdrawals


# -- asking -------------------------------------------------------------------------------------


class NoteModal(ui.Modal, title="Request an introduction"):
    note: ui.TextInput[NoteModal] = ui.TextInput(
        label="A note for them (optional)",
        style=discord.TextStyle.paragraph,
        max_length=NOTE_LIMIT,
        required=False,
        placeholder="e.g. what you'd like to talk about, or why you'd like to meet.",
    )

    def __init__(self, target_id: int) -> None:
        super().__init__(custom_id=f"intro:note:{target_id}", timeout=900)
        self.target_id = target_id

    async def on_submit(self, interaction: Interaction, /) -> None:
        async with friendly_errors(interaction):
            answer = await kit.services(interaction).introductions.request(
                kit.guild_id(interaction), interaction.user.id, self.target_id, self.note.value
            )
            await interaction.response.send_message(answer, ephemeral=True)


class RequestSelect(ui.DynamicItem[ui.Select[Any]], template=ASK_ID.template):
    """Choose someone from a listing: the note form opens, then the request goes out."""

    def __init__(self, select: ui.Select[Any]) -> None:
        super().__init__(select)

    @classmethod
    def build(cls, people: Sequence[Person]) -> RequestSelect:
        options = [
            discord.SelectOption(
                label=_render.option_label(p),
                value=str(p.user_id),
                description=_render.option_description(p),
            )
            for p in people
        ]
        return cls(
            ui.Select(
                custom_id=ASK_ID.build(),
                placeholder="Request an introduction",
                options=options,
                row=0,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        assert isinstance(item, ui.Select)  # the template only matches our select
        return cls(item)

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            await interaction.response.send_modal(NoteModal(int(self.item.values[0])))


# -- /find paging -------------------------------------------------------------------------------

FIND_PAGE = (
    r"find:(?P<tags>(?:\d+(?:,\d+){0,2})?):(?P<page>\d+):(?P<step>prev|next)(?::(?P<event>\d+))?"
)


class FindPageButton(ui.DynamicItem[ui.Button[Any]], template=FIND_PAGE):
    """Turns a /find listing to another page; the search is in the custom id."""

    def __init__(
        self, tag_ids: Sequence[int], page: int, step: str, event_id: int | None = None
    ) -> None:
        event = f":{event_id}" if event_id is not None else ""
        super().__init__(
            ui.Button(
                label="Previous" if step == "prev" else "Next",
                style=discord.ButtonStyle.secondary,
                custom_id=f"find:{','.join(map(str, tag_ids))}:{page}:{step}{event}",
                row=1,
            )
        )
        self.tag_ids = tuple(tag_ids)
        self.page = page
        self.event_id = event_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        tags = [int(t) for t in match["tags"].split(",") if t]  # none: an event, any tag
        event = int(match["event"]) if match["event"] else None
        return cls(tags, int(match["page"]), match["step"], event)

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            guild_id, user_id = kit.guild_id(interaction), interaction.user.id
            if self.event_id is None:
                result = await kit.services(interaction).find.find_by_ids(
                    guild_id, user_id, self.tag_ids, self.page
                )
                embed = _render.find_embed(result)
            else:
                found = await kit.services(interaction).events.people_by_ids(
                    guild_id, user_id, self.event_id, self.tag_ids, self.page
                )
                result = found.result
                embed = _render.find_embed(result, at=found.event.name)
            await interaction.response.edit_message(
                embed=embed, view=find_view(result, self.event_id)
            )


def find_view(result: FindResult, event_id: int | None = None) -> ui.View | None:
    view = people_view(result.people)
    if result.pages <= 1:
        return view
    view = view or ui.View(timeout=None)
    tag_ids = [tag.id for tag in result.tags]
    if result.page > 0:
        view.add_item(FindPageButton(tag_ids, result.page - 1, "prev", event_id))
    if result.page + 1 < result.pages:
        view.add_item(FindPageButton(tag_ids, result.page + 1, "next", event_id))
    return view


def people_view(people: Sequence[Person]) -> ui.View | None:
    if not people:
        return None
    view = ui.View(timeout=None)
    view.add_item(RequestSelect.build(people))
    return view


# -- answering and withdrawing ------------------------------------------------------------------

_ANSWERS = {
    ACCEPT: ("Accept", discord.ButtonStyle.success),
    DECLINE: ("Decline", discord.ButtonStyle.secondary),
    BLOCK: ("Decline and block", discord.ButtonStyle.danger),
    REPORT: ("Report to moderators", discord.ButtonStyle.danger),
}


class AnswerButton(kit.PersistentButton, spec=ANSWER_ID):
    """The target's answer. In a DM (no server) the message becomes the answer; in
    /intro pending the list is shown again with the answer on top."""

    def __init__(self, action: str, request_id: int, *, number: int = 0, row: int = 0) -> None:
        label, style = _ANSWERS[action]
        super().__init__(
            ui.Button(
                label=f"{label} {number}" if number else label,
                style=style,
                custom_id=ANSWER_ID.build(action, request_id),
                row=row,
            )
        )
        self.action = action
        self.request_id = request_id

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        return cls(fields["action"], int(fields["id"]))

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            introductions = kit.services(interaction).introductions
            user_id = interaction.user.id
            if self.action == ACCEPT:
                answer = await introductions.accept(self.request_id, user_id)
            else:
                answer = await introductions.decline(
                    self.request_id,
                    user_id,
                    block=self.action == BLOCK,
                    report=self.action == REPORT,
                )
            if interaction.guild_id is None:
                await interaction.response.edit_message(content=answer.text, view=None)
            else:
                await refresh_pending(interaction, answer.text)


class WithdrawButton(kit.RecordButton, spec=WITHDRAW_ID):
    label = "Withdraw"

    def __init__(self, request_id: int, *, number: int = 0, row: int = 0) -> None:
        super().__init__(request_id, label=f"Withdraw {number}" if number else "", row=row)

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            request = await kit.services(interaction).introductions.withdraw(
                kit.guild_id(interaction), interaction.user.id, self.record_id
            )
            await refresh_pending(interaction, _render.withdrawn_text(request))


def pending_view(pending: PendingRequests) -> ui.View | None:
    """A row (Accept n, Decline n) per incoming request shown, then Withdraw n buttons."""
    view = ui.View(timeout=None)
    incoming = pending.incoming[:MAX_INCOMING_SHOWN]
    for number, request in enumerate(incoming, 1):
        row = number - 1
        view.add_item(AnswerButton(ACCEPT, request.id, number=number, row=row))
        view.add_item(AnswerButton(DECLINE, request.id, number=number, row=row))
    room = (ROWS_PER_MESSAGE - len(incoming)) * BUTTONS_PER_ROW
    for index, request in enumerate(pending.outgoing[:room]):
        row = len(incoming) + index // BUTTONS_PER_ROW
        view.add_item(WithdrawButton(request.id, number=index + 1, row=row))
    return view if view.children else None


async def refresh_pending(interaction: Interaction, note: str) -> None:
    """Show the pending requests again, with what the click did on top."""
    pending = await kit.services(interaction).introductions.pending(
        kit.guild_id(interaction), interaction.user.id
    )
    await interaction.response.edit_message(
        embed=_render.pending_embed(pending, note), view=pending_view(pending)
    )


DYNAMIC_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (
    RequestSelect,
    FindPageButton,
    AnswerButton,
    WithdrawButton,
)

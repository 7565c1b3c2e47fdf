"""Persistent components of a mentor match (ARCHITECTURE rule 10): every one a ``DynamicItem``.

Custom ids carry the match id, so they work after a restart and in DMs (built by
``bot.services.mentorship.match_messages``):

- ``mentor-match:fit:<match id>:<good|unsure|poor>``  the fit check, in each party's DM.
- ``mentor-match:poor-fit:<match id>``                confirms "Not a good fit" (ephemeral).
- ``mentor-match:close:<match id>``                   Close (completed), at the term's end.
- ``mentor-match:extend:<match id>``                  Extend 3 months (both must press it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

import discord
from discord import ui

from bot.domain.mentorship.matches import (
    FEEDBACK_COMMENT_LIMIT,
    BadRating,
    FitAnswer,
    MatchOutcome,
)
from bot.responding import respond, respond_with_modal
from bot.services.mentorship.match_messages import (
    CLOSE_ID,
    CONFIRM_POOR_ID,
    EXTEND_ID,
    FIT_ID,
    PREFIX,
)
from bot.tree import friendly_errors
from cogs import kit

Interaction = discord.Interaction[Any]
CONFIRM_POOR_TEXT = (
    "End this mentorship as not a good fit? It closes kindly, without saying who answered or "
    "why, and the request is offered to other mentors. This cannot be undone."
)
CLOSED_TEXT = {
    MatchOutcome.COMPLETED: "Closed as completed. Thank you for your feedback.",
    MatchOutcome.WITHDRAWN: "Closed. Thank you for your feedback.",
}


class FeedbackModal(ui.Modal, title="Close the mentorship"):
    rating: ui.TextInput[FeedbackModal] = ui.TextInput(
        label="How was it? A rating from 1 to 5",
        min_length=1,
        max_length=1,
        placeholder="5",
    )
    comment: ui.TextInput[FeedbackModal] = ui.TextInput(
        label="A comment (only moderators see it)",
        style=discord.TextStyle.paragraph,
        max_length=FEEDBACK_COMMENT_LIMIT,
        required=False,
    )

    def __init__(self, match_id: int, outcome: MatchOutcome) -> None:
        super().__init__(custom_id=f"{PREFIX}:feedback:{match_id}:{outcome.value}", timeout=900)
        self.match_id = match_id
        self.outcome = outcome

    async def on_submit(self, interaction: Interaction, /) -> None:
        comment = self.comment.value or None
        async with friendly_errors(interaction):
            try:
                await close_with_feedback(
                    interaction, self.match_id, self.outcome, self.rating.value, comment
                )
            except BadRating as error:  # ask for the rating alone: the comment is kept
                picker = RatingPicker(self.match_id, self.outcome, comment)
                await respond(interaction, f"{error.message} {RATING_AGAIN}", view=picker)
                return
            await respond(interaction, CLOSED_TEXT[self.outcome])


RATING_AGAIN = "Pick it below; your comment is kept."


async def close_with_feedback(
    interaction: Interaction,
    match_id: int,
    outcome: MatchOutcome,
    rating: str,
    comment: str | None,
) -> None:
    await kit.services(interaction).mentor_matches.close(
        match_id, interaction.user.id, outcome, rating, comment
    )


class RatingPicker(ui.View):
    """The rating alone, after the form's was not 1–5. In memory (a restart ends it, like the
    form itself): the comment it keeps is too long for a custom id."""

    def __init__(self, match_id: int, outcome: MatchOutcome, comment: str | None) -> None:
        super().__init__(timeout=900)
        self.match_id, self.outcome, self.comment = match_id, outcome, comment
        choose: ui.Select[RatingPicker] = ui.Select(
            placeholder="How was it? 1 to 5",
            options=[discord.SelectOption(label=str(n), value=str(n)) for n in range(5, 0, -1)],
        )
        choose.callback = self._chosen  # type: ignore[method-assign]
        self.add_item(choose)
        self.choose = choose

    async def _chosen(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            rating = self.choose.values[0]
            await close_with_feedback(
                interaction, self.match_id, self.outcome, rating, self.comment
            )
            self.stop()
            await interaction.response.edit_message(content=CLOSED_TEXT[self.outcome], view=None)


async def open_feedback(interaction: Interaction, match_id: int, outcome: MatchOutcome) -> None:
    """Check the member may close it, then the feedback form (closing happens on submit)."""
    await kit.services(interaction).mentor_matches.check_closable(
        match_id, interaction.user.id, outcome
    )
    await respond_with_modal(interaction, FeedbackModal(match_id, outcome))


class FitButton(kit.PersistentButton, spec=FIT_ID):
    def __init__(self, match_id: int, answer: FitAnswer) -> None:
        custom_id = FIT_ID.build(match_id, answer.value)
        super().__init__(ui.Button(label=answer.value, custom_id=custom_id))
        self.match_id = match_id
        self.answer = answer

    @classmethod
    def from_fields(cls, fields: Mapping[str, str]) -> Self:
        return cls(int(fields["id"]), FitAnswer(fields["answer"]))

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            if self.answer is FitAnswer.POOR:
                view = ui.View(timeout=None)
                view.add_item(ConfirmPoorFitButton(self.match_id))
                await respond(interaction, CONFIRM_POOR_TEXT, view=view)
                return
            text = await kit.services(interaction).mentor_matches.answer_fit(
                self.match_id, interaction.user.id, self.answer
            )
            await respond(interaction, text)


class ConfirmPoorFitButton(kit.RecordButton, spec=CONFIRM_POOR_ID):
    label, style = "Yes, end it kindly", discord.ButtonStyle.danger

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            text = await kit.services(interaction).mentor_matches.answer_fit(
                self.record_id, interaction.user.id, FitAnswer.POOR
            )
            await interaction.response.edit_message(content=text, view=None)


class CloseButton(kit.RecordButton, spec=CLOSE_ID):
    label, style = "Close (completed)", discord.ButtonStyle.success

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            await open_feedback(interaction, self.record_id, MatchOutcome.COMPLETED)


class ExtendButton(kit.RecordButton, spec=EXTEND_ID):
    label, style = "Extend 3 months", discord.ButtonStyle.primary

    async def callback(self, interaction: Interaction) -> None:
        async with friendly_errors(interaction):
            text = await kit.services(interaction).mentor_matches.press_extend(
                self.record_id, interaction.user.id
            )
            await respond(interaction, text)


DYNAMIC_ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (
    FitButton,
    ConfirmPoorFitButton,
    CloseButton,
    ExtendButton,
)

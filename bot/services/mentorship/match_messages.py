"""What a mentor match says, as Discord JSON (the delivery layer sends it later).

Buttons carry the match id in their custom id (``mentor-match:<action>:<id>[:<answer>]``); the
cog's ``DynamicItem``s answer them, after a restart too. Nothing here names who answered the
fit check or why a match ended: the closing words are the same whoever pressed what.
"""

from __future__ import annotations

from typing import Any

from bot.domain.custom_ids import DIGITS, CustomId
from bot.domain.delivery import Message
from bot.domain.mentorship.matches import FitAnswer, Match, MatchOutcome
from bot.domain.tags import server_label

PREFIX = "mentor-match"
FIT, CONFIRM_POOR, CLOSE, EXTEND = "fit", "poor-fit", "close", "extend"
FIT_ID = CustomId(f"{PREFIX}:{FIT}", id=DIGITS, answer="|".join(a.value for a in FitAnswer))
CONFIRM_POOR_ID = CustomId(f"{PREFIX}:{CONFIRM_POOR}", id=DIGITS)
CLOSE_ID = CustomId(f"{PREFIX}:{CLOSE}", id=DIGITS)
EXTEND_ID = CustomId(f"{PREFIX}:{EXTEND}", id=DIGITS)
BUTTON, ROW = 2, 1
BLUE, GREY, GREEN, RED = 1, 2, 3, 4
COLOUR = 0x4B7BEC
FIT_LABELS = {
    FitAnswer.GOOD: ("Good fit", GREEN),
    FitAnswer.UNSURE: ("Not sure yet", GREY),
    FitAnswer.POOR: ("Not a good fit", RED),
}
OUTCOME_WORDS = {
    MatchOutcome.COMPLETED: "completed",
    MatchOutcome.WITHDRAWN: "ended early",
    MatchOutcome.POOR_FIT: "ended after the fit check",
}


def _button(label: str, style: int, cid: str) -> dict[str, Any]:
    return {"type": BUTTON, "style": style, "label": label, "custom_id": cid}


def when(moment: Any, style: str = "D") -> str:
    """A Discord timestamp: each reader sees it in their own time zone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def fit_check_dm(match: Match, *, guild_name: str, topic: str) -> Message:
    buttons = [
        _button(label, style, FIT_ID.build(match.id, answer.value))
        for answer, (label, style) in FIT_LABELS.items()
    ]
    embed = {
        "type": "rich",
        "title": "How is your mentorship going?",
        "description": (
            f"It has been two weeks since your mentorship on **{topic}** in "
            f"**{server_label(guild_name)}** began. How is it going? Only you see this "
            "question and your answer is private. If it is not a good fit, the mentorship ends "
            "kindly, without saying who answered or why, and the request finds another mentor."
        ),
        "color": COLOUR,
    }
    return {"embeds": [embed], "components": [{"type": ROW, "components": buttons}]}


def fit_check_in_thread(match: Match, user_id: int) -> Message:
    """For a party whose DMs are closed: the same question, answered privately (ephemeral)."""
    buttons = [
        _button(label, style, FIT_ID.build(match.id, answer.value))
        for answer, (label, style) in FIT_LABELS.items()
    ]
    return {
        "content": (
            f"<@{user_id}>: I couldn't reach you by DM, so here is the two-week question. How "
            "is this mentorship going for you? Only you see your answer."
        ),
        "components": [{"type": ROW, "components": buttons}],
    }


def checkin_prompt(match: Match) -> Message:
    return {
        "content": (
            f"<@{match.mentor_id}> <@{match.mentee_id}>: time for a check-in. How are the goals "
            "coming along? When you have met, record it with `/mentor checkin` (a short note "
            "and, if you like, the minutes), so it shows in your mentoring record."
        )
    }


def end_reminder(match: Match) -> Message:
    return {
        "content": (
            f"Two weeks to go: this mentorship's term ends on {when(match.term_ends_at)}. A "
            "good moment to look back at the goals and plan what comes next."
        )
    }


def term_end_prompt(match: Match, auto_close_days: int) -> Message:
    buttons = [
        _button("Close (completed)", GREEN, CLOSE_ID.build(match.id)),
        _button("Extend 3 months", BLUE, EXTEND_ID.build(match.id)),
    ]
    return {
        "content": (
            f"<@{match.mentor_id}> <@{match.mentee_id}>: the term of this mentorship has ended. "
            "Close it as completed, or extend it by 3 months (both of you press Extend). With "
            f"no answer it closes as completed in {auto_close_days} days."
        ),
        "components": [{"type": ROW, "components": buttons}],
    }


def extended_notice(match: Match) -> Message:
    return {
        "content": (
            f"Extended: you both chose 3 more months. The term now ends on "
            f"{when(match.term_ends_at)}."
        )
    }


def closing_message(match: Match) -> Message:
    if match.outcome is MatchOutcome.POOR_FIT:
        text = (
            "This mentorship is ending here. Sometimes a pairing just isn't the right one, and "
            "that is nobody's fault. Thank you both for the time you gave it. The request will "
            "be offered to other mentors. This thread is now closed."
        )
    elif match.outcome is MatchOutcome.WITHDRAWN:
        text = (
            "This mentorship has ended early. Thank you both for the time you put in. Each of "
            "you gets the mentoring record by DM. This thread is now closed."
        )
    else:
        text = (
            "This mentorship is complete: well done, both of you. Each of you gets the "
            "mentoring record by DM. This thread is now closed."
        )
    return {"content": text}


def feedback_note(match: Match, user_id: int, rating: int, comment: str | None) -> str:
    """For the moderation log (moderators only): the rating and the comment."""
    said = f" Comment: {comment}" if comment else " No comment."
    outcome = OUTCOME_WORDS[match.outcome] if match.outcome else "closed"
    return (
        f"closed mentorship #{match.id} (mentor <@{match.mentor_id}>, mentee "
        f"<@{match.mentee_id}>), {outcome}. Their rating: {rating}/5.{said}"
    )

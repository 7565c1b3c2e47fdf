"""Texts for /rounds and /setup rounds: plain builders, no Discord calls."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.rounds.rules import ANSWER_LABELS, MeetAnswer, RoundSchedule
from bot.domain.schedules import WEEKDAYS
from bot.services.rounds import PastGroup, RoundResult, RoundScheduleView

NO_SCHEDULES = "There are no intro round schedules yet: add one with `/setup rounds schedule`."


def cadence_label(schedule: RoundSchedule) -> str:
    """``biweekly Wednesday 09:00, pairs``."""
    day = WEEKDAYS[schedule.weekday] if schedule.weekday is not None else ""
    size = "pairs" if schedule.group_size == 2 else "groups of 3"
    return f"{schedule.cadence} {day} {schedule.local_time}, {size}"


def schedule_choice_label(view: RoundScheduleView, channel_name: str) -> str:
    tag = f" · {view.tag_name}" if view.tag_name else ""
    return f"{view.schedule.id} · #{channel_name} · {cadence_label(view.schedule)}{tag}"[:100]


def _extras(view: RoundScheduleView) -> str:
    tag = f", tag {view.tag_name}" if view.tag_name else ""
    return f"{tag}, no repeat pair within {view.schedule.cooldown_rounds} rounds"


def scheduled_text(view: RoundScheduleView) -> str:
    s = view.schedule
    return (
        f"Scheduled intro rounds in <#{s.channel_id}> ({cadence_label(s)}{_extras(view)}), "
        f"schedule {s.id}. First round: {view.next_label}. Members join with `/rounds join`."
    )


def list_text(views: Sequence[RoundScheduleView]) -> str:
    if not views:
        return NO_SCHEDULES
    lines = []
    for view in views:
        s = view.schedule
        state = "paused" if s.paused else f"next {view.next_label}"
        lines.append(
            f"`{s.id}` <#{s.channel_id}> · {cadence_label(s)}{_extras(view)} · {state} · "
            f"{view.participants} joined"
        )
    return "**Intro round schedules**\n" + "\n".join(lines)


def next_text(views: Sequence[RoundScheduleView]) -> str:
    if not views:
        return NO_SCHEDULES
    return "**Next intro rounds**\n" + "\n".join(
        f"`{v.schedule.id}` <#{v.schedule.channel_id}>: "
        f"{'paused' if v.schedule.paused else v.next_label} ({v.participants} joined)"
        for v in views
    )


def paused_text(view: RoundScheduleView) -> str:
    if view.schedule.paused:
        return f"Paused schedule {view.schedule.id}: no rounds until you resume it."
    return f"Resumed schedule {view.schedule.id}. Next round: {view.next_label}."


def confirm_remove_text(view: RoundScheduleView) -> str:
    return (
        f"Remove intro round schedule {view.schedule.id} in <#{view.schedule.channel_id}> "
        f"({cadence_label(view.schedule)})? Members who joined only this schedule leave it. "
        "This cannot be undone."
    )


def removed_text(schedule: RoundSchedule) -> str:
    return f"Removed intro round schedule {schedule.id}."


def ran_text(result: RoundResult) -> str:
    text = f"Ran a round now: {result.groups} groups, each in its own private thread."
    if result.unplaced:
        text += f" {result.unplaced} member(s) could not be grouped and were told why."
    return text


def joined_text(joined: bool, schedule_id: int | None) -> str:
    which = f"schedule {schedule_id}'s rounds" if schedule_id else "the intro rounds here"
    if not joined:
        return f"You were already in {which}."
    return (
        f"You've joined {which}. Each round I'll put you in a private thread with someone who "
        "shares your interests. Sit one out with `/rounds skip`, stop with `/rounds leave`."
    )


LEFT = "You've left the intro rounds here. Join again any time with `/rounds join`."
SKIPPED = "You'll sit out the next round; you're back in after that."


def history_text(groups: Sequence[PastGroup]) -> str:
    if not groups:
        return "You haven't been in an intro round here yet."
    lines = []
    for group in groups:
        people = ", ".join(f"<@{u}>" for u, _ in group.others)
        answer = f" · {ANSWER_LABELS[MeetAnswer(group.answer)]}" if group.answer else ""
        lines.append(f"**{group.label}**: {people or 'nobody'}{answer}")
    return "**Your intro rounds**\n" + "\n".join(lines)


def answered_text(answer: MeetAnswer) -> str:
    return f"Thanks, noted: {ANSWER_LABELS[answer]}."

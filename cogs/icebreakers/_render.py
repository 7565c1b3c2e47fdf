"""Texts for /icebreaker and /setup icebreakers: plain builders, no Discord calls."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.icebreakers import Schedule
from bot.domain.schedules import WEEKDAYS
from bot.domain.text import safe_echo
from bot.services.icebreakers import PendingSuggestion, Prompt, ScheduleView

PROMPTS_PAGE = 10
PROMPT_LINE_MAX = 180  # ten lines stay under Discord's 2,000 characters
SUGGESTED = "Thanks! The moderators will review your icebreaker suggestion."
NO_SCHEDULES = "There are no icebreaker schedules yet: add one with `/setup icebreakers schedule`."
NO_PROMPTS = (
    "There are no prompts yet: import a pack with `/setup icebreakers pack` or add one with "
    "`/setup icebreakers add-prompt`."
)


def cadence_label(schedule: Schedule) -> str:
    """``daily 09:00``, ``weekly Monday 18:30``."""
    day = f" {WEEKDAYS[schedule.weekday]}" if schedule.weekday is not None else ""
    return f"{schedule.cadence}{day} {schedule.local_time}"


def schedule_choice_label(schedule: Schedule, channel_name: str) -> str:
    """``3 · #icebreakers · daily 09:00``, for autocomplete."""
    return f"{schedule.id} · #{channel_name} · {cadence_label(schedule)}"[:100]


def _options(schedule: Schedule) -> str:
    extras = [
        word
        for word, on in (("thread", schedule.thread), ("skip if quiet", schedule.skip_if_quiet))
        if on
    ]
    return f" · {', '.join(extras)}" if extras else ""


def scheduled_text(view: ScheduleView) -> str:
    s = view.schedule
    text = (
        f"Scheduled icebreakers in <#{s.channel_id}> ({cadence_label(s)}{_options(s)}), "
        f"schedule {s.id}. Next: {view.next_label}."
    )
    if view.next_prompt is None:
        text += f"\n{NO_PROMPTS}"
    return text


def schedule_line(view: ScheduleView) -> str:
    s = view.schedule
    state = "paused" if s.paused else f"next {view.next_label}"
    return (
        f"`{s.id}` <#{s.channel_id}> · {cadence_label(s)}{_options(s)} · {state} · "
        f"{view.prompts_left} unused prompts this round"
    )


def list_text(views: Sequence[ScheduleView]) -> str:
    if not views:
        return NO_SCHEDULES
    return "**Icebreaker schedules**\n" + "\n".join(schedule_line(v) for v in views)


def next_text(views: Sequence[ScheduleView]) -> str:
    if not views:
        return NO_SCHEDULES
    lines = []
    for view in views:
        s = view.schedule
        when = "paused" if s.paused else view.next_label
        prompt = f"“{_short(view.next_prompt)}”" if view.next_prompt else "no prompts yet"
        lines.append(f"`{s.id}` <#{s.channel_id}> · {when}\n> {prompt}")
    return "**Next icebreakers**\n" + "\n".join(lines)


def paused_text(view: ScheduleView) -> str:
    s = view.schedule
    if s.paused:
        return (
            f"Paused schedule {s.id} in <#{s.channel_id}>. "
            "Resume it with `/setup icebreakers resume`."
        )
    return f"Resumed schedule {s.id} in <#{s.channel_id}>. Next: {view.next_label}."


def confirm_remove_text(view: ScheduleView) -> str:
    return f"Remove schedule {view.schedule.id} ({schedule_line(view)})? This cannot be undone."


def removed_text(schedule: Schedule) -> str:
    return f"Removed icebreaker schedule {schedule.id} in <#{schedule.channel_id}>."


def posted_now_text(channel_id: int, text: str) -> str:
    # Queued, not yet posted: the sender may still be refused, which the moderation log says.
    return (
        f"Queued for <#{channel_id}>: “{_short(text)}”. The moderation log will say when it "
        "is up, or why Discord refused it."
    )


def prompt_added_text(prompt: Prompt) -> str:
    return f"Added prompt {prompt.id}: “{_short(prompt.text)}”"


def prompt_removed_text(prompt: Prompt) -> str:
    return f"Removed prompt {prompt.id}: “{_short(prompt.text)}”"


def pack_text(title: str, added: int) -> str:
    if not added:
        return f"Every prompt of **{title}** is already in this server's pool."
    return f"Imported **{title}**: {added} new prompts."


def prompts_page(pool: Sequence[Prompt], offset: int) -> str:
    if not pool:
        return NO_PROMPTS
    shown = pool[offset : offset + PROMPTS_PAGE]
    lines = [f"`{p.id}` {_short(p.text)}" for p in shown]
    header = f"**Icebreaker prompts** ({offset + 1}–{offset + len(shown)} of {len(pool)})"
    return header + "\n" + "\n".join(lines)


def review_text(pending: Sequence[PendingSuggestion], *, total: int, offset: int) -> str:
    if not pending:
        return "No icebreaker suggestions are waiting for review."
    lines = [
        f"`#{s.id}` “{safe_echo(s.text, 300)}” · from <@{s.user_id}> · "
        f"<t:{int(s.created_at.timestamp())}:d>"
        for s in pending
    ]
    text = "**Icebreaker suggestions waiting for review**\n" + "\n".join(lines)
    if total > len(pending):
        text += (
            f"\nShowing {offset + 1}–{offset + len(pending)} of {total}: "
            f"{total - len(pending)} more waiting."
        )
    return text


def decision_text(text: str, approved: bool) -> str:
    if approved:
        return f"Approved “{_short(text)}”: it's in the pool now. I'll let the member know."
    return f"Rejected “{_short(text)}”. I'll let the member know."


def _short(text: str | None) -> str:
    return safe_echo(text or "", PROMPT_LINE_MAX)

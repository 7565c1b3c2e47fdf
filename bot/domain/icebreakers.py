"""Icebreaker prompts: what a prompt may be, and the rotation that never repeats within a cycle.

Rotation: each schedule walks its server's prompt pool in an order shuffled by a seeded random
(seed = the schedule and its cycle number, so a restart continues the same order). No prompt
repeats until every prompt of the pool was posted in that cycle; then the next cycle starts with
a new order. Prompts added mid-cycle join the current one.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.domain.errors import InvalidInput
from bot.domain.schedules import RecurringSchedule
from bot.domain.text import clean_free_text, could_ping, neutralise_mentions

PROMPT_LIMIT = 300
LOW_POOL = 3  # fewer unused prompts than this in a cycle: moderators get a note
THREAD_NAME_LIMIT = 100


def clean_prompt(text: str) -> str:
    """A prompt as stored: visible, no pings, one to 300 characters."""
    cleaned = neutralise_mentions(clean_free_text(text[: PROMPT_LIMIT * 4]))
    if not cleaned:
        raise InvalidInput("A prompt needs some text.")
    if len(cleaned) > PROMPT_LIMIT:
        raise InvalidInput(
            f"A prompt can be at most {PROMPT_LIMIT} characters (that has {len(cleaned)})."
        )
    assert not could_ping(cleaned)
    return cleaned


def prompt_key(text: str) -> str:
    """Two prompts with the same key are the same prompt (case and spacing aside)."""
    return " ".join(text.casefold().split())[:400]


def rotation_order(pool: Collection[int], schedule_id: int, cycle: int) -> list[int]:
    order = sorted(pool)
    random.Random(f"icebreakers:{schedule_id}:{cycle}").shuffle(order)
    return order


def next_prompt(
    pool: Collection[int], used_in_cycle: Collection[int], schedule_id: int, cycle: int
) -> tuple[int, int] | None:
    """(prompt id, cycle it counts in): the next unused prompt, or the first of a new cycle."""
    if not pool:
        return None
    unused = [p for p in rotation_order(pool, schedule_id, cycle) if p not in used_in_cycle]
    if unused:
        return unused[0], cycle
    return rotation_order(pool, schedule_id, cycle + 1)[0], cycle + 1


def thread_name(prompt: str) -> str:
    """A thread title from the prompt's first words."""
    name = prompt.replace("\n", " ").strip()
    return name if len(name) <= THREAD_NAME_LIMIT else name[: THREAD_NAME_LIMIT - 1] + "…"


@dataclass(frozen=True)
class Schedule(RecurringSchedule):
    thread: bool
    skip_if_quiet: bool
    quiet_channel_id: int | None
    quiet_message_id: int | None
    cycle: int
    low_pool_told_cycle: int | None
    thread_problem_told: bool


def unused_count(pool: Sequence[int], used_in_cycle: Collection[int]) -> int:
    return sum(1 for p in pool if p not in used_in_cycle)

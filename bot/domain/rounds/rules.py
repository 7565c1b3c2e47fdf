"""The rules of intro rounds besides grouping: schedules, the check-in, answers and ghosts.

- A round's time follows the server's time zone across daylight-saving changes: slots come from
  :mod:`bot.domain.schedules`, like every recurring schedule (weekly, biweekly or monthly on a
  weekday).
- "Did you meet?" is asked halfway between a round and the schedule's next slot (a one-off
  round: a week after it ran).
- The ghost rule: a member who answered none of the check-ins of their last ``GHOST_ROUNDS``
  rounds (counted since they last said "Keep me in") is left out until they answer the DM.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.errors import InvalidInput
from bot.domain.schedules import Cadence, Recurrence, RecurringSchedule, next_slot, recurrence

CADENCES = (Cadence.WEEKLY, Cadence.BIWEEKLY, Cadence.MONTHLY)
DEFAULT_COOLDOWN = 6  # rounds of a schedule within which a pair is never grouped again
MAX_COOLDOWN = 52
GHOST_ROUNDS = 3
ONE_OFF_CHECKIN = timedelta(days=7)
PAUSE_FOR = timedelta(days=30)
EVERY_SCHEDULE = 0  # round_participants.schedule_id for "all of this server's rounds"


class MeetAnswer(enum.StrEnum):
    MET = "met"
    NOT_YET = "not_yet"
    COULDNT = "couldnt"


ANSWER_LABELS = {
    MeetAnswer.MET: "Met",
    MeetAnswer.NOT_YET: "Not yet",
    MeetAnswer.COULDNT: "Couldn't",
}


class GhostChoice(enum.StrEnum):
    KEEP = "keep"
    PAUSE = "pause"
    LEAVE = "leave"


@dataclass(frozen=True)
class RoundSchedule(RecurringSchedule):
    group_size: int
    tag_id: int | None
    cooldown_rounds: int


def round_recurrence(
    cadence: str, local_time: str, timezone: str, weekday: int | None, anchor: date
) -> Recurrence:
    """A round schedule's recurrence, or a clear error (rounds are weekly, biweekly, monthly)."""
    if cadence not in {c.value for c in CADENCES}:
        raise InvalidInput("Rounds run weekly, biweekly or monthly.")
    if weekday is None:
        raise InvalidInput("Choose the weekday the rounds start on.")
    return recurrence(cadence, local_time, timezone, weekday, anchor)


def check_options(group_size: int, cooldown_rounds: int) -> None:
    if group_size not in (2, 3):
        raise InvalidInput("Groups are pairs (2) or threes (3).")
    if not 0 <= cooldown_rounds <= MAX_COOLDOWN:
        raise InvalidInput(f"The cooldown is 0 to {MAX_COOLDOWN} rounds.")


def checkin_time(rec: Recurrence | None, ran_at: datetime) -> datetime:
    """Halfway to the next round (a one-off round: a week after it ran)."""
    if rec is None:
        return ran_at + ONE_OFF_CHECKIN
    following = next_slot(rec, ran_at)
    return ran_at + (following - ran_at) / 2


def is_ghost(last_answers: Sequence[str | None]) -> bool:
    """``last_answers``: the member's answers to their most recent asked check-ins, newest
    first (``None``: no answer). A ghost answered none of the last ``GHOST_ROUNDS``."""
    recent = list(last_answers[:GHOST_ROUNDS])
    return len(recent) == GHOST_ROUNDS and all(answer is None for answer in recent)


def slot_key(schedule_id: int, slot: datetime) -> str:
    return f"schedule:{schedule_id}:{slot.isoformat()}"


def thread_name(label: str) -> str:
    return f"Intro round · {label}"[:100]

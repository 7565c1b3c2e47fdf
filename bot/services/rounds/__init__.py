"""Intro rounds (PRODUCT.md "Intro rounds"): schedules, one-off rounds, members' side."""

from bot.services.rounds.members import PastGroup, RoundMembers
from bot.services.rounds.running import THREAD_HANDLER, RoundResult
from bot.services.rounds.service import RoundScheduleView, RoundsService

__all__ = [
    "THREAD_HANDLER",
    "PastGroup",
    "RoundMembers",
    "RoundResult",
    "RoundScheduleView",
    "RoundsService",
]

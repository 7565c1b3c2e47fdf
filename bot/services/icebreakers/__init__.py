"""Scheduled icebreaker prompts (PRODUCT.md "Icebreakers"): schedules and the prompt pool."""

from bot.services.icebreakers.prompts import IcebreakerPrompts, PendingSuggestion, Prompt
from bot.services.icebreakers.schedules import POST_HANDLER, IcebreakerSchedules, ScheduleView

__all__ = [
    "POST_HANDLER",
    "IcebreakerPrompts",
    "IcebreakerSchedules",
    "PendingSuggestion",
    "Prompt",
    "ScheduleView",
]

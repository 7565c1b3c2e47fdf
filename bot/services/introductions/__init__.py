"""Find people and double opt-in introductions (PRODUCT.md "Find people and introductions")."""

from bot.services.introductions.find import FindResult, FindService, Person
from bot.services.introductions.service import (
    INTRO_DM_HANDLER,
    Answer,
    IntroductionService,
    PendingRequests,
)

__all__ = [
    "INTRO_DM_HANDLER",
    "Answer",
    "FindResult",
    "FindService",
    "IntroductionService",
    "PendingRequests",
    "Person",
]

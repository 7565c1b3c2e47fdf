"""Mentorship use cases: mentors' offers, mentees' requests, routing and the claim."""

from bot.services.mentorship.claim import THREAD_HANDLER, Claimed, MentorClaims
from bot.services.mentorship.mentors import MentorService, MentorStatus
from bot.services.mentorship.requests import MentorRequestService, OpenedRequest
from bot.services.mentorship.routing import MentorRouting

__all__ = [
    "THREAD_HANDLER",
    "Claimed",
    "MentorClaims",
    "MentorRequestService",
    "MentorRouting",
    "MentorService",
    "MentorStatus",
    "OpenedRequest",
]

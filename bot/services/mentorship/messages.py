"""The messages of requests and claims, as Discord JSON (the delivery layer sends them later).

The card and the mentors' DMs carry a Claim button whose custom id holds the request id
(``mentor:claim:<id>``); the cog's ``DynamicItem`` answers it, after a restart too. Cards and
DMs say what the request is about, never who asked: the mentee's name is for the mentor who
claims it, in the private thread.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from bot.domain.custom_ids import DIGITS, CustomId
from bot.domain.delivery import Message
from bot.domain.mentorship.requests import MentorRequest
from bot.domain.profiles import Profile
from bot.domain.tags import server_label
from bot.domain.text import show_member_text

CLAIM = "claim"
CLAIM_ID = CustomId(f"mentor:{CLAIM}", id=DIGITS)
BUTTON, ROW, GREEN = 2, 1, 3
COLOUR = 0x3B7DD8
NO_CARD = "No contact details added: reply here in the thread."


class Ending(enum.StrEnum):
    """How a request stopped being claimable, as its card and DMs say."""

    MATCHED = "matched"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    UNAVAILABLE = "unavailable"  # for one mentor only (a block, a withdrawn consent): neutral
    REPOSTED = "reposted"  # the card of an earlier routing, once a poor fit reopened the request


_ENDINGS = {
    Ending.MATCHED: "✅ Matched: a mentor claimed this request. Thank you for offering!",
    Ending.CANCELLED: "This request was withdrawn by the member who made it.",
    Ending.EXPIRED: "This request closed: no mentor was free this time.",
    Ending.UNAVAILABLE: "This request is no longer open to you. Thank you for offering!",
    Ending.REPOSTED: "This request is open again: claim it on its newer card below.",
}


def _claim_row(request_id: int) -> list[dict[str, Any]]:
    button = {
        "type": BUTTON,
        "style": GREEN,
        "label": "Claim",
        "custom_id": CLAIM_ID.build(request_id),
    }
    return [{"type": ROW, "components": [button]}]


def timestamp(moment: datetime, style: str = "D") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def _request_embed(request: MentorRequest, topic: str, title: str) -> dict[str, Any]:
    fields = [
        {"inline": True, "name": "Topic", "value": topic[:1024]},
        {"inline": True, "name": "Term", "value": f"{request.term_months} months"},
        {"inline": False, "name": "Goals", "value": show_member_text(request.goals)[:1024]},
    ]
    if request.background:
        fields.append(
            {
                "inline": False,
                "name": "Background",
                "value": show_member_text(request.background)[:1024],
            }
        )
    return {"type": "rich", "title": title, "color": COLOUR, "fields": fields}


def card(request: MentorRequest, topic: str) -> Message:
    """The request in the mentor-requests channel, with Claim."""
    embed = _request_embed(request, topic, "A member is looking for a mentor")
    embed["description"] = (
        "Mentors with room can claim it: a private thread opens for you both. "
        "Who asked is shown to the mentor who claims it."
    )
    embed["footer"] = {"text": f"Request {request.id} · open for 14 days"}
    return {"embeds": [embed], "components": _claim_row(request.id)}


def mentor_dm(request: MentorRequest, topic: str, guild_name: str) -> Message:
    """What each chosen mentor gets: the same request, with Claim."""
    embed = _request_embed(request, topic, "A mentor request matches your topics")
    embed["description"] = (
        f"A member of **{server_label(guild_name)}** is looking for a mentor in {topic}. "
        "If you have room, claim it and a private thread opens for you both. Not for you? "
        "Nothing to do: it goes to other mentors."
    )
    embed["footer"] = {"text": f"Request {request.id}"}
    return {"embeds": [embed], "components": _claim_row(request.id)}


def ended(request: MentorRequest, topic: str, ending: Ending) -> Message:
    """The card or a DM once it can no longer be claimed: the request, no button."""
    embed = _request_embed(request, topic, "Mentor request")
    embed["description"] = _ENDINGS[ending]
    embed["footer"] = {"text": f"Request {request.id}"}
    return {"embeds": [embed], "components": []}


def claimed_by_you(request: MentorRequest, topic: str, thread_id: int) -> Message:
    """The winning mentor's DM once the thread exists."""
    embed = _request_embed(request, topic, "Mentor request")
    embed["description"] = f"✅ You claimed this request. Your private thread: <#{thread_id}>"
    embed["footer"] = {"text": f"Request {request.id}"}
    return {"embeds": [embed], "components": []}


def thread_name(topic: str) -> str:
    return f"Mentorship · {topic}"[:100]


def opening(
    request: MentorRequest,
    topic: str,
    *,
    mentor_id: int,
    term_ends_at: datetime,
    mentor_profile: Profile | None,
    mentee_profile: Profile | None,
) -> Message:
    """The thread's first message: who, the goals, the term's end, both contact cards."""
    embed = _request_embed(request, topic, "Your mentorship")
    embed["description"] = (
        f"<@{mentor_id}> is mentoring <@{request.mentee_id}> in {topic}.\n"
        f"The term ends on {timestamp(term_ends_at)} ({timestamp(term_ends_at, 'R')}). "
        "A good first step: agree how often you'll meet and what reaching the goals looks like."
    )
    embed["fields"] += [
        _contact("Mentor", mentor_id, mentor_profile),
        _contact("Mentee", request.mentee_id, mentee_profile),
    ]
    embed["footer"] = {
        "text": "This thread is private to you two, but server moderators can see private "
        "threads. Record check-ins with /mentor checkin."
    }
    return {
        "content": f"Welcome, <@{request.mentee_id}> and <@{mentor_id}>!",
        "embeds": [embed],
    }


def _contact(role: str, user_id: int, profile: Profile | None) -> dict[str, Any]:
    card_text = show_member_text(profile.contact)[:900] if profile and profile.contact else NO_CARD
    return {"inline": False, "name": f"{role}: how to reach them", "value": card_text}


def expired_dm(request: MentorRequest, topic: str, guild_name: str) -> Message:
    return {
        "content": (
            f"Your mentor request in **{server_label(guild_name)}** ({topic}) has closed after "
            "14 days: no mentor had room this time, which says nothing about you or your goals. "
            "You're welcome to ask again with /mentor request, perhaps with a broader topic."
        )
    }


def thread_failed_dm(request: MentorRequest, topic: str, guild_name: str) -> Message:
    return {
        "content": (
            f"Thank you for claiming the mentor request in **{server_label(guild_name)}** "
            f"({topic}). I could not open the private thread, so nothing has started yet; the "
            "moderators have been told why. The request is still open: try Claim again later."
        )
    }

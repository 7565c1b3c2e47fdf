"""The messages introductions send, as Discord JSON (the delivery layer sends them later).

Buttons carry the request id in their custom id (``intro:<action>:<id>``); the cog's
``DynamicItem``s answer them, after a restart too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain.custom_ids import DIGITS, CustomId
from bot.domain.delivery import Message
from bot.domain.introductions import IntroRequest, suggested_opener
from bot.domain.profiles import Profile
from bot.domain.tags import server_label
from bot.domain.text import show_member_text

ACCEPT, DECLINE, BLOCK, REPORT, WITHDRAW = "accept", "decline", "block", "report", "withdraw"
BUTTON, ROW = 2, 1
GREEN, GREY, RED = 3, 2, 4
EMBED_COLOUR = 0x2E8B57
NO_CARD = "They have not added contact details: reply to them here on Discord."
ASK_ID = CustomId("intro:ask")
ANSWER_ID = CustomId("intro", action="|".join((ACCEPT, DECLINE, BLOCK, REPORT)), id=DIGITS)
WITHDRAW_ID = CustomId(f"intro:{WITHDRAW}", id=DIGITS)


def _button(label: str, style: int, action: str, request_id: int) -> dict[str, Any]:
    return {
        "type": BUTTON,
        "style": style,
        "label": label,
        "custom_id": ANSWER_ID.build(action, request_id),
    }


def answer_buttons(request_id: int) -> list[dict[str, Any]]:
    return [
        {
            "type": ROW,
            "components": [
                _button("Accept", GREEN, ACCEPT, request_id),
                _button("Decline", GREY, DECLINE, request_id),
                _button("Decline and block", RED, BLOCK, request_id),
                _button("Report to moderators", RED, REPORT, request_id),
            ],
        }
    ]


def _profile_fields(profile: Profile | None) -> list[dict[str, Any]]:
    fields = []
    if profile and profile.about:
        fields.append(
            {"inline": False, "name": "About", "value": show_member_text(profile.about)[:1024]}
        )
    if profile and profile.looking_for:
        fields.append(
            {
                "inline": False,
                "name": "Looking for",
                "value": show_member_text(profile.looking_for)[:1024],
            }
        )
    return fields


def _shared_field(shared: Sequence[str]) -> list[dict[str, Any]]:
    return (
        [{"inline": False, "name": "You share", "value": ", ".join(shared)[:1024]}]
        if shared
        else []
    )


def request_dm(
    request: IntroRequest,
    *,
    guild_name: str,
    requester_profile: Profile | None,
    shared: Sequence[str],
) -> Message:
    """What the target sees: who asks, their profile, what they share, the note, and buttons."""
    fields = _profile_fields(requester_profile) + _shared_field(shared)
    if request.note:
        fields.append(
            {"inline": False, "name": "Their note", "value": show_member_text(request.note)[:1024]}
        )
    embed = {
        "type": "rich",  # Discord always returns it; sent explicitly so the echo matches
        "title": "Someone would like to meet you",
        "description": (
            f"<@{request.requester_id}> in **{server_label(guild_name)}** asked for an "
            "introduction. If you accept, you'll both get each other's profile and contact "
            "details by DM. If you decline, they are not told."
        ),
        "color": EMBED_COLOUR,
        "fields": fields,
        "footer": {"text": f"Closes on its own after {_days(request)} days."},
    }
    return {"embeds": [embed], "components": answer_buttons(request.id)}


def _days(request: IntroRequest) -> int:
    return max(1, round((request.expires_at - request.created_at).total_seconds() / 86400))


def introduction(
    *,
    other_id: int,
    guild_name: str,
    other_profile: Profile | None,
    shared: Sequence[str],
) -> Message:
    """What each side gets on accept: the other's profile, shared tags, an opener, the card."""
    fields = _profile_fields(other_profile) + _shared_field(shared)
    contact = other_profile.contact if other_profile else None
    fields.append(
        {
            "inline": False,
            "name": "How to reach them",
            "value": show_member_text(contact)[:1024]
            if contact
            else "Reply to them here on Discord.",
        }
    )
    fields.append({"inline": False, "name": "A way to start", "value": suggested_opener(shared)})
    embed = {
        "type": "rich",
        "title": "You've been introduced",
        "description": (
            f"Meet <@{other_id}> from **{server_label(guild_name)}**: you both said yes."
        ),
        "color": EMBED_COLOUR,
        "fields": fields,
    }
    return {"embeds": [embed]}


def ended_dm(target_id: int, guild_name: str) -> Message:
    """The requester's only news of a request that did not lead to an introduction."""
    return {
        "content": (
            f"Your introduction request to <@{target_id}> in **{server_label(guild_name)}** "
            "didn't work out this time. There are more people to meet: try /intro suggest."
        )
    }


def report_text(request: IntroRequest) -> str:
    """For the moderation log: who asked whom, when, and the note (members' words escaped)."""
    note = show_member_text(request.note) if request.note else "(no note)"
    return (
        f"reported an introduction request from <@{request.requester_id}> "
        f"(<t:{int(request.created_at.timestamp())}:f>). Note: {note}. "
        "The requester is blocked for them and was not told."
    )

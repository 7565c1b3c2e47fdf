"""The messages intro rounds send, as Discord JSON (the delivery layer sends them later).

Buttons carry what their callback needs in the custom id, so they work after a restart:
``rounds:met:<group id>:<met|not_yet|couldnt>`` in a group's thread, and
``rounds:ghost:<guild id>:<keep|pause|leave>`` in the ghost DM (a DM has no server).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.domain.custom_ids import DIGITS, CustomId
from bot.domain.delivery import Message
from bot.domain.introductions import suggested_opener
from bot.domain.profiles import Profile
from bot.domain.rounds.grouping import REASON_TEXT, Unplaced
from bot.domain.rounds.rules import ANSWER_LABELS, GhostChoice, MeetAnswer
from bot.domain.tags import server_label
from bot.domain.text import show_member_text

BUTTON, ROW = 2, 1
GREEN, GREY, RED = 3, 2, 4
EMBED_COLOUR = 0x2E8B57
NO_CARD = "Reply to them here on Discord."
MEET_ID = CustomId("rounds:met", group=DIGITS, answer="|".join(a.value for a in MeetAnswer))
GHOST_ID = CustomId("rounds:ghost", guild=DIGITS, choice="|".join(c.value for c in GhostChoice))
GHOST_LABELS = {
    GhostChoice.KEEP: ("Keep me in", GREEN),
    GhostChoice.PAUSE: ("Pause for a month", GREY),
    GhostChoice.LEAVE: ("Leave rounds", RED),
}


def _button(label: str, style: int, custom_id: str) -> dict[str, Any]:
    return {"type": BUTTON, "style": style, "label": label, "custom_id": custom_id}


def _card(user_id: int, profile: Profile | None, shared: Sequence[str]) -> dict[str, Any]:
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
    contact = profile.contact if profile else None
    fields.append(
        {
            "inline": False,
            "name": "How to reach them",
            "value": show_member_text(contact)[:1024] if contact else NO_CARD,
        }
    )
    return {
        "type": "rich",
        "description": f"<@{user_id}>",
        "color": EMBED_COLOUR,
        "fields": fields,
    }


def opening(
    member_ids: Sequence[int],
    *,
    guild_name: str,
    label: str,
    profiles: Mapping[int, Profile | None],
    shared: Sequence[str],
    pairs: Sequence[tuple[int, int, Sequence[str]]] = (),
) -> Message:
    """A group's first message: who they are, what they share (all of them, else each pair
    that shares something), an opener, their cards."""
    names = ", ".join(f"<@{u}>" for u in member_ids)
    if shared:
        shared_text = ", ".join(shared)
    elif pairs:
        shared_text = "; ".join(f"<@{a}> and <@{b}>: {', '.join(tags)}" for a, b, tags in pairs)
    else:
        shared_text = "nothing on your tags yet, which is a fine start"
    content = (
        f"**Intro round · {label}** in **{server_label(guild_name)}**\n"
        f"Meet each other: {names}. Only you (and the server's moderators) can see this thread.\n"
        f"**You share**: {shared_text}\n"
        f"**A way to start**: {suggested_opener(shared)}\n"
        "Find a time to talk in the next days; I'll ask how it went halfway to the next round."
    )
    return {
        "content": content,
        "embeds": [_card(u, profiles.get(u), shared) for u in member_ids][:10],
    }


def checkin(group_id: int) -> Message:
    buttons = [
        _button(ANSWER_LABELS[a], style, MEET_ID.build(group_id, a.value))
        for a, style in (
            (MeetAnswer.MET, GREEN),
            (MeetAnswer.NOT_YET, GREY),
            (MeetAnswer.COULDNT, GREY),
        )
    ]
    return {
        "content": "**Did you meet?** Tell me how this round went: it helps me group people well.",
        "components": [{"type": ROW, "components": buttons}],
    }


def partner_left(user_id: int) -> Message:
    return {
        "content": (
            f"<@{user_id}>, your partner for this round has left the server, so there is "
            "nobody to meet here, sorry. You stay in intro rounds: the next round groups you "
            "with someone new."
        )
    }


def unplaced_dm(reason: Unplaced, *, guild_name: str, label: str) -> Message:
    return {
        "content": (
            f"I couldn't find you a group in this intro round ({label}) in "
            f"**{server_label(guild_name)}**: {REASON_TEXT[reason]}. Sorry about that. "
            "You're still in for the next round."
        )
    }


def ghost_dm(guild_id: int, *, guild_name: str) -> Message:
    buttons = [
        _button(label, style, GHOST_ID.build(guild_id, choice.value))
        for choice, (label, style) in GHOST_LABELS.items()
    ]
    return {
        "content": (
            f"You haven't answered “Did you meet?” in your last three intro rounds in "
            f"**{server_label(guild_name)}**, so I've left you out of the next rounds for now. "
            "Would you like to stay in?"
        ),
        "components": [{"type": ROW, "components": buttons}],
    }

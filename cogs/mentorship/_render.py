"""What /mentor says: short sentences and one status embed."""

from __future__ import annotations

import discord

from bot.domain.mentorship.requests import ESCALATE_AFTER, MentorRequest, RequestStatus
from bot.domain.text import plural, show_member_text
from bot.services.mentorship import Claimed, MentorStatus, OpenedRequest
from bot.services.mentorship.messages import timestamp

COLOUR = 0x3B7DD8
NOT_DISCOVERABLE = (
    "\nYou're not discoverable here, so no requests reach you until you turn it on: "
    "/privacy discoverable on."
)


def offered_text(status: MentorStatus) -> str:
    assert status.profile is not None
    topics = ", ".join(status.topics) or "none yet (add tags with /tags add)"
    text = (
        f"Thank you for mentoring! You take up to {plural(status.profile.capacity, 'mentee')} "
        f"at once, in: {topics}. Requests that match reach you by DM with a Claim button; "
        "/mentor pause stops them for a while."
    )
    return text + ("" if status.discoverable else NOT_DISCOVERABLE)


def paused_text(rerouted: int) -> str:
    extra = (
        f" {plural(rerouted, 'request')} offered only to you went to other mentors."
        if rerouted
        else ""
    )
    return "Paused: no new requests reach you until /mentor resume." + extra


RESUMED = "Welcome back: requests that match your topics can reach you again."


def resumed_text(waiting: int) -> str:
    if not waiting:
        return RESUMED
    return f"{RESUMED} {plural(waiting, 'open request')} waited for a mentor: see your DMs."


def opened_text(opened: OpenedRequest) -> str:
    waiting = (
        "Mentors with room in that topic are being told now, and it is on the mentor-requests card."
        if opened.routed
        else "It goes out to mentors when your snooze ends."
    )
    return (
        f"Your mentor request in {opened.topic} is open. {waiting} When a mentor claims it, "
        "a private thread opens for you both. If nobody has claimed it in "
        f"{ESCALATE_AFTER.days} days, more mentors and the moderators hear of it; it closes "
        "after 14 days. /mentor cancel withdraws it."
    )


def cancelled_text(request: MentorRequest) -> str:
    return "Your mentor request is withdrawn; the mentors who saw it are told it closed."


def claimed_text(claimed: Claimed) -> str:
    return (
        f"You claimed it, thank you! I'm opening a private thread for you and your mentee in "
        f"<#{claimed.channel_id}>; you'll both be added in a moment. The term ends on "
        f"{timestamp(claimed.match.term_ends_at)}."
    )


def status_embed(status: MentorStatus) -> discord.Embed:
    embed = discord.Embed(title="Your mentorship", colour=COLOUR)
    profile = status.profile
    if profile is None:
        embed.add_field(name="Mentoring", value="Not offered: /mentor offer.", inline=False)
    else:
        state = "taking requests"
        if profile.paused:
            state = "paused"
        elif status.full:
            state = "full, so no new requests until one ends"
        value = (
            f"{status.mentees} of {plural(profile.capacity, 'mentee')}, {state}.\n"
            f"Topics: {', '.join(status.topics) or 'none'}"
        )
        if profile.note:
            value += f"\nNote: {show_member_text(profile.note)[:300]}"
        embed.add_field(name="Mentoring", value=value, inline=False)
    if status.matches:
        lines = [
            _match_line(status, m.mentor_id, m.mentee_id, m.thread_id, m.term_ends_at)
            for m in status.matches
        ]
        embed.add_field(name="Mentorships", value="\n".join(lines)[:1024], inline=False)
    if status.request is not None and status.request.status is RequestStatus.OPEN:
        embed.add_field(
            name="Your request",
            value=f"Open since {timestamp(status.request.opened_at)}: /mentor cancel withdraws it.",
            inline=False,
        )
    if status.offered:
        embed.add_field(
            name="Requests offered to you",
            value=f"{plural(len(status.offered), 'open request')}: see your DMs to claim.",
            inline=False,
        )
    return embed


def _match_line(
    status: MentorStatus, mentor_id: int, mentee_id: int, thread_id: int | None, ends: object
) -> str:
    mine = status.profile is not None and mentor_id == status.profile.user_id
    other = f"mentoring <@{mentee_id}>" if mine else f"mentored by <@{mentor_id}>"
    where = f" in <#{thread_id}>" if thread_id else " (thread opening)"
    return f"• {other}{where}"


def require_role_text(role_id: int | None) -> str:
    if role_id is None:
        return "Any member may offer to mentor here."
    return f"Members need the <@&{role_id}> role to offer to mentor here."

"""Texts for /privacy. Blocks are private: only the blocker ever sees these answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.domain.text import escape_markdown, plural, show_member_text
from bot.services.privacy import Block, Deleted, PrivacySummary

SERVER_ONLY = (
    "That one is about a server: use it there. In DMs with me you can use /privacy show, "
    "export and delete, which cover every server."
)
EXPIRED = "That confirmation has expired, so nothing was deleted. Run /privacy delete again."
KEPT = "Nothing was deleted."


STORED_ROOM = 1500  # of Discord's 2,000 characters, for the list of what is stored


def _stored_lines(stored: Mapping[str, int]) -> str:
    lines: list[str] = []
    for number, (what, count) in enumerate(stored.items()):
        line = f"- {what}: {count}"
        if sum(len(x) + 1 for x in lines) + len(line) > STORED_ROOM:
            lines.append(f"- … and {plural(len(stored) - number, 'more kind')} (see the export)")
            break
        lines.append(line)
    return "\n".join(lines)


def summary_text(summary: PrivacySummary) -> str:
    lines = []
    if summary.discoverable is True:
        lines.append("**Discoverable**: members of this server can find you and ask to meet you.")
    elif summary.discoverable is False:
        lines.append(
            "**Not discoverable**: nobody is shown your profile, and nobody can ask to meet you."
        )
    if summary.snoozed_until is not None:
        when = f"<t:{int(summary.snoozed_until.timestamp())}:D>"
        lines.append(f"**Snoozed** until {when}: left out of /find, suggestions and rounds.")
    where = "in this server" if summary.discoverable is not None else "in any server"
    if not summary.stored:
        lines.append(f"I store nothing about you {where} yet.")
    else:
        if summary.discoverable is None:
            where = f"in {plural(summary.servers, 'server')}"
        lines.append(f"**Stored about you {where}**:\n" + _stored_lines(summary.stored))
    if summary.events:
        names = ", ".join(
            f"{escape_markdown(e.name)} ({e.start_date.day} {e.start_date:%b %Y})"
            for e in summary.events
        )
        lines.append(f"**Events you attend**: {names} (each fades a while after it ends).")
    if summary.rounds:
        joined = "\n".join(f"- {label}" for label in summary.rounds)
        lines.append(f"**Intro rounds you joined** (leave with `/rounds leave`):\n{joined}")
    if summary.discoverable is not None:
        lines.append("Change it with `/privacy discoverable`; blocks are in `/privacy blocks`.")
    lines.append("`/privacy export` gives you all of it; `/privacy delete` erases it.")
    return "\n".join(lines)


def export_text(export: Mapping[str, Any]) -> str:
    servers = len(export["servers"])
    if not servers and not export["not_tied_to_a_server"]:
        return "I store nothing about you, so the file holds only its readme."
    return (
        f"Everything I store about you ({plural(servers, 'server')}), as JSON. The `readme` "
        'inside explains each part; other members appear only as "the other member".'
    )


def confirm_text(everywhere: bool) -> str:
    where = "in **every server** I share with you" if everywhere else "in **this server**"
    return (
        f"Delete everything I store about you {where}? Your profile, tags, requests, "
        "suggestions, blocks and pending messages go at once, and it cannot be undone. "
        "Blocks between you and others are kept only as an anonymous record (hashed ids), so "
        "they still hold if you come back. This button works for 10 minutes."
    )


def deleted_text(deleted: Deleted, *, everywhere: bool) -> str:
    if not deleted.rows:
        return "There was nothing stored about you to delete."
    where = f"in {plural(deleted.servers, 'server')}" if everywhere else "in this server"
    return (
        f"Done: everything I stored about you {where} is deleted, and anything pending for you "
        "was cancelled. Using me again starts afresh."
    )


def discoverable_text(discoverable: bool, changed: bool) -> str:
    if discoverable:
        now = "You are discoverable" if changed else "You were already discoverable"
        return f"{now}: members can find you with /find and ask to meet you."
    now = "You are no longer discoverable" if changed else "You were already not discoverable"
    return (
        f"{now}. Nobody is shown your profile, and anything pending for you was cancelled "
        "without anyone being told."
    )


def blocked_text(member_id: int, new: bool) -> str:
    if not new:
        return f"You had already blocked <@{member_id}>."
    return (
        f"Blocked <@{member_id}>. Neither of you will be suggested to or listed for the other, "
        "and they are not told."
    )


def unblocked_text(member_id: int) -> str:
    return f"Unblocked <@{member_id}>."


def blocks_text(blocks: Sequence[Block]) -> str:
    if not blocks:
        return "You have not blocked anyone here."
    lines = [
        f"- <@{b.user_id}>"
        + (f" ({show_member_text(b.name)})" if b.name else "")
        + f", since <t:{int(b.since.timestamp())}:d>"
        for b in blocks
    ]
    return "**People you blocked** (only you can see this)\n" + "\n".join(lines)

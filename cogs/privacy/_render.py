"""Texts for /privacy. Blocks are private: only the blocker ever sees these answers."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.text import plural, show_member_text
from bot.services.privacy import Block, PrivacySummary

# An export section → how to say what it holds; a list section is counted, a record is not.
SECTION_WORDS: dict[str, tuple[str, str]] = {
    "member": ("your membership record (discoverability, snooze, display name)", ""),
    "profile": ("your profile text and contact card", ""),
    "tags": ("tag", "tags"),
    "introduction_requests": ("introduction request", "introduction requests"),
    "blocks_you_made": ("block you made", "blocks you made"),
    "messages_from_the_bot": ("message from the bot", "messages from the bot"),
    "tag_suggestions": ("tag suggestion", "tag suggestions"),
    "tags_created": ("tag you created", "tags you created"),
    "settings_last_changed_by_you": ("setting you last changed", "settings you last changed"),
    "rounds_joined": ("intro round joined", "intro rounds joined"),
    "round_groups": ("intro round group", "intro round groups"),
}
RECORDS = frozenset({"member", "profile"})


def _stored_line(section: str, count: int) -> str:
    one, many = SECTION_WORDS.get(section, (section.replace("_", " "), ""))
    if section in RECORDS:
        return one
    return plural(count, one, many or None)


def summary_text(summary: PrivacySummary) -> str:
    if summary.discoverable:
        seen = "**Discoverable**: members of this server can find you and ask to meet you."
    else:
        seen = "**Not discoverable**: nobody is shown your profile, and nobody can ask to meet you."
    lines = [seen]
    if summary.snoozed_until is not None:
        when = f"<t:{int(summary.snoozed_until.timestamp())}:D>"
        lines.append(f"**Snoozed** until {when}: left out of /find, suggestions and rounds.")
    if not summary.known or not summary.stored:
        lines.append("I store nothing about you in this server yet.")
    else:
        stored = [_stored_line(s, n) for s, n in summary.stored.items()]
        lines.append("**Stored about you in this server**:\n" + "\n".join(f"- {s}" for s in stored))
    if summary.rounds:
        joined = "\n".join(f"- {label}" for label in summary.rounds)
        lines.append(f"**Intro rounds you joined** (leave with `/rounds leave`):\n{joined}")
    lines.append("Change it with `/privacy discoverable`; blocks are in `/privacy blocks`.")
    return "\n".join(lines)


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

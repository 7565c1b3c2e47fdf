"""Plain-text rendering of sandbox messages for the terminal driver and test failure output.

Buttons are numbered ``[1]``, ``[2]``... and select options ``1.``, ``2.``... (1-based, for
people); the control API's integer indexes are 0-based, so ``[1]`` is ``actor.click(msg, 0)``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from sandbox import wallclock
from sandbox.messages import Message
from sandbox.state import SandboxState

_STYLE = {1: "primary", 2: "secondary", 3: "success", 4: "danger", 5: "link", 6: "premium"}


def render_embed(embed: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    author = (embed.get("author") or {}).get("name")
    if author:
        lines.append(f"| {author}")
    if embed.get("title"):
        lines.append(f"| **{embed['title']}**")
    if embed.get("description"):
        lines.extend(f"| {line}" for line in str(embed["description"]).splitlines())
    for f in embed.get("fields") or []:
        value_lines = str(f.get("value")).splitlines() or [""]
        lines.append(f"| {f.get('name')}: {value_lines[0]}")
        lines.extend(f"|   {line}" for line in value_lines[1:])
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines.append(f"| -- {footer}")
    return lines


def render_components(message: Message) -> list[str]:
    lines: list[str] = []
    button_no = 0
    select_no = 0
    for comp in message.iter_components():
        if comp.get("type") == 2:
            button_no += 1
            label = comp.get("label") or (comp.get("emoji") or {}).get("name") or "?"
            state = " (disabled)" if comp.get("disabled") else ""
            style = _STYLE.get(comp.get("style", 2), "")
            target = f" -> {comp['url']}" if comp.get("url") else ""
            lines.append(f"  [{button_no}] {label} <{style}>{state}{target}")
        else:
            select_no += 1
            placeholder = comp.get("placeholder") or comp.get("custom_id")
            rng = f"{comp.get('min_values', 1)}-{comp.get('max_values', 1)}"
            state = " (disabled)" if comp.get("disabled") else ""
            lines.append(f"  <select {select_no}: {placeholder} (pick {rng}){state}>")
            for i, opt in enumerate(comp.get("options") or [], 1):
                desc = f" - {opt['description']}" if opt.get("description") else ""
                default = " *" if opt.get("default") else ""
                lines.append(f"      {i}. {opt.get('label')}{desc}{default}")
    return lines


_MENTION = re.compile(r"<(#|@!?|@&)(\d+)>")


def humanize_mentions(text: str, state: SandboxState) -> str:
    """``<#id>`` → ``#name`` and ``<@id>`` → ``@name``, as a Discord client shows them."""

    def name(match: re.Match[str]) -> str:
        kind, ident = match.group(1), int(match.group(2))
        if kind == "#" and ident in state.channels:
            return f"#{state.channels[ident].name}"
        if kind.startswith("@") and kind != "@&" and ident in state.users:
            return f"@{state.users[ident].display_name}"
        return match.group(0)

    return _MENTION.sub(name, text)


_TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")
# Discord's styles, as its client shows them in English (the sandbox says the zone: UTC).
_TIMESTAMP_FORMATS = dict(
    zip(
        "tTdDfF",
        ("%H:%M", "%H:%M:%S", "%d/%m/%Y", "%d %B %Y", "%d %B %Y %H:%M", "%A, %d %B %Y %H:%M"),
        strict=True,
    )
)


def humanize_timestamps(text: str, now: float | None = None) -> str:
    """``<t:1767000000:R>`` → ``in 3 days``, ``<t:…:f>`` → ``29 December 2025 09:20`` (UTC),
    as a Discord client shows them (it uses the reader's time zone; the sandbox says UTC)."""
    reference = wallclock.now() if now is None else now

    def readable(match: re.Match[str]) -> str:
        seconds, style = int(match.group(1)), match.group(2) or "f"
        if style == "R":
            return relative(seconds - reference)
        moment = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
        return f"{moment:{_TIMESTAMP_FORMATS[style]}} UTC"

    return _TIMESTAMP.sub(readable, text)


def relative(seconds: float) -> str:
    """A distance in time as a Discord client words it: ``in 2 hours``, ``3 days ago``."""
    size = abs(seconds)
    units = (("year", 31536000), ("month", 2592000), ("day", 86400), ("hour", 3600), ("minute", 60))
    unit, length = next(((u, n) for u, n in units if size >= n), ("second", 1))
    count = round(size / length)
    words = f"{count} {unit}{'' if count == 1 else 's'}"
    return f"in {words}" if seconds >= 0 else f"{words} ago"


def render_message(message: Message, *, show_author: bool = True, now: float | None = None) -> str:
    """A message as the member would read it: content, embeds, numbered components."""
    text = humanize_mentions(_render(message, show_author), message.channel.state)
    return humanize_timestamps(text, now)


def _render(message: Message, show_author: bool) -> str:
    head: list[str] = []
    if show_author:
        head.append(message.author.display_name)
    if message.ephemeral:
        head.append("(only you can see this)")
    if message.loading:
        head.append("(thinking...)")
    if message.edited_timestamp:
        head.append("(edited)")
    lines = [" ".join(head)] if head else []
    if message.content:
        lines.extend(message.content.splitlines())
    for embed in message.embeds:
        lines.extend(render_embed(embed))
    for att in message.attachments:
        lines.append(f"[file: {att.filename}, {att.size} bytes]")
    lines.extend(render_components(message))
    if message.thread is not None:
        lines.append(f"  (thread: {message.thread.name})")
    return "\n".join(lines)


def render_messages(messages: list[Message], *, now: float | None = None) -> str:
    """``now`` (epoch seconds) is what relative timestamps count from (default: the sandbox's
    clock, moved by ``travel``)."""
    return "\n\n".join(render_message(m, now=now) for m in messages)

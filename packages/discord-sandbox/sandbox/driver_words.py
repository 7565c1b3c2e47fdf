"""What the terminal driver shows a person: forms as text, and the control API's messages
in plain words (no reprs, no bit fields)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import discord

from sandbox.control import SandboxUsageError
from sandbox.state import SandboxState

if TYPE_CHECKING:
    from sandbox.messages import Message

HELP = """\
as NAME                      act as another member (members: list them)
/command sub opt:value ...   run a slash command; quote values with spaces: note:"hi there"
                             choices by name or value: weekday:Monday or weekday:0
                             member options take @member, channel options #channel,
                             yes/no options yes or no; text options take any text (even @...)
complete /command opt:text   show autocomplete choices for the option you are typing
view-profile @member         the "View profile" user menu
user "COMMAND" @member       any user menu command, e.g. user "View profile" @maria
click N | click LABEL        press button N of the latest message with buttons (or the one
                             whose label starts with LABEL: click Acc)
select N V [V ...]           choose options (numbers or values) in select menu N, as numbered
                             in the output (any message shown, not only the latest)
modal field=value ...        fill in and submit the open form (field ids or labels);
                             fields you leave out keep what the form shows (now: ...)
inbox                        your DMs from the bot
channels                     the channels you can see
channel #name                the latest messages in a channel (threads: thread NAME|N)
threads                      threads, numbered: parent channel, private/public, who is in them
in dm | in #channel          where your commands run from now on (default #general); also
                             in thread NAME|N (e.g. in thread 1, then /mentor close), in server
dm /command ...              run one command in your DM with the bot (e.g. dm /privacy show)
say #channel text            post a plain message as yourself (e.g. so a channel is not quiet)
dms closed|open NAME         a member refuses DMs from the bot (50007), or accepts them again
travel 8d                    move the clock forward (m, h, d, w); what falls due happens
save N|NAME PATH             write file N of the output (or the one whose name starts NAME)
wait                         let queued DMs and posts go out
leave NAME | rejoin NAME     a member leaves the server (the bot is not told) or joins again
expect TEXT                  (scripts) fail unless the last output contains TEXT
help | quit"""


def render_modal(modal: dict[str, Any]) -> str:
    lines = [f"[form] {modal.get('title', '')}"]
    for row in modal.get("components") or []:
        items = row.get("components") or ([row["component"]] if row.get("component") else [])
        label = row.get("label")
        for item in items:
            name = item.get("label") or label or item.get("custom_id")
            value = f' (now: "{item["value"]}")' if item.get("value") else ""
            required = "" if item.get("required", True) is False else " *"
            lines.append(f"  {item.get('custom_id')}: {name}{required}{value}")
    lines.append("Fill it in with: modal field=value ...")
    return "\n".join(lines)


def prefilled_left_out(modal: dict[str, Any], given: dict[str, str]) -> dict[str, str]:
    """Fields the form showed filled in and the member did not touch keep their text,
    as in Discord's client (submitting does not blank them)."""
    kept = {}
    for row in modal.get("components") or []:
        items = row.get("components") or ([row["component"]] if row.get("component") else [])
        for item in items:
            names = {item.get("custom_id"), item.get("label"), row.get("label")} - {None}
            if item.get("type") == 4 and item.get("value") and not names & set(given):
                kept[item["custom_id"]] = str(item["value"])
    return kept


_MEMBER_REPR = re.compile(r"<Member (\S+) id=\d+ guild=\d+>")
_CHANNEL_REPR = re.compile(r"<Channel id=\d+ type=\d+ name='([^']*)'>")
_GUILD_REPR = re.compile(r"<Guild id=\d+ name='([^']*)'>")
_LACKS_PERMISSIONS = re.compile(r"lacks default_member_permissions=(\d+) for (/\S+)")
_NOT_REGISTERED = re.compile(r"no registered command '([^']+)' \(type \d\); registered: \[(.*)\]")
# How Discord's client names the permissions a command can ask for.
PERMISSION_LABELS = {
    "manage_guild": "Manage Server",
    "manage_messages": "Manage Messages",
    "manage_threads": "Manage Threads",
    "manage_roles": "Manage Roles",
    "manage_channels": "Manage Channels",
    "administrator": "Administrator",
}


def permission_words(value: int) -> str:
    if value == 0:
        return "it is turned off for everyone but administrators"
    names = [
        PERMISSION_LABELS.get(name, name.replace("_", " ").title())
        for name, granted in discord.Permissions(value)
        if granted
    ]
    return f"it needs the {' and '.join(names)} permission"


def in_words(text: str, state: SandboxState) -> str:
    """The control API's messages as a person would say them (no reprs, no bit fields)."""
    text = _LACKS_PERMISSIONS.sub(
        lambda m: f"cannot use {m.group(2)}: {permission_words(int(m.group(1)))}", text
    )
    text = _NOT_REGISTERED.sub(
        lambda m: f"there is no /{m.group(1)} command; commands: {_unquoted(m.group(2))}", text
    )
    text = _MEMBER_REPR.sub(lambda m: _display_name(m.group(1), state), text)
    text = _CHANNEL_REPR.sub(lambda m: f"#{m.group(1)}", text)
    return _GUILD_REPR.sub(lambda m: m.group(1), text)


def _display_name(username: str, state: SandboxState) -> str:
    user = state.user_by_name(username)
    return user.display_name if user is not None else username


def _unquoted(names: str) -> str:
    return names.replace("'", "")


class DriverError(Exception):
    """A step failed; the message says why."""


_QUOTES = ('""', "''", "“”", "‘’")


def unquoted(value: str) -> str:
    """A value typed in quotes the shell-style split left on (curly or nested quotes)."""
    value = value.strip()
    while len(value) >= 2 and value[0] + value[-1] in _QUOTES:
        value = value[1:-1].strip()
    return value


def choice_value(definition: dict[str, Any], text: str) -> Any:
    """A choice by its value (``weekday:0``) or its name, any case (``weekday:monday``)."""
    for choice in definition["choices"]:
        if text == str(choice["value"]) or text.casefold() == str(choice["name"]).casefold():
            return choice["value"]
    names = ", ".join(str(c["name"]) for c in definition["choices"])
    raise DriverError(f"{definition['name']} is one of: {names}")


def button_starting(message: Message, text: str) -> int | str:
    """The index of the button whose label is, or else starts with, ``text`` (any case)."""
    buttons = [c for c in message.iter_components() if c.get("type") == 2]
    labels = [str(b.get("label") or "").casefold() for b in buttons]
    wanted = unquoted(text).casefold()
    if wanted in labels:
        return labels.index(wanted)
    starting = [i for i, label in enumerate(labels) if label.startswith(wanted)]
    if len(starting) == 1:
        return starting[0]
    if starting:
        matching = ", ".join(str(buttons[i].get("label")) for i in starting)
        raise DriverError(f"{text!r} could be {matching}: type more of the label")
    return text  # a custom id, or the control API names the buttons there are


def plain_error(exc: Exception) -> str:
    """An error as one line: a JSON error body reduced to its message, no quotes or reprs."""
    text = str(exc).strip().strip("'\"") or type(exc).__name__
    body = text[text.find("{") :] if "{" in text else ""
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and parsed.get("message"):
        text = str(parsed["message"])
    if isinstance(exc, DriverError | SandboxUsageError | LookupError | ValueError | TimeoutError):
        return text.splitlines()[0]
    return f"{type(exc).__name__}: {text.splitlines()[0]}"

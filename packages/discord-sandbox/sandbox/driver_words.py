"""What the terminal driver shows a person: forms as text, and the control API's messages
in plain words (no reprs, no bit fields)."""

from __future__ import annotations

import re
from typing import Any

import discord

from sandbox.state import SandboxState


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

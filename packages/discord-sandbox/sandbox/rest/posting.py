"""Posting, editing and deleting messages, with the gateway events Discord sends for them."""

from __future__ import annotations

from typing import Any

from sandbox import shapes, wallclock
from sandbox.channels import DM
from sandbox.limits import EPHEMERAL, IS_COMPONENTS_V2, LOADING, SUPPRESS_EMBEDS
from sandbox.messages import Attachment, Message
from sandbox.state import SandboxState

GUILD_MESSAGES_INTENT, DIRECT_MESSAGES_INTENT = 9, 12
KEPT_ON_EDIT = EPHEMERAL | IS_COMPONENTS_V2  # an edit cannot change these


def _intent_for(message: Message) -> int:
    return DIRECT_MESSAGES_INTENT if message.channel.type == DM else GUILD_MESSAGES_INTENT


def store(state: SandboxState, message: Message) -> None:
    state.messages[message.id] = message
    message.channel.all_messages.append(message)
    if message.visible_to is None:
        message.channel.total_message_sent += 1
        emit(state, "MESSAGE_CREATE", message)


def emit(state: SandboxState, event: str, message: Message) -> None:
    if state.has_intent(_intent_for(message)):
        state.dispatch(event, shapes.message(message, with_guild=True))


def apply_edit(
    state: SandboxState, message: Message, data: dict[str, Any], files: list[Attachment]
) -> None:
    message.history.append(message.snapshot())
    if "content" in data:
        message.content = data["content"] or ""
    if "embeds" in data:
        message.embeds = list(data["embeds"] or [])
    if "components" in data:
        message.components = list(data["components"] or [])
    if "allowed_mentions" in data:
        message.allowed_mentions = data["allowed_mentions"]
    if "flags" in data and data["flags"] is not None:
        keep = message.flags & KEPT_ON_EDIT
        message.flags = keep | (int(data["flags"]) & SUPPRESS_EMBEDS)
    if "attachments" in data and data["attachments"] is not None:
        keep_ids = {str(a.get("id")) for a in data["attachments"]}
        message.attachments = [a for a in message.attachments if str(a.id) in keep_ids]
    message.attachments.extend(files)
    message.flags &= ~LOADING  # no longer "thinking"
    message.edited_timestamp = wallclock.now()
    if message.visible_to is None:
        emit(state, "MESSAGE_UPDATE", message)


def delete(state: SandboxState, message: Message) -> None:
    message.deleted = True
    if message.visible_to is None and state.has_intent(_intent_for(message)):
        data = {"id": str(message.id), "channel_id": str(message.channel.id)}
        if message.channel.guild is not None:
            data["guild_id"] = str(message.channel.guild.id)
        state.dispatch("MESSAGE_DELETE", data)

"""Members' DMs kept across runs of ``python -m bot sandbox --db FILE``.

The bot's database survives a run but the sandbox server lives in memory, so the DMs the bot
sent would be gone (and ``inbox`` empty) on the next run. They are written beside the database
(``FILE.dms.json``) when the run ends and put back, as the same members' DMs, when the next one
starts. Only what a member reads is kept: author, text, embeds, components and files; the
messages get new ids (a button on an old DM still reaches the bot by its custom id).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from sandbox.messages import Attachment, Message
from sandbox.state import SandboxState


def archive_path(database: Path) -> Path:
    return database.with_name(database.name + ".dms.json")


def dump_dms(state: SandboxState) -> list[dict[str, Any]]:
    """Every DM channel's messages, oldest first, as JSON-ready rows."""
    rows = []
    for user_id, channel in state.dm_channels.items():
        for message in channel.all_messages:
            if message.deleted:
                continue
            rows.append(
                {
                    "member": user_id,
                    "from_bot": message.author.id == state.bot_user.id,
                    "content": message.content,
                    "embeds": message.embeds,
                    "components": message.components,
                    "flags": message.flags,
                    "timestamp": message.timestamp,
                    "files": [_file_row(a) for a in message.attachments],
                }
            )
    return rows


def restore_dms(state: SandboxState, rows: list[dict[str, Any]]) -> int:
    """Put archived DMs back (members who no longer exist are skipped); returns how many."""
    restored = 0
    for row in rows:
        member = state.users.get(int(row["member"]))
        if member is None:
            continue
        channel = state.dm_channel_for(member)
        message = Message(
            state.ids.next(),
            channel,
            state.bot_user if row["from_bot"] else member,
            content=row["content"],
            embeds=row["embeds"],
            components=row["components"],
            flags=row["flags"],
            timestamp=row["timestamp"],
            attachments=[_file(state, f) for f in row["files"]],
        )
        state.messages[message.id] = message
        channel.all_messages.append(message)
        restored += 1
    return restored


def save_dms(state: SandboxState, database: Path) -> None:
    archive_path(database).write_text(json.dumps(dump_dms(state)), encoding="utf-8")


def load_dms(state: SandboxState, database: Path) -> int:
    path = archive_path(database)
    if not path.exists():
        return 0
    return restore_dms(state, json.loads(path.read_text(encoding="utf-8")))


def _file_row(attachment: Attachment) -> dict[str, Any]:
    return {
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "data": base64.b64encode(attachment.data).decode(),
    }


def _file(state: SandboxState, row: dict[str, Any]) -> Attachment:
    data = base64.b64decode(row["data"])
    return Attachment(state.ids.next(), row["filename"], len(data), row["content_type"], data)

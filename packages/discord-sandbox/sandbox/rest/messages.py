"""Channel messages: list, fetch, send (with nonces), edit and delete."""

from __future__ import annotations

from typing import Any

from sandbox import fields as known
from sandbox import shapes
from sandbox.channels import DM, TEXT_TYPES, Channel
from sandbox.faults import QUARANTINE_CODE, QUARANTINE_MESSAGE
from sandbox.limits import CHANNEL_MESSAGE_FLAGS, validate_message
from sandbox.messages import Message
from sandbox.permissions import (
    ATTACH_FILES,
    MANAGE_MESSAGES,
    MANAGE_THREADS,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
)
from sandbox.rest import posting
from sandbox.rest.base import MISSING_PERMS, Req, Resource, Routes, err

MESSAGES = "/channels/{channel_id}/messages"
NONCE_WINDOW = 300.0  # seconds during which enforce_nonce deduplicates


class Messages(Resource):
    def register(self, routes: Routes) -> None:
        self._nonces: dict[tuple[int, str], tuple[Message, float]] = {}
        routes.add("GET", MESSAGES, self.list_messages)
        routes.add("POST", MESSAGES, self.create_message)
        routes.add("GET", MESSAGES + "/{message_id}", self.get_message)
        routes.add("PATCH", MESSAGES + "/{message_id}", self.edit_message)
        routes.add("DELETE", MESSAGES + "/{message_id}", self.delete_message)

    async def list_messages(self, req: Req) -> tuple[int, Any]:
        channel = self.channel(req.params["channel_id"])
        self.require_view(channel)
        limit = int(req.query.get("limit", 50))
        msgs = list(reversed(channel.messages))[:limit]
        return 200, [shapes.message(m) for m in msgs]

    async def get_message(self, req: Req) -> tuple[int, Any]:
        channel = self.channel(req.params["channel_id"])
        self.require_view(channel)
        return 200, shapes.message(self.message(channel, req.params["message_id"]))

    def _check_dm_target(self, channel: Channel) -> None:
        user = channel.recipients[0]
        faults = self.ctx.faults
        code = faults.closed_dm_user_ids.get(user.id)
        if faults.quarantined and not any(
            m.author is self.state.bot_user for m in channel.all_messages
        ):
            raise err(403, QUARANTINE_CODE, QUARANTINE_MESSAGE)
        if code is not None or not user.dms_open:
            raise err(403, code or 50007, "Cannot send messages to this user")

    def _check_thread_writable(self, channel: Channel, perms: int) -> None:
        if channel.is_thread and channel.archived:
            if channel.locked and not perms & MANAGE_THREADS:
                raise err(400, 50083, "Thread is archived")
            channel.archived = False
            channel.archive_timestamp = self.ctx.clock.wall()
            self.state.notify_channel_update(channel)

    def _check_can_send(self, channel: Channel, req: Req) -> None:
        if channel.type == DM:
            self._check_dm_target(channel)
            return
        perms = self.require_view(channel)
        if channel.type not in TEXT_TYPES:
            raise err(400, 50008, "Cannot send messages in a non-text channel")
        need = SEND_MESSAGES_IN_THREADS if channel.is_thread else SEND_MESSAGES
        if not perms & need or (req.files and not perms & ATTACH_FILES):
            raise err(*MISSING_PERMS)
        self._check_thread_writable(channel, perms)

    async def create_message(self, req: Req) -> tuple[int, Any]:
        channel = self.channel(req.params["channel_id"])
        data = req.json or {}
        self._check_can_send(channel, req)
        validate_message(
            data, has_files=bool(req.files), creating=True, fields=known.MESSAGE_CREATE
        )
        nonce = data.get("nonce")
        bot = self.state.bot_user
        now = self.ctx.clock.wall()
        if nonce is not None and data.get("enforce_nonce"):
            seen = self._nonces.get((bot.id, str(nonce)))
            if seen is not None and now - seen[1] < NONCE_WINDOW:
                return 200, shapes.message(seen[0])
        ref = data.get("message_reference")
        message = Message(
            self.state.ids.next(),
            channel,
            bot,
            content=data.get("content") or "",
            embeds=list(data.get("embeds") or []),
            components=list(data.get("components") or []),
            attachments=list(req.files),
            flags=int(data.get("flags") or 0) & CHANNEL_MESSAGE_FLAGS,
            type=19 if ref else 0,
            nonce=nonce,
            allowed_mentions=data.get("allowed_mentions"),
        )
        if nonce is not None:
            self._nonces[(bot.id, str(nonce))] = (message, now)
        posting.store(self.state, message)
        return 200, shapes.message(message)

    async def edit_message(self, req: Req) -> tuple[int, Any]:
        channel = self.channel(req.params["channel_id"])
        self.require_view(channel)
        message = self.message(channel, req.params["message_id"])
        if message.author is not self.state.bot_user:
            raise err(403, 50005, "Cannot edit a message authored by another user")
        if channel.is_thread and channel.archived:
            raise err(400, 50083, "Thread is archived")
        data = req.json or {}
        validate_message(data, has_files=bool(req.files), creating=False, fields=known.MESSAGE_EDIT)
        posting.apply_edit(self.state, message, data, req.files)
        return 200, shapes.message(message)

    async def delete_message(self, req: Req) -> tuple[int, Any]:
        channel = self.channel(req.params["channel_id"])
        perms = self.require_view(channel)
        message = self.message(channel, req.params["message_id"])
        if message.author is not self.state.bot_user and not perms & MANAGE_MESSAGES:
            raise err(*MISSING_PERMS)
        posting.delete(self.state, message)
        return 204, None

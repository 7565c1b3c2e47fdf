"""Channels: fetch, and edit (names and topics; a thread's archive, lock and invitable)."""

from __future__ import annotations

from typing import Any

from sandbox import fields as known
from sandbox import shapes
from sandbox.channels import DM, PRIVATE_THREAD, Channel
from sandbox.limits import validate_known_fields
from sandbox.permissions import MANAGE_CHANNELS, MANAGE_THREADS
from sandbox.rest.base import MISSING_PERMS, Req, Resource, Routes, check_channel_name, err


class Channels(Resource):
    def register(self, routes: Routes) -> None:
        routes.add("GET", "/channels/{channel_id}", self.get_channel)
        routes.add("PATCH", "/channels/{channel_id}", self.edit_channel)

    async def get_channel(self, req: Req) -> tuple[int, Any]:
        channel = self.channel(req.params["channel_id"])
        self.require_view(channel)
        return 200, shapes.channel(channel)

    async def edit_channel(self, req: Req) -> tuple[int, Any]:
        channel = self.channel(req.params["channel_id"])
        if channel.type == DM:
            raise err(400, 50003, "Cannot execute action on a DM channel")
        perms = self.require_view(channel)
        data = req.json or {}
        validate_known_fields((), data, known.CHANNEL_EDIT)
        if channel.is_thread:
            self._edit_thread(channel, perms, data)
        else:
            if not perms & MANAGE_CHANNELS:
                raise err(*MISSING_PERMS)
            if "name" in data:
                check_channel_name(data["name"])
                channel.name = data["name"]
            if "topic" in data:
                channel.topic = data["topic"]
        self.state.notify_channel_update(channel)
        return 200, shapes.channel(channel)

    def _edit_thread(self, thread: Channel, perms: int, data: dict[str, Any]) -> None:
        is_mod = bool(perms & MANAGE_THREADS)
        is_owner = thread.owner_id == self.state.bot_user.id
        if "locked" in data and bool(data["locked"]) != thread.locked and not is_mod:
            raise err(*MISSING_PERMS)
        if thread.archived and thread.locked and not is_mod:
            raise err(*MISSING_PERMS)
        if not (is_mod or is_owner):
            raise err(*MISSING_PERMS)
        if (
            thread.archived
            and data.get("archived") is not False
            and set(data)
            - {
                "archived",
                "locked",
            }
        ):
            raise err(400, 50083, "Thread is archived")
        if "name" in data:
            check_channel_name(data["name"])
            thread.name = data["name"]
        if "locked" in data:
            thread.locked = bool(data["locked"])
        if "invitable" in data and thread.type == PRIVATE_THREAD:
            thread.invitable = bool(data["invitable"])
        if "auto_archive_duration" in data:
            thread.auto_archive_duration = int(data["auto_archive_duration"])
        if "archived" in data and bool(data["archived"]) != thread.archived:
            thread.archived = bool(data["archived"])
            thread.archive_timestamp = self.ctx.clock.wall()

"""Threads: create (alone or from a message) and their members (list, fetch, add, remove)."""

from __future__ import annotations

from typing import Any

from sandbox import fields as known
from sandbox import shapes
from sandbox.channels import DM, PRIVATE_THREAD, PUBLIC_THREAD, THREAD_PARENT_TYPES, Channel
from sandbox.limits import FormErrors, validate_known_fields
from sandbox.permissions import (
    CREATE_PRIVATE_THREADS,
    CREATE_PUBLIC_THREADS,
    MANAGE_THREADS,
    SEND_MESSAGES_IN_THREADS,
)
from sandbox.rest.base import (
    MISSING_PERMS,
    Req,
    Resource,
    Routes,
    bool_query,
    check_channel_name,
    err,
)

GUILD_MEMBERS_INTENT = 1
ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)
MEMBERS = "/channels/{channel_id}/thread-members"


class Threads(Resource):
    def register(self, routes: Routes) -> None:
        routes.add("POST", "/channels/{channel_id}/threads", self.create_thread)
        routes.add(
            "POST",
            "/channels/{channel_id}/messages/{message_id}/threads",
            self.create_thread_from_message,
        )
        routes.add("GET", MEMBERS, self.list_thread_members)
        routes.add("GET", MEMBERS + "/{user_id}", self.get_thread_member)
        routes.add("PUT", MEMBERS + "/{user_id}", self.add_thread_member)
        routes.add("DELETE", MEMBERS + "/{user_id}", self.remove_thread_member)

    # --- creating ------------------------------------------------------------------------------
    def _new_thread(
        self, parent: Channel, name: Any, ttype: int, data: dict[str, Any], thread_id: int
    ) -> Channel:
        check_channel_name(name)
        duration = data.get("auto_archive_duration", 4320)
        if duration not in ARCHIVE_DURATIONS:
            raise FormErrors.single(
                ("auto_archive_duration",),
                "BASE_TYPE_CHOICES",
                "Value must be one of {60, 1440, 4320, 10080}.",
            )
        bot = self.state.bot_user
        thread = Channel(self.state, thread_id, ttype, name, parent.guild, parent_id=parent.id)
        thread.owner_id = bot.id
        thread.auto_archive_duration = duration
        thread.invitable = bool(data.get("invitable", True)) if ttype == PRIVATE_THREAD else True
        thread.thread_members[bot.id] = self.ctx.clock.wall()
        self.state.channels[thread.id] = thread
        payload = shapes.channel(thread)
        payload["newly_created"] = True
        self.state.emit_guild("THREAD_CREATE", payload)
        self.state.changed()
        return thread

    def _thread_parent(self, channel_id: str) -> tuple[Channel, int]:
        parent = self.channel(channel_id)
        if parent.type == DM:
            raise err(400, 50003, "Cannot execute action on a DM channel")
        perms = self.require_view(parent)
        if parent.type not in THREAD_PARENT_TYPES:
            raise err(400, 50024, "Cannot execute action on this channel type")
        return parent, perms

    async def create_thread(self, req: Req) -> tuple[int, Any]:
        parent, perms = self._thread_parent(req.params["channel_id"])
        data = req.json or {}
        validate_known_fields((), data, known.THREAD_CREATE)
        ttype = int(data.get("type", PRIVATE_THREAD))
        if ttype not in (PUBLIC_THREAD, PRIVATE_THREAD):
            raise FormErrors.single(
                ("type",), "BASE_TYPE_CHOICES", "Value must be one of {11, 12}."
            )
        need = CREATE_PRIVATE_THREADS if ttype == PRIVATE_THREAD else CREATE_PUBLIC_THREADS
        if not perms & need:
            raise err(*MISSING_PERMS)
        thread = self._new_thread(parent, data.get("name"), ttype, data, self.state.ids.next())
        return 201, shapes.channel(thread)

    async def create_thread_from_message(self, req: Req) -> tuple[int, Any]:
        parent, perms = self._thread_parent(req.params["channel_id"])
        message = self.message(parent, req.params["message_id"])
        if not perms & CREATE_PUBLIC_THREADS:
            raise err(*MISSING_PERMS)
        if message.thread is not None:
            raise err(400, 160004, "A thread has already been created for this message")
        data = req.json or {}
        validate_known_fields((), data, known.THREAD_FROM_MESSAGE)
        thread = self._new_thread(parent, data.get("name"), PUBLIC_THREAD, data, message.id)
        message.thread = thread
        return 201, shapes.channel(thread)

    # --- members -------------------------------------------------------------------------------
    def _thread(self, channel_id: str) -> tuple[Channel, int]:
        thread = self.channel(channel_id)
        if not thread.is_thread:
            raise err(400, 50024, "Cannot execute action on this channel type")
        return thread, self.require_view(thread)

    def _member_item(self, thread: Channel, user_id: int) -> dict[str, Any]:
        """A thread member with its guild member, as ``with_member`` and the events send it."""
        item = shapes.thread_member(thread, user_id)
        if thread.guild and user_id in thread.guild.members:
            item["member"] = shapes.member(thread.guild.members[user_id])
        return item

    async def list_thread_members(self, req: Req) -> tuple[int, Any]:
        thread, _ = self._thread(req.params["channel_id"])
        if bool_query(req.query.get("with_member")):
            return 200, [self._member_item(thread, uid) for uid in thread.thread_members]
        return 200, [shapes.thread_member(thread, uid) for uid in thread.thread_members]

    async def get_thread_member(self, req: Req) -> tuple[int, Any]:
        thread, _ = self._thread(req.params["channel_id"])
        user = self.user(req.params["user_id"])
        if user.id not in thread.thread_members:
            raise err(404, 10007, "Unknown Member")
        return 200, shapes.thread_member(thread, user.id)

    async def add_thread_member(self, req: Req) -> tuple[int, Any]:
        thread, perms = self._thread(req.params["channel_id"])
        if thread.archived:
            raise err(400, 50083, "Thread is archived")
        user = self.user(req.params["user_id"])
        bot = self.state.bot_user
        assert thread.guild is not None
        if user.id not in thread.guild.members:
            raise err(404, 10007, "Unknown Member")
        if not perms & SEND_MESSAGES_IN_THREADS:
            raise err(*MISSING_PERMS)
        if (
            thread.type == PRIVATE_THREAD
            and user is not bot
            and not thread.invitable
            and thread.owner_id != bot.id
            and not perms & MANAGE_THREADS
        ):
            raise err(*MISSING_PERMS)
        if user.id not in thread.thread_members:
            thread.thread_members[user.id] = self.ctx.clock.wall()
            self._emit_members(thread, added=[user.id], removed=[])
        return 204, None

    async def remove_thread_member(self, req: Req) -> tuple[int, Any]:
        thread, perms = self._thread(req.params["channel_id"])
        if thread.archived:
            raise err(400, 50083, "Thread is archived")
        user = self.user(req.params["user_id"])
        bot = self.state.bot_user
        if user is not bot and not (
            perms & MANAGE_THREADS or (thread.type == PRIVATE_THREAD and thread.owner_id == bot.id)
        ):
            raise err(*MISSING_PERMS)
        if user.id not in thread.thread_members:
            raise err(404, 10007, "Unknown Member")
        del thread.thread_members[user.id]
        self._emit_members(thread, added=[], removed=[user.id])
        return 204, None

    def _emit_members(self, thread: Channel, *, added: list[int], removed: list[int]) -> None:
        assert thread.guild is not None
        bot_id = self.state.bot_user.id
        if self.state.has_intent(GUILD_MEMBERS_INTENT) or bot_id in added or bot_id in removed:
            data: dict[str, Any] = {
                "id": str(thread.id),
                "guild_id": str(thread.guild.id),
                "member_count": min(len(thread.thread_members), 50),
            }
            if added:
                data["added_members"] = [self._member_item(thread, uid) for uid in added]
            if removed:
                data["removed_member_ids"] = [str(u) for u in removed]
            self.state.dispatch("THREAD_MEMBERS_UPDATE", data)
        self.state.changed()

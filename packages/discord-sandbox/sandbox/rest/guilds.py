"""Guilds: the guild, its channels, roles, active threads and members."""

from __future__ import annotations

from typing import Any

from sandbox import shapes
from sandbox.channels import PRIVATE_THREAD
from sandbox.permissions import MANAGE_THREADS, VIEW_CHANNEL
from sandbox.rest.base import Req, Resource, Routes, bool_query, err

GUILD = "/guilds/{guild_id}"


class Guilds(Resource):
    def register(self, routes: Routes) -> None:
        routes.add("GET", GUILD, self.get_guild)
        routes.add("GET", GUILD + "/channels", self.get_guild_channels)
        routes.add("GET", GUILD + "/threads/active", self.list_active_threads)
        routes.add("GET", GUILD + "/roles", self.get_guild_roles)
        routes.add("GET", GUILD + "/members/{user_id}", self.get_guild_member)

    async def get_guild(self, req: Req) -> tuple[int, Any]:
        guild = self.guild(req.params["guild_id"])
        data = shapes.guild(guild)
        if bool_query(req.query.get("with_counts")):
            data["approximate_member_count"] = len(guild.members)
            data["approximate_presence_count"] = 0
        return 200, data

    async def get_guild_channels(self, req: Req) -> tuple[int, Any]:
        guild = self.guild(req.params["guild_id"])
        return 200, [shapes.channel(c) for c in guild.channels]

    async def list_active_threads(self, req: Req) -> tuple[int, Any]:
        """Unarchived threads the bot can see: public ones, private ones it is in (or moderates)."""
        guild = self.guild(req.params["guild_id"])
        bot_id = self.state.bot_user.id
        seen = []
        for thread in guild.threads:
            perms = self.bot_perms(thread)
            if thread.archived or not perms & VIEW_CHANNEL:
                continue
            if thread.type == PRIVATE_THREAD and not (
                bot_id in thread.thread_members or perms & MANAGE_THREADS
            ):
                continue
            seen.append(thread)
        members = [shapes.thread_member(t, bot_id) for t in seen if bot_id in t.thread_members]
        threads = [shapes.channel(t) for t in seen]
        return 200, {"threads": threads, "members": members, "has_more": False}

    async def get_guild_roles(self, req: Req) -> tuple[int, Any]:
        guild = self.guild(req.params["guild_id"])
        return 200, [shapes.role(r) for r in guild.roles.values()]

    async def get_guild_member(self, req: Req) -> tuple[int, Any]:
        guild = self.guild(req.params["guild_id"])
        try:
            member = guild.members[int(req.params["user_id"])]
        except (KeyError, ValueError):
            raise err(404, 10007, "Unknown Member") from None
        return 200, shapes.member(member)

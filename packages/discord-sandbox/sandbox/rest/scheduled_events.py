"""A guild's scheduled events (what ``/setup events import`` reads)."""

from __future__ import annotations

from typing import Any

from sandbox import shapes
from sandbox.rest.base import Req, Resource, Routes, bool_query


class ScheduledEvents(Resource):
    def register(self, routes: Routes) -> None:
        routes.add("GET", "/guilds/{guild_id}/scheduled-events", self.list_scheduled_events)

    async def list_scheduled_events(self, req: Req) -> tuple[int, Any]:
        guild = self.guild(req.params["guild_id"])
        with_counts = bool_query(req.query.get("with_user_count"))
        events = sorted(guild.scheduled_events.values(), key=lambda e: (e.start, e.id))
        return 200, [shapes.scheduled_event(e, with_user_count=with_counts) for e in events]

"""Users and DMs: ``/users/@me``, ``/users/{user_id}``, opening a DM channel."""

from __future__ import annotations

from typing import Any

from sandbox import fields as known
from sandbox import shapes
from sandbox.faults import QUARANTINE_CODE, QUARANTINE_MESSAGE
from sandbox.limits import FormErrors, validate_known_fields
from sandbox.rest.base import Req, Resource, Routes, err


class Users(Resource):
    def register(self, routes: Routes) -> None:
        routes.add("GET", "/users/@me", self.get_me)
        routes.add("POST", "/users/@me/channels", self.open_dm)
        routes.add("GET", "/users/{user_id}", self.get_user)

    async def get_me(self, req: Req) -> tuple[int, Any]:
        data = shapes.user(self.state.bot_user)
        data.update(
            {
                "verified": True,
                "mfa_enabled": False,
                "email": None,
                "locale": "en-US",
                "premium_type": 0,
            }
        )
        return 200, data

    async def get_user(self, req: Req) -> tuple[int, Any]:
        return 200, shapes.user(self.user(req.params["user_id"]))

    async def open_dm(self, req: Req) -> tuple[int, Any]:
        data = req.json or {}
        validate_known_fields((), data, known.DM_OPEN)
        rid: Any = data.get("recipient_id")
        try:
            user = self.state.users[int(rid)]
        except (KeyError, TypeError, ValueError):
            raise FormErrors.single(("recipient_id",), "USER_NOT_FOUND", "Unknown user") from None
        if user is self.state.bot_user or user.bot:
            raise err(400, 50007, "Cannot send messages to this user")
        if self.ctx.faults.quarantined and user.id not in self.state.dm_channels:
            raise err(403, QUARANTINE_CODE, QUARANTINE_MESSAGE)
        return 200, shapes.channel(self.state.dm_channel_for(user))

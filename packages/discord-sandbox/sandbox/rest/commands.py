"""Application commands: list and bulk overwrite, global and per guild."""

from __future__ import annotations

from typing import Any

from sandbox.command_limits import validate_commands
from sandbox.rest.base import Req, Resource, Routes, err

GLOBAL = "/applications/{application_id}/commands"
IN_GUILD = "/applications/{application_id}/guilds/{guild_id}/commands"


class Commands(Resource):
    def register(self, routes: Routes) -> None:
        for template in (GLOBAL, IN_GUILD):
            routes.add("GET", template, self.get_commands)
            routes.add("PUT", template, self.put_commands)

    def _scope(self, req: Req) -> int | None:
        """The guild id of a guild route (None: global), once the application is checked."""
        if req.params["application_id"] != str(self.state.application_id):
            raise err(
                403, 20012, "You are not authorized to perform this action on this application"
            )
        gid = req.params.get("guild_id")
        if gid is None:
            return None
        self.guild(gid)
        return int(gid)

    async def get_commands(self, req: Req) -> tuple[int, Any]:
        gid = self._scope(req)
        return 200, list(self.state.commands.get(gid, {}).values())

    async def put_commands(self, req: Req) -> tuple[int, Any]:
        gid = self._scope(req)
        commands = req.json
        validate_commands(commands)
        old = {(c["type"], c["name"]): c for c in self.state.commands.get(gid, {}).values()}
        stored: dict[int, dict[str, Any]] = {}
        for cmd in commands:
            ctype = cmd.get("type", 1)
            prev = old.get((ctype, cmd["name"]))
            cid = int(prev["id"]) if prev else self.state.ids.next()
            stored[cid] = self._stored(cmd, cid, ctype, gid)
        self.state.commands[gid] = stored
        return 200, list(stored.values())

    def _stored(self, cmd: dict[str, Any], cid: int, ctype: int, gid: int | None) -> dict[str, Any]:
        """A command as Discord stores (and answers) it."""
        permissions = cmd.get("default_member_permissions")
        out: dict[str, Any] = {
            "id": str(cid),
            "application_id": str(self.state.application_id),
            "version": str(self.state.ids.next()),
            "default_member_permissions": None if permissions is None else str(permissions),
            "type": ctype,
            "name": cmd["name"],
            "name_localizations": cmd.get("name_localizations"),
            "description": cmd.get("description", ""),
            "description_localizations": cmd.get("description_localizations"),
            "nsfw": bool(cmd.get("nsfw", False)),
            "integration_types": cmd.get("integration_types") or [0],
            "contexts": cmd.get("contexts"),
        }
        if gid is not None:
            out["guild_id"] = str(gid)
        else:
            out["dm_permission"] = cmd.get("dm_permission", True)
        if cmd.get("options"):
            out["options"] = cmd["options"]
        return out

"""The gateway's address and the application: ``/gateway``, ``/applications/@me``."""

from __future__ import annotations

from typing import Any

from sandbox import shapes
from sandbox.rest.base import Req, Resource, Routes


class Application(Resource):
    def register(self, routes: Routes) -> None:
        routes.add("GET", "/gateway", self.get_gateway, auth=False)
        routes.add("GET", "/gateway/bot", self.get_gateway)
        routes.add("GET", "/oauth2/applications/@me", self.get_application)
        routes.add("GET", "/applications/@me", self.get_application)

    async def get_gateway(self, req: Req) -> tuple[int, Any]:
        data: dict[str, Any] = {"url": self.ctx.address.gateway_url.rstrip("/")}
        if req.request.path.endswith("/bot"):
            data.update(
                {
                    "shards": 1,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 999,
                        "reset_after": 86400000,
                        "max_concurrency": 1,
                    },
                }
            )
        return 200, data

    async def get_application(self, req: Req) -> tuple[int, Any]:
        state = self.state
        return 200, {
            "id": str(state.application_id),
            "name": state.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "flags_new": "0",
            "approximate_user_authorization_count": 0,
            "eligible_oauth2_scopes": ["bot", "applications.commands"],
            "owner": shapes.user(state.owner),
            "team": None,
            "bot": shapes.user(state.bot_user),
            "rpc_origins": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "tags": [],
            "integration_types_config": {"0": {}},
            "approximate_guild_count": len(state.guilds),
            "approximate_user_install_count": 0,
            "hook": True,
            "is_monetized": False,
            "is_verified": False,
            "is_discoverable": False,
            "storefront_available": False,
            "explicit_content_filter": 0,
            "event_webhooks_status": 1,
        }

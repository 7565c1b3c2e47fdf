"""The sandbox REST API (v10 paths under /api/v10), enforcing Discord's rules."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP as email_policy
from typing import TYPE_CHECKING, Any

from aiohttp import web

from sandbox import fields as known
from sandbox.kinds import ALLOWED_CALLBACKS, MESSAGE_UPDATES, CallbackType, InteractionType
from sandbox.limits import (
    CHANNEL_MESSAGE_FLAGS,
    DEFER_FIELDS,
    EPHEMERAL,
    INTERACTION_MESSAGE_FLAGS,
    LOADING,
    ApiError,
    FormErrors,
    validate_choices,
    validate_commands,
    validate_known_fields,
    validate_message,
    validate_modal,
)
from sandbox.ratelimits import RateLimits
from sandbox.state import (
    ATTACH_FILES,
    CREATE_PRIVATE_THREADS,
    CREATE_PUBLIC_THREADS,
    DM,
    GUILD_TEXT,
    MANAGE_CHANNELS,
    MANAGE_MESSAGES,
    MANAGE_THREADS,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
    Attachment,
    Channel,
    Guild,
    Message,
    SandboxState,
    User,
)

if TYPE_CHECKING:
    from sandbox.control import Interaction
    from sandbox.server import SandboxServer

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
NONCE_WINDOW = 300.0  # seconds during which enforce_nonce deduplicates


@dataclass
class RequestRecord:
    """One REST request the bot made: ``server.requests``."""

    method: str
    route: str  # "POST /channels/{channel_id}/messages" (or the raw path when unknown)
    path: str
    query: str
    time: float  # event loop time when it arrived
    status: int = 0
    body: Any = None  # parsed JSON payload (payload_json for multipart), if any
    response: Any = None
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class Req:
    """What a handler gets."""

    request: web.Request
    params: dict[str, str]
    json: Any
    files: list[Attachment]

    @property
    def query(self) -> Any:
        return self.request.query


Handler = Callable[[Req], Awaitable[tuple[int, Any]]]


def _check_channel_name(name: Any) -> None:
    """Channel and thread names: 1-100 characters, else 50035 as Discord words it."""
    errors = FormErrors()
    errors.length_between(("name",), name, 1, 100)
    errors.raise_if_any()


def _loop_time() -> float:
    return asyncio.get_running_loop().time()


def _err(status: int, code: int, message: str) -> ApiError:
    return ApiError(status, code, message)


MISSING_PERMS = (403, 50013, "Missing Permissions")
MISSING_ACCESS = (403, 50001, "Missing Access")


def _bool_query(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


class RestApi:
    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.routes: list[tuple[str, list[str], str, Handler, bool]] = []
        self._nonces: dict[tuple[int, str], tuple[Message, float]] = {}
        self.limits = RateLimits(_loop_time, time.time)
        r = self._route
        r("GET", "/gateway", self.get_gateway, auth=False)
        r("GET", "/gateway/bot", self.get_gateway)
        r("GET", "/users/@me", self.get_me)
        r("POST", "/users/@me/channels", self.open_dm)
        r("GET", "/users/{user_id}", self.get_user)
        r("GET", "/oauth2/applications/@me", self.get_application)
        r("GET", "/applications/@me", self.get_application)
        r("GET", "/applications/{application_id}/commands", self.get_commands)
        r("PUT", "/applications/{application_id}/commands", self.put_commands)
        r("GET", "/applications/{application_id}/guilds/{guild_id}/commands", self.get_commands)
        r("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", self.put_commands)
        r(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            self.interaction_callback,
            auth=False,
        )
        r("POST", "/webhooks/{application_id}/{interaction_token}", self.followup, auth=False)
        for method, handler in (
            ("GET", self.get_webhook_message),
            ("PATCH", self.edit_webhook_message),
            ("DELETE", self.delete_webhook_message),
        ):
            r(
                method,
                "/webhooks/{application_id}/{interaction_token}/messages/@original",
                handler,
                auth=False,
            )
            r(
                method,
                "/webhooks/{application_id}/{interaction_token}/messages/{message_id}",
                handler,
                auth=False,
            )
        r("GET", "/channels/{channel_id}", self.get_channel)
        r("PATCH", "/channels/{channel_id}", self.edit_channel)
        r("GET", "/channels/{channel_id}/messages", self.list_messages)
        r("POST", "/channels/{channel_id}/messages", self.create_message)
        r("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message)
        r("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message)
        r("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message)
        r("POST", "/channels/{channel_id}/threads", self.create_thread)
        r(
            "POST",
            "/channels/{channel_id}/messages/{message_id}/threads",
            self.create_thread_from_message,
        )
        r("GET", "/channels/{channel_id}/thread-members", self.list_thread_members)
        r("GET", "/channels/{channel_id}/thread-members/{user_id}", self.get_thread_member)
        r("PUT", "/channels/{channel_id}/thread-members/{user_id}", self.add_thread_member)
        r("DELETE", "/channels/{channel_id}/thread-members/{user_id}", self.remove_thread_member)
        r("GET", "/guilds/{guild_id}", self.get_guild)
        r("GET", "/guilds/{guild_id}/channels", self.get_guild_channels)
        r("GET", "/guilds/{guild_id}/threads/active", self.list_active_threads)
        r("GET", "/guilds/{guild_id}/roles", self.get_guild_roles)
        r("GET", "/guilds/{guild_id}/scheduled-events", self.list_scheduled_events)
        r("GET", "/guilds/{guild_id}/members/{user_id}", self.get_guild_member)

    def _route(self, method: str, template: str, handler: Handler, *, auth: bool = True) -> None:
        self.routes.append((method, template.strip("/").split("/"), template, handler, auth))

    @property
    def state(self) -> SandboxState:
        return self.server.state

    def match(self, method: str, path: str) -> tuple[str, Handler, bool, dict[str, str]] | None:
        parts = path.strip("/").split("/")
        for m, tparts, template, handler, auth in self.routes:
            if m != method or len(tparts) != len(parts):
                continue
            params: dict[str, str] = {}
            for t, p in zip(tparts, parts, strict=True):
                if t.startswith("{"):
                    params[t[1:-1]] = p
                elif t != p:
                    break
            else:
                return template, handler, auth, params
        return None

    # --- the request pipeline --------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        loop = asyncio.get_running_loop()
        method = request.method
        path = request.path
        body = await request.read()
        record = RequestRecord(method, f"{method} {path}", path, request.query_string, loop.time())
        self.server.requests.append(record)
        conf = self.server.conformance
        if conf is not None:
            self._violations(
                f"{method} {path}",
                lambda: conf.check_request(
                    method, path, request.query_string, request.headers, body
                ),
            )
        status, payload, extra_headers = await self._process(request, record, body)
        headers = {"Via": "1.1 google", **extra_headers}
        if status == 204 or payload is None:
            response = web.Response(status=status, headers=headers)
            out = b""
        else:
            out = json.dumps(payload).encode()
            response = web.Response(
                status=status, body=out, headers=headers, content_type="application/json"
            )
        record.status = status
        record.response = payload
        # 5xx answers come from Discord's edge (its CDN), outside the API's documented
        # contract; the spec lists no 5xx bodies, so only 1xx-4xx responses are validated.
        if conf is not None and status < 500:
            resp_headers = dict(headers)
            if out:
                resp_headers["Content-Type"] = "application/json"
            self._violations(
                f"{method} {path} -> {status}",
                lambda: conf.check_response(
                    method, path, request.query_string, status, resp_headers, out
                ),
            )
        self.state.changed()
        return response

    def _violations(self, label: str, check: Callable[[], list[str]]) -> None:
        try:
            errors = check()
        except Exception as exc:
            errors = [f"validator raised {exc!r}"]
        for e in errors:
            self.server.violations.append(f"{label}: {e}")

    async def _process(
        self, request: web.Request, record: RequestRecord, body: bytes
    ) -> tuple[int, Any, dict[str, str]]:
        method, path = request.method, request.path
        if not path.startswith(API_PREFIX + "/"):
            self.server.unknown_routes.append(f"{method} {path}")
            return 404, {"message": "404: Not Found", "code": 0}, {}
        found = self.match(method, path[len(API_PREFIX) :])
        if found is None:
            self.server.unknown_routes.append(f"{method} {path}")
            log.warning("sandbox: unknown route %s %s", method, path)
            return 404, {"message": "404: Not Found", "code": 0}, {}
        template, handler, auth, params = found
        record.route = f"{method} {template}"
        if auth and request.headers.get("Authorization") != f"Bot {self.server.token}":
            return 401, {"message": "401: Unauthorized", "code": 0}, {}
        try:
            payload, files = await self._parse_body(request, body)
        except ApiError as e:
            return e.status, e.body(), {}
        record.body = payload
        record.files = [f.filename for f in files]
        verdict = self.limits.take(record.route, path[len(API_PREFIX) :])
        if verdict.status is not None:
            return verdict.status, verdict.body, verdict.headers
        decision = self.server.faults.decide(record.route)
        if decision.delay:
            await asyncio.sleep(decision.delay)
        if decision.status is not None:
            return decision.status, decision.body, {**verdict.headers, **decision.headers}
        try:
            status, result = await handler(Req(request, params, payload, files))
        except ApiError as e:
            return e.status, e.body(), verdict.headers
        return status, result, verdict.headers

    async def _parse_body(self, request: web.Request, body: bytes) -> tuple[Any, list[Attachment]]:
        if not body:
            return None, []
        ctype = request.headers.get("Content-Type", "")
        if ctype.startswith("multipart/form-data"):
            return await self._parse_multipart(request, body)
        if ctype.split(";")[0].strip() != "application/json":
            raise FormErrors.single(
                (),
                "CONTENT_TYPE_INVALID",
                "Expected \"Content-Type\" header to be one of {'application/json'}.",
            )
        try:
            return json.loads(body), []
        except ValueError:
            raise ApiError(400, 50109, "The request body contains invalid JSON.") from None

    async def _parse_multipart(
        self, request: web.Request, body: bytes
    ) -> tuple[Any, list[Attachment]]:
        head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
        msg = BytesParser(policy=email_policy).parsebytes(head + body)
        payload: Any = None
        files: list[Attachment] = []
        for part in msg.iter_parts():
            data: Any = part.get_payload(decode=True) or b""
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            if name == "payload_json":
                payload = json.loads(data)
            elif filename is not None:
                files.append(
                    Attachment(
                        self.state.ids.next(),
                        filename,
                        len(data),
                        part.get_content_type(),
                        bytes(data),
                    )
                )
        return payload, files

    # --- lookups ---------------------------------------------------------------------------
    def _channel(self, channel_id: str) -> Channel:
        try:
            return self.state.channels[int(channel_id)]
        except (KeyError, ValueError):
            raise _err(404, 10003, "Unknown Channel") from None

    def _guild(self, guild_id: str) -> Guild:
        try:
            guild = self.state.guilds[int(guild_id)]
        except (KeyError, ValueError):
            raise _err(404, 10004, "Unknown Guild") from None
        if self.state.bot_user.id not in guild.members:
            raise _err(*MISSING_ACCESS)
        return guild

    def _bot_perms(self, channel: Channel) -> int:
        if channel.guild is None:
            return VIEW_CHANNEL | SEND_MESSAGES | ATTACH_FILES
        return channel.guild.permissions_for(channel.guild.bot_member, channel)

    def _require_view(self, channel: Channel) -> int:
        perms = self._bot_perms(channel)
        if channel.guild is not None and not perms & VIEW_CHANNEL:
            raise _err(*MISSING_ACCESS)
        return perms

    def _user(self, user_id: str) -> User:
        if user_id == "@me":
            return self.state.bot_user
        try:
            return self.state.users[int(user_id)]
        except (KeyError, ValueError):
            raise _err(404, 10013, "Unknown User") from None

    def _interaction_by_token(self, token: str, application_id: str) -> Interaction:
        ix = self.server.interactions_by_token.get(token)
        if ix is None or application_id != str(self.state.application_id):
            raise _err(404, 10015, "Unknown Webhook")
        loop = asyncio.get_running_loop()
        if loop.time() - ix.created > self.server.interaction_token_ttl:
            raise _err(401, 50027, "Invalid Webhook Token")
        return ix

    # --- simple GETs -----------------------------------------------------------------------
    async def get_gateway(self, req: Req) -> tuple[int, Any]:
        data: dict[str, Any] = {"url": self.server.gateway_url.rstrip("/")}
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

    async def get_me(self, req: Req) -> tuple[int, Any]:
        data = self.state.bot_user.to_dict()
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
        return 200, self._user(req.params["user_id"]).to_dict()

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
            "owner": state.owner.to_dict(),
            "team": None,
            "bot": state.bot_user.to_dict(),
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

    async def get_guild(self, req: Req) -> tuple[int, Any]:
        guild = self._guild(req.params["guild_id"])
        data = guild.to_dict()
        if _bool_query(req.query.get("with_counts")):
            data["approximate_member_count"] = len(guild.members)
            data["approximate_presence_count"] = 0
        return 200, data

    async def get_guild_channels(self, req: Req) -> tuple[int, Any]:
        guild = self._guild(req.params["guild_id"])
        return 200, [c.to_dict() for c in guild.channels]

    async def list_active_threads(self, req: Req) -> tuple[int, Any]:
        """Unarchived threads the bot can see: public ones, private ones it is in (or moderates)."""
        guild = self._guild(req.params["guild_id"])
        bot_id = self.state.bot_user.id
        seen = []
        for thread in guild.threads:
            perms = self._bot_perms(thread)
            if thread.archived or not perms & VIEW_CHANNEL:
                continue
            if thread.type == PRIVATE_THREAD and not (
                bot_id in thread.thread_members or perms & MANAGE_THREADS
            ):
                continue
            seen.append(thread)
        members = [t.thread_member_dict(bot_id) for t in seen if bot_id in t.thread_members]
        return 200, {"threads": [t.to_dict() for t in seen], "members": members, "has_more": False}

    async def get_guild_roles(self, req: Req) -> tuple[int, Any]:
        guild = self._guild(req.params["guild_id"])
        return 200, [r.to_dict() for r in guild.roles.values()]

    async def list_scheduled_events(self, req: Req) -> tuple[int, Any]:
        guild = self._guild(req.params["guild_id"])
        with_counts = req.query.get("with_user_count", "").lower() in ("1", "true")
        events = sorted(guild.scheduled_events.values(), key=lambda e: (e.start, e.id))
        return 200, [e.to_dict(with_user_count=with_counts) for e in events]

    async def get_guild_member(self, req: Req) -> tuple[int, Any]:
        guild = self._guild(req.params["guild_id"])
        try:
            member = guild.members[int(req.params["user_id"])]
        except (KeyError, ValueError):
            raise _err(404, 10007, "Unknown Member") from None
        return 200, member.to_dict()

    # --- application commands ----------------------------------------------------------------
    def _check_app(self, req: Req) -> int | None:
        if req.params["application_id"] != str(self.state.application_id):
            raise _err(
                403, 20012, "You are not authorized to perform this action on this application"
            )
        gid = req.params.get("guild_id")
        if gid is None:
            return None
        self._guild(gid)
        return int(gid)

    async def get_commands(self, req: Req) -> tuple[int, Any]:
        gid = self._check_app(req)
        return 200, list(self.state.commands.get(gid, {}).values())

    async def put_commands(self, req: Req) -> tuple[int, Any]:
        gid = self._check_app(req)
        commands = req.json
        validate_commands(commands)
        old = {(c["type"], c["name"]): c for c in self.state.commands.get(gid, {}).values()}
        stored: dict[int, dict[str, Any]] = {}
        for cmd in commands:
            ctype = cmd.get("type", 1)
            prev = old.get((ctype, cmd["name"]))
            cid = int(prev["id"]) if prev else self.state.ids.next()
            out: dict[str, Any] = {
                "id": str(cid),
                "application_id": str(self.state.application_id),
                "version": str(self.state.ids.next()),
                "default_member_permissions": None
                if cmd.get("default_member_permissions") is None
                else str(cmd["default_member_permissions"]),
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
            stored[cid] = out
        self.state.commands[gid] = stored
        return 200, list(stored.values())

    # --- interactions ------------------------------------------------------------------------
    async def interaction_callback(self, req: Req) -> tuple[int, Any]:
        try:
            ix = self.state.interactions[int(req.params["interaction_id"])]
        except (KeyError, ValueError):
            raise _err(404, 10062, "Unknown interaction") from None
        if ix.token != req.params["interaction_token"]:
            raise _err(404, 10062, "Unknown interaction")
        payload = req.json if isinstance(req.json, dict) else {}
        ix.callback_payloads.append(payload)
        validate_known_fields((), payload, known.CALLBACK)
        loop = asyncio.get_running_loop()
        if ix.acked:
            raise _err(400, 40060, "Interaction has already been acknowledged.")
        if loop.time() - ix.created > self.server.interaction_ack_timeout:
            ix.expired = True
            raise _err(404, 10062, "Unknown interaction")
        rtype = self._callback_type(ix, payload.get("type"))
        data = payload.get("data") or {}
        message: Message | None = None
        if rtype == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE:
            validate_message(
                data,
                has_files=bool(req.files),
                creating=True,
                fields=known.CALLBACK_MESSAGE,
                settable_flags=INTERACTION_MESSAGE_FLAGS,
            )
            message = self._interaction_message(ix, data, req.files)
            ix.original = message
        elif rtype == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
            validate_known_fields(("data",), data, DEFER_FIELDS)
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            message = self._interaction_message(ix, {"content": "", "flags": flags}, [])
            ix.original = message
        elif rtype == CallbackType.DEFERRED_UPDATE_MESSAGE:
            ix.original = ix.source_message
        elif rtype == CallbackType.UPDATE_MESSAGE:
            validate_message(
                data, has_files=bool(req.files), creating=False, fields=known.CALLBACK_UPDATE
            )
            assert ix.source_message is not None
            self._apply_edit(ix.source_message, data, req.files)
            ix.original = message = ix.source_message
        elif rtype == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            validate_choices(data)
            ix.choices = list(data["choices"])
        elif rtype == CallbackType.MODAL:
            validate_modal(data)
            ix.modal = data
        ix.acked = True
        ix.response_type = rtype
        ix.acked_at = loop.time()
        self.state.changed()
        if not _bool_query(req.query.get("with_response")):
            return 204, None
        interaction: dict[str, Any] = {"id": str(ix.id), "type": ix.type}
        out: dict[str, Any] = {"interaction": interaction}
        if message is not None:
            interaction["response_message_id"] = str(message.id)
            interaction["response_message_loading"] = message.loading
            interaction["response_message_ephemeral"] = message.ephemeral
            # the spec has message resources for these two only
            if rtype in (CallbackType.CHANNEL_MESSAGE_WITH_SOURCE, CallbackType.UPDATE_MESSAGE):
                out["resource"] = {"type": rtype, "message": message.to_dict()}
        return 200, out

    def _callback_type(self, ix: Interaction, value: Any) -> CallbackType:
        """The callback type, if Discord accepts it for this interaction (else 50035)."""
        allowed = set(ALLOWED_CALLBACKS.get(ix.type, frozenset()))
        if ix.type == InteractionType.MODAL_SUBMIT and ix.source_message is not None:
            allowed |= MESSAGE_UPDATES
        if value not in allowed:
            raise FormErrors.single(
                ("type",),
                "INTERACTION_CALLBACK_TYPE_INVALID",
                f"Interaction callback type {value} is not valid for interaction type "
                f"{int(ix.type)}.",
            )
        return CallbackType(value)

    def _interaction_message(
        self, ix: Interaction, data: dict[str, Any], files: list[Attachment]
    ) -> Message:
        flags = int(data.get("flags") or 0) & (INTERACTION_MESSAGE_FLAGS | LOADING)
        message = Message(
            self.state.ids.next(),
            ix.channel,
            self.state.bot_user,
            content=data.get("content") or "",
            embeds=list(data.get("embeds") or []),
            components=list(data.get("components") or []),
            attachments=list(files),
            flags=flags,
            type=ix.message_type,
            allowed_mentions=data.get("allowed_mentions"),
            webhook_id=self.state.application_id,
            application_id=self.state.application_id,
            interaction_metadata=ix.metadata(),
            visible_to=ix.user.id if flags & EPHEMERAL else None,
        )
        self._store(message)
        return message

    def _store(self, message: Message) -> None:
        self.state.messages[message.id] = message
        message.channel.all_messages.append(message)
        if message.visible_to is None:
            message.channel.total_message_sent += 1
            self._emit_message("MESSAGE_CREATE", message)

    def _emit_message(self, event: str, message: Message) -> None:
        bit = 12 if message.channel.type == DM else 9
        if self.state.has_intent(bit):
            self.state.dispatch(event, message.to_dict(with_guild=True))

    def _apply_edit(self, message: Message, data: dict[str, Any], files: list[Attachment]) -> None:
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
            keep = message.flags & (64 | 32768)
            message.flags = keep | (int(data["flags"]) & 4)
        if "attachments" in data and data["attachments"] is not None:
            keep_ids = {str(a.get("id")) for a in data["attachments"]}
            message.attachments = [a for a in message.attachments if str(a.id) in keep_ids]
        message.attachments.extend(files)
        message.flags &= ~128  # no longer "thinking"
        message.edited_timestamp = time.time()
        if message.visible_to is None:
            self._emit_message("MESSAGE_UPDATE", message)

    async def followup(self, req: Req) -> tuple[int, Any]:
        ix = self._interaction_by_token(
            req.params["interaction_token"], req.params["application_id"]
        )
        if not ix.acked:
            raise _err(404, 10015, "Unknown Webhook")
        data = req.json or {}
        validate_message(
            data,
            has_files=bool(req.files),
            creating=True,
            fields=known.WEBHOOK_EXECUTE,
            settable_flags=INTERACTION_MESSAGE_FLAGS,
        )
        original = ix.original
        deferred = ix.response_type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
        if deferred and original is not None and original.loading:
            # Discord: the first followup after a deferred response replaces the "thinking" message.
            self._apply_edit(original, data, req.files)
            message = original
        else:
            message = self._interaction_message(ix, data, req.files)
            ix.followups.append(message)
        self.state.changed()
        if _bool_query(req.query.get("wait")):
            return 200, message.to_dict()
        return 204, None

    def _webhook_message(self, ix: Interaction, message_id: str | None) -> Message:
        if message_id is None:  # @original
            if ix.original is None:
                raise _err(404, 10008, "Unknown Message")
            return ix.original
        for m in [ix.original, *ix.followups]:
            if m is not None and str(m.id) == message_id:
                return m
        raise _err(404, 10008, "Unknown Message")

    async def get_webhook_message(self, req: Req) -> tuple[int, Any]:
        ix = self._interaction_by_token(
            req.params["interaction_token"], req.params["application_id"]
        )
        message = self._webhook_message(ix, req.params.get("message_id"))
        if message.deleted:
            raise _err(404, 10008, "Unknown Message")
        return 200, message.to_dict()

    async def edit_webhook_message(self, req: Req) -> tuple[int, Any]:
        ix = self._interaction_by_token(
            req.params["interaction_token"], req.params["application_id"]
        )
        message = self._webhook_message(ix, req.params.get("message_id"))
        if message.deleted:
            raise _err(404, 10008, "Unknown Message")
        data = req.json or {}
        validate_message(
            data,
            has_files=bool(req.files),
            creating=False,
            fields=known.WEBHOOK_EDIT,
            settable_flags=INTERACTION_MESSAGE_FLAGS,
        )
        self._apply_edit(message, data, req.files)
        return 200, message.to_dict()

    async def delete_webhook_message(self, req: Req) -> tuple[int, Any]:
        ix = self._interaction_by_token(
            req.params["interaction_token"], req.params["application_id"]
        )
        message = self._webhook_message(ix, req.params.get("message_id"))
        if message.deleted:
            raise _err(404, 10008, "Unknown Message")
        self._delete(message)
        return 204, None

    def _delete(self, message: Message) -> None:
        message.deleted = True
        if message.visible_to is None and self.state.has_intent(
            12 if message.channel.type == DM else 9
        ):
            data = {"id": str(message.id), "channel_id": str(message.channel.id)}
            if message.channel.guild is not None:
                data["guild_id"] = str(message.channel.guild.id)
            self.state.dispatch("MESSAGE_DELETE", data)

    # --- channels and messages ---------------------------------------------------------------
    async def get_channel(self, req: Req) -> tuple[int, Any]:
        channel = self._channel(req.params["channel_id"])
        self._require_view(channel)
        return 200, channel.to_dict()

    async def list_messages(self, req: Req) -> tuple[int, Any]:
        channel = self._channel(req.params["channel_id"])
        self._require_view(channel)
        limit = int(req.query.get("limit", 50))
        msgs = list(reversed(channel.messages))[:limit]
        return 200, [m.to_dict() for m in msgs]

    async def get_message(self, req: Req) -> tuple[int, Any]:
        channel = self._channel(req.params["channel_id"])
        self._require_view(channel)
        return 200, self._message(channel, req.params["message_id"]).to_dict()

    def _message(self, channel: Channel, message_id: str) -> Message:
        try:
            message = self.state.messages[int(message_id)]
        except (KeyError, ValueError):
            raise _err(404, 10008, "Unknown Message") from None
        if message.channel is not channel or message.deleted or message.visible_to is not None:
            raise _err(404, 10008, "Unknown Message")
        return message

    def _check_dm_target(self, channel: Channel) -> None:
        user = channel.recipients[0]
        code = self.server.faults.closed_dm_user_ids.get(user.id)
        if self.server.faults.quarantined and not any(
            m.author is self.state.bot_user for m in channel.all_messages
        ):
            raise _err(403, 20026, _quarantine_message())
        if code is not None or not user.dms_open:
            raise _err(403, code or 50007, "Cannot send messages to this user")

    def _check_thread_writable(self, channel: Channel, perms: int) -> None:
        if channel.is_thread and channel.archived:
            if channel.locked and not perms & MANAGE_THREADS:
                raise _err(400, 50083, "Thread is archived")
            channel.archived = False
            channel.archive_timestamp = time.time()
            self.state.notify_channel_update(channel)

    async def create_message(self, req: Req) -> tuple[int, Any]:
        channel = self._channel(req.params["channel_id"])
        data = req.json or {}
        if channel.type == DM:
            self._check_dm_target(channel)
        else:
            perms = self._require_view(channel)
            if channel.type not in (GUILD_TEXT, 5, PUBLIC_THREAD, PRIVATE_THREAD):
                raise _err(400, 50008, "Cannot send messages in a non-text channel")
            need = SEND_MESSAGES_IN_THREADS if channel.is_thread else SEND_MESSAGES
            if not perms & need or (req.files and not perms & ATTACH_FILES):
                raise _err(*MISSING_PERMS)
            self._check_thread_writable(channel, perms)
        validate_message(
            data, has_files=bool(req.files), creating=True, fields=known.MESSAGE_CREATE
        )
        nonce = data.get("nonce")
        bot = self.state.bot_user
        now = time.time()
        if nonce is not None and data.get("enforce_nonce"):
            seen = self._nonces.get((bot.id, str(nonce)))
            if seen is not None and now - seen[1] < NONCE_WINDOW:
                return 200, seen[0].to_dict()
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
        self._store(message)
        return 200, message.to_dict()

    async def edit_message(self, req: Req) -> tuple[int, Any]:
        channel = self._channel(req.params["channel_id"])
        perms = self._require_view(channel)
        message = self._message(channel, req.params["message_id"])
        if message.author is not self.state.bot_user:
            raise _err(403, 50005, "Cannot edit a message authored by another user")
        if channel.is_thread and channel.archived:
            raise _err(400, 50083, "Thread is archived")
        del perms
        data = req.json or {}
        validate_message(data, has_files=bool(req.files), creating=False, fields=known.MESSAGE_EDIT)
        self._apply_edit(message, data, req.files)
        return 200, message.to_dict()

    async def delete_message(self, req: Req) -> tuple[int, Any]:
        channel = self._channel(req.params["channel_id"])
        perms = self._require_view(channel)
        message = self._message(channel, req.params["message_id"])
        if message.author is not self.state.bot_user and not perms & MANAGE_MESSAGES:
            raise _err(*MISSING_PERMS)
        self._delete(message)
        return 204, None

    async def open_dm(self, req: Req) -> tuple[int, Any]:
        data = req.json or {}
        validate_known_fields((), data, known.DM_OPEN)
        rid: Any = data.get("recipient_id")
        try:
            user = self.state.users[int(rid)]
        except (KeyError, TypeError, ValueError):
            raise FormErrors.single(("recipient_id",), "USER_NOT_FOUND", "Unknown user") from None
        if user is self.state.bot_user or user.bot:
            raise _err(400, 50007, "Cannot send messages to this user")
        if self.server.faults.quarantined and user.id not in self.state.dm_channels:
            raise _err(403, 20026, _quarantine_message())
        channel = self.state.dm_channel_for(user)
        return 200, channel.to_dict()

    async def edit_channel(self, req: Req) -> tuple[int, Any]:
        channel = self._channel(req.params["channel_id"])
        if channel.type == DM:
            raise _err(400, 50003, "Cannot execute action on a DM channel")
        perms = self._require_view(channel)
        data = req.json or {}
        validate_known_fields((), data, known.CHANNEL_EDIT)
        bot = self.state.bot_user
        if channel.is_thread:
            is_mod = bool(perms & MANAGE_THREADS)
            is_owner = channel.owner_id == bot.id
            if "locked" in data and bool(data["locked"]) != channel.locked and not is_mod:
                raise _err(*MISSING_PERMS)
            if channel.archived and channel.locked and not is_mod:
                raise _err(*MISSING_PERMS)
            if not (is_mod or is_owner):
                raise _err(*MISSING_PERMS)
            if (
                channel.archived
                and data.get("archived") is not False
                and set(data) - {"archived", "locked"}
            ):
                raise _err(400, 50083, "Thread is archived")
            if "name" in data:
                name = data["name"]
                _check_channel_name(name)
                channel.name = name
            if "locked" in data:
                channel.locked = bool(data["locked"])
            if "invitable" in data and channel.type == PRIVATE_THREAD:
                channel.invitable = bool(data["invitable"])
            if "auto_archive_duration" in data:
                channel.auto_archive_duration = int(data["auto_archive_duration"])
            if "archived" in data and bool(data["archived"]) != channel.archived:
                channel.archived = bool(data["archived"])
                channel.archive_timestamp = time.time()
        else:
            if not perms & MANAGE_CHANNELS:
                raise _err(*MISSING_PERMS)
            if "name" in data:
                _check_channel_name(data["name"])
                channel.name = data["name"]
            if "topic" in data:
                channel.topic = data["topic"]
        self.state.notify_channel_update(channel)
        return 200, channel.to_dict()

    # --- threads -----------------------------------------------------------------------------
    def _new_thread(
        self, parent: Channel, name: Any, ttype: int, data: dict[str, Any], thread_id: int
    ) -> Channel:
        _check_channel_name(name)
        duration = data.get("auto_archive_duration", 4320)
        if duration not in (60, 1440, 4320, 10080):
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
        thread.thread_members[bot.id] = time.time()
        self.state.channels[thread.id] = thread
        payload = thread.to_dict()
        payload["newly_created"] = True
        assert parent.guild is not None
        self.state.emit_guild("THREAD_CREATE", parent.guild, payload)
        self.state.changed()
        return thread

    def _thread_parent(self, channel_id: str) -> tuple[Channel, int]:
        parent = self._channel(channel_id)
        if parent.type == DM:
            raise _err(400, 50003, "Cannot execute action on a DM channel")
        perms = self._require_view(parent)
        if parent.type not in (GUILD_TEXT, 5):
            raise _err(400, 50024, "Cannot execute action on this channel type")
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
            raise _err(*MISSING_PERMS)
        thread = self._new_thread(parent, data.get("name"), ttype, data, self.state.ids.next())
        return 201, thread.to_dict()

    async def create_thread_from_message(self, req: Req) -> tuple[int, Any]:
        parent, perms = self._thread_parent(req.params["channel_id"])
        message = self._message(parent, req.params["message_id"])
        if not perms & CREATE_PUBLIC_THREADS:
            raise _err(*MISSING_PERMS)
        if message.thread is not None:
            raise _err(400, 160004, "A thread has already been created for this message")
        data = req.json or {}
        validate_known_fields((), data, known.THREAD_FROM_MESSAGE)
        thread = self._new_thread(parent, data.get("name"), PUBLIC_THREAD, data, message.id)
        message.thread = thread
        return 201, thread.to_dict()

    def _thread(self, channel_id: str) -> tuple[Channel, int]:
        thread = self._channel(channel_id)
        if not thread.is_thread:
            raise _err(400, 50024, "Cannot execute action on this channel type")
        return thread, self._require_view(thread)

    async def list_thread_members(self, req: Req) -> tuple[int, Any]:
        thread, _ = self._thread(req.params["channel_id"])
        with_member = _bool_query(req.query.get("with_member"))
        out = []
        for uid in thread.thread_members:
            item = thread.thread_member_dict(uid)
            if with_member and thread.guild and uid in thread.guild.members:
                item["member"] = thread.guild.members[uid].to_dict()
            out.append(item)
        return 200, out

    async def get_thread_member(self, req: Req) -> tuple[int, Any]:
        thread, _ = self._thread(req.params["channel_id"])
        user = self._user(req.params["user_id"])
        if user.id not in thread.thread_members:
            raise _err(404, 10007, "Unknown Member")
        return 200, thread.thread_member_dict(user.id)

    async def add_thread_member(self, req: Req) -> tuple[int, Any]:
        thread, perms = self._thread(req.params["channel_id"])
        if thread.archived:
            raise _err(400, 50083, "Thread is archived")
        user = self._user(req.params["user_id"])
        bot = self.state.bot_user
        assert thread.guild is not None
        if user.id not in thread.guild.members:
            raise _err(404, 10007, "Unknown Member")
        if not perms & SEND_MESSAGES_IN_THREADS:
            raise _err(*MISSING_PERMS)
        if (
            thread.type == PRIVATE_THREAD
            and user is not bot
            and not thread.invitable
            and thread.owner_id != bot.id
            and not perms & MANAGE_THREADS
        ):
            raise _err(*MISSING_PERMS)
        if user.id not in thread.thread_members:
            thread.thread_members[user.id] = time.time()
            self._emit_thread_members(thread, added=[user.id], removed=[])
        return 204, None

    async def remove_thread_member(self, req: Req) -> tuple[int, Any]:
        thread, perms = self._thread(req.params["channel_id"])
        if thread.archived:
            raise _err(400, 50083, "Thread is archived")
        user = self._user(req.params["user_id"])
        bot = self.state.bot_user
        if user is not bot and not (
            perms & MANAGE_THREADS or (thread.type == PRIVATE_THREAD and thread.owner_id == bot.id)
        ):
            raise _err(*MISSING_PERMS)
        if user.id not in thread.thread_members:
            raise _err(404, 10007, "Unknown Member")
        del thread.thread_members[user.id]
        self._emit_thread_members(thread, added=[], removed=[user.id])
        return 204, None

    def _emit_thread_members(
        self, thread: Channel, *, added: list[int], removed: list[int]
    ) -> None:
        assert thread.guild is not None
        bot_id = self.state.bot_user.id
        if self.state.has_intent(1) or bot_id in added or bot_id in removed:
            added_members = []
            for uid in added:
                item = thread.thread_member_dict(uid)
                if uid in thread.guild.members:
                    item["member"] = thread.guild.members[uid].to_dict()
                added_members.append(item)
            data: dict[str, Any] = {
                "id": str(thread.id),
                "guild_id": str(thread.guild.id),
                "member_count": min(len(thread.thread_members), 50),
            }
            if added_members:
                data["added_members"] = added_members
            if removed:
                data["removed_member_ids"] = [str(u) for u in removed]
            self.state.dispatch("THREAD_MEMBERS_UPDATE", data)
        self.state.changed()


def _quarantine_message() -> str:
    from sandbox.faults import QUARANTINE_MESSAGE

    return QUARANTINE_MESSAGE

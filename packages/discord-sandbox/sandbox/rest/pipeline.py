"""Every REST request's way through the sandbox: record, check, authorise, limit, answer.

Each resource module registers its routes on the aiohttp app through :class:`RestApi`; a
request no route matches is recorded as unknown and answered 404 as Discord would.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from email.parser import BytesParser
from email.policy import HTTP as email_policy
from typing import Any

from aiohttp import web

from sandbox.context import RequestRecord, ServerContext
from sandbox.limits import ApiError, FormErrors
from sandbox.messages import Attachment
from sandbox.rest.application import Application
from sandbox.rest.base import Req, Route, Routes
from sandbox.rest.channels import Channels
from sandbox.rest.commands import Commands
from sandbox.rest.guilds import Guilds
from sandbox.rest.interactions import Interactions
from sandbox.rest.messages import Messages
from sandbox.rest.scheduled_events import ScheduledEvents
from sandbox.rest.threads import Threads
from sandbox.rest.users import Users

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
RESOURCES = (
    Application,
    Users,
    Commands,
    Interactions,
    Channels,
    Messages,
    Threads,
    Guilds,
    ScheduledEvents,
)
Outcome = tuple[int, Any, dict[str, str]]  # status, JSON payload, extra headers
NOT_FOUND: Outcome = (404, {"message": "404: Not Found", "code": 0}, {})


class RestApi:
    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self.routes = Routes()
        for resource in RESOURCES:
            resource(ctx).register(self.routes)

    def install(self, app: web.Application) -> None:
        """Register every route on ``app``, then the catch-all for routes Discord lacks."""
        for route in self.routes:
            app.router.add_route(route.method, API_PREFIX + route.template, self._endpoint(route))
        app.router.add_route("*", "/{tail:.*}", self.unknown)

    def _endpoint(self, route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def endpoint(request: web.Request) -> web.StreamResponse:
            return await self._serve(request, route)

        return endpoint

    async def unknown(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, None)

    # --- the request pipeline --------------------------------------------------------------
    async def _serve(self, request: web.Request, route: Route | None) -> web.StreamResponse:
        ctx = self.ctx
        method, path, query = request.method, request.path, request.query_string
        body = await request.read()
        record = RequestRecord(method, f"{method} {path}", path, query, ctx.clock.loop())
        ctx.requests.append(record)
        conf = ctx.conformance
        if conf is not None:
            ctx.record_violations(
                f"{method} {path}",
                lambda: conf.check_request(method, path, query, request.headers, body),
            )
        if route is None:
            ctx.unknown_routes.append(f"{method} {path}")
            if path.startswith(API_PREFIX + "/"):
                log.warning("sandbox: unknown route %s %s", method, path)
            status, payload, extra_headers = NOT_FOUND
        else:
            record.route = f"{method} {route.template}"
            status, payload, extra_headers = await self._process(request, route, record, body)
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
            ctx.record_violations(
                f"{method} {path} -> {status}",
                lambda: conf.check_response(method, path, query, status, resp_headers, out),
            )
        ctx.state.changed()
        return response

    async def _process(
        self, request: web.Request, route: Route, record: RequestRecord, body: bytes
    ) -> Outcome:
        ctx = self.ctx
        if route.auth and request.headers.get("Authorization") != f"Bot {ctx.token}":
            return 401, {"message": "401: Unauthorized", "code": 0}, {}
        try:
            payload, files = await self._parse_body(request, body)
        except ApiError as e:
            return e.status, e.body(), {}
        record.body = payload
        record.files = [f.filename for f in files]
        verdict = ctx.limits.take(record.route, request.path[len(API_PREFIX) :])
        if verdict.status is not None:
            return verdict.status, verdict.body, verdict.headers
        decision = ctx.faults.decide(record.route)
        if decision.delay:
            await asyncio.sleep(decision.delay)
        if decision.status is not None:
            return decision.status, decision.body, {**verdict.headers, **decision.headers}
        params = dict(request.match_info)
        try:
            status, result = await route.handler(Req(request, params, payload, files))
        except ApiError as e:
            return e.status, e.body(), verdict.headers
        return status, result, verdict.headers

    async def _parse_body(self, request: web.Request, body: bytes) -> tuple[Any, list[Attachment]]:
        if not body:
            return None, []
        ctype = request.headers.get("Content-Type", "")
        if ctype.startswith("multipart/form-data"):
            return self._parse_multipart(request, body)
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

    def _parse_multipart(self, request: web.Request, body: bytes) -> tuple[Any, list[Attachment]]:
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
                        self.ctx.state.ids.next(),
                        filename,
                        len(data),
                        part.get_content_type(),
                        bytes(data),
                    )
                )
        return payload, files

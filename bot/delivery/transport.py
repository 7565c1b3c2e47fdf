"""The few Discord REST calls delivery needs, each one through the token buckets.

The sender owns rate limiting, so this transport does not retry by itself: a 429 or 5xx
comes back as :class:`DiscordError` and the sender decides (unlike discord.py's HTTP client,
whose hidden retries would escape the budget).
"""

from __future__ import annotations

import asyncio
import contextlib
import json as _json
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import aiohttp

from bot.delivery.bucket import TokenBucket

log = logging.getLogger(__name__)

NO_MENTIONS: dict[str, list[str]] = {"parse": []}
PRIVATE_THREAD, PUBLIC_THREAD = 12, 11
USER_AGENT = "DiscordBot (https://github.com/sigbot/sigbot, 0.1) sigbot-delivery"


class DiscordError(Exception):
    """A non-2xx answer, or no answer at all (status 0)."""

    def __init__(
        self,
        status: int,
        code: int = 0,
        message: str = "",
        *,
        retry_after: float | None = None,
        is_global: bool = False,
    ) -> None:
        super().__init__(f"{status} (code {code}): {message}")
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.is_global = is_global


class RouteBuckets:
    """What Discord's ``X-RateLimit-*`` headers said about each route, honoured before a 429.

    Requests on one route key (route and major parameter, e.g. one channel's message create)
    go one at a time; when the last answer said ``Remaining: 0`` the next waits for the reset.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._locks: dict[str, asyncio.Lock] = {}
        self._exhausted_until: dict[str, float] = {}

    @contextlib.asynccontextmanager
    async def slot(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            wait = self._exhausted_until.pop(key, 0.0) - self._clock()
            if wait > 0:
                await asyncio.sleep(wait)
            yield

    def update(self, key: str, headers: Mapping[str, str]) -> None:
        remaining = headers.get("X-RateLimit-Remaining")
        reset_after = headers.get("X-RateLimit-Reset-After")
        if remaining is None or reset_after is None:
            return
        try:
            if int(remaining) <= 0:
                self._exhausted_until[key] = self._clock() + float(reset_after)
        except ValueError:
            log.debug("unreadable rate limit headers on %s: %s/%s", key, remaining, reset_after)


def route_key(method: str, path: str) -> str:
    """Discord's bucket identity: the route with ids, except the major parameter, elided."""
    parts = path.strip("/").split("/")
    out: list[str] = []
    for i, part in enumerate(parts):
        major = i > 0 and parts[i - 1] in ("channels", "guilds", "webhooks")
        out.append(part if major or not part.isdigit() else "{id}")
    return f"{method} /{'/'.join(out)}"


class DiscordTransport:
    def __init__(
        self,
        *,
        api_base_url: str,
        token: str,
        bucket: TokenBucket,
        dm_open_bucket: TokenBucket,
        timeout_seconds: float = 15.0,
    ) -> None:
        self.base = api_base_url.rstrip("/")
        self._headers = {"Authorization": f"Bot {token}", "User-Agent": USER_AGENT}
        self.bucket = bucket
        self.dm_open_bucket = dm_open_bucket
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: aiohttp.ClientSession | None = None
        # When recent requests left (monotonic seconds): the budget as Discord would see it.
        self.sent_at: deque[float] = deque(maxlen=10_000)
        self.routes = RouteBuckets()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _request(self, method: str, path: str, json: Any = None) -> Any:
        key = route_key(method, path)
        async with self.routes.slot(key):
            await self.bucket.acquire()
            return await self._send(method, path, json, key)

    async def _send(self, method: str, path: str, json: Any, key: str) -> Any:
        if self._session is None:
            self._session = aiohttp.ClientSession(headers=self._headers, timeout=self._timeout)
        self.sent_at.append(time.monotonic())
        sending: dict[str, Any] = {"json": json}
        if isinstance(json, dict) and json.get("files"):
            sending = {"data": _multipart(json)}  # built per try: a form can be sent only once
        try:
            async with self._session.request(method, self.base + path, **sending) as response:
                self.routes.update(key, response.headers)
                text = await response.text()
                body = _json.loads(text) if text else None
                if response.status < 300:
                    return body
                raise _error_from(response, body if isinstance(body, dict) else {})
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DiscordError(0, message=f"{type(exc).__name__}: {exc}") from exc

    async def open_dm(self, user_id: int) -> int:
        await self.dm_open_bucket.acquire()
        channel = await self._request("POST", "/users/@me/channels", {"recipient_id": str(user_id)})
        return int(channel["id"])

    async def create_message(self, channel_id: int, message: dict[str, Any], nonce: str) -> int:
        body = {**message, "allowed_mentions": NO_MENTIONS, "nonce": nonce, "enforce_nonce": True}
        created = await self._request("POST", f"/channels/{channel_id}/messages", body)
        return int(created["id"])

    async def edit_message(self, channel_id: int, message_id: int, message: dict[str, Any]) -> None:
        body = {**message, "allowed_mentions": NO_MENTIONS}
        await self._request("PATCH", f"/channels/{channel_id}/messages/{message_id}", body)

    async def create_thread(self, parent_id: int, name: str, *, private: bool) -> int:
        body: dict[str, Any] = {
            "name": name,
            "type": PRIVATE_THREAD if private else PUBLIC_THREAD,
            "auto_archive_duration": 10080,
        }
        if private:
            body["invitable"] = False
        thread = await self._request("POST", f"/channels/{parent_id}/threads", body)
        return int(thread["id"])

    async def create_thread_from_message(self, channel_id: int, message_id: int, name: str) -> int:
        """A public thread on a posted message (for replies to a prompt)."""
        body = {"name": name[:100], "auto_archive_duration": 1440}
        path = f"/channels/{channel_id}/messages/{message_id}/threads"
        thread = await self._request("POST", path, body)
        return int(thread["id"])

    async def add_thread_member(self, thread_id: int, user_id: int) -> None:
        await self._request("PUT", f"/channels/{thread_id}/thread-members/{user_id}")

    # -- reads, for recovering from an interrupted thread creation ------------------------------

    async def channel(self, channel_id: int) -> dict[str, Any]:
        return dict(await self._request("GET", f"/channels/{channel_id}"))

    async def active_threads(self, guild_id: int) -> list[dict[str, Any]]:
        listing = await self._request("GET", f"/guilds/{guild_id}/threads/active")
        return list(listing["threads"])

    async def thread_member_ids(self, thread_id: int) -> set[int]:
        members = await self._request("GET", f"/channels/{thread_id}/thread-members")
        return {int(member["user_id"]) for member in members}

    async def update_thread(self, thread_id: int, *, archived: bool, locked: bool) -> None:
        await self._request(
            "PATCH", f"/channels/{thread_id}", {"archived": archived, "locked": locked}
        )


def _multipart(message: dict[str, Any]) -> aiohttp.FormData:
    """A message with attached files (``files``: filename and text content each), as Discord
    takes it: ``payload_json`` naming each attachment, then the files as ``files[n]``."""
    files = message["files"]
    payload = {k: v for k, v in message.items() if k != "files"}
    payload["attachments"] = [{"id": n, "filename": f["filename"]} for n, f in enumerate(files)]
    form = aiohttp.FormData()
    form.add_field("payload_json", _json.dumps(payload), content_type="application/json")
    for n, file in enumerate(files):
        form.add_field(
            f"files[{n}]",
            file["content"].encode(),
            filename=file["filename"],
            content_type="text/markdown",
        )
    return form


def _error_from(response: aiohttp.ClientResponse, body: dict[str, Any]) -> DiscordError:
    retry_after = None
    if response.status == 429:
        retry_after = float(body.get("retry_after") or response.headers.get("Retry-After") or 1)
    is_global = bool(body.get("global")) or response.headers.get("X-RateLimit-Global") == "true"
    return DiscordError(
        response.status,
        int(body.get("code", 0) or 0),
        str(body.get("message", "")),
        retry_after=retry_after,
        is_global=is_global,
    )

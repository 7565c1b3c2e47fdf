"""What every route module shares: the request a handler gets, errors, and lookups."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from sandbox.channels import Channel
from sandbox.context import ServerContext
from sandbox.guilds import Guild
from sandbox.limits import ApiError, FormErrors
from sandbox.members import User
from sandbox.messages import Attachment, Message
from sandbox.permissions import ATTACH_FILES, SEND_MESSAGES, VIEW_CHANNEL
from sandbox.state import SandboxState

if TYPE_CHECKING:
    from sandbox.control.interaction import Interaction

MISSING_PERMS = (403, 50013, "Missing Permissions")
MISSING_ACCESS = (403, 50001, "Missing Access")


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


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # Discord's path template, e.g. "/channels/{channel_id}/messages"
    handler: Handler
    auth: bool = True  # needs "Authorization: Bot <token>"


class Routes(list[Route]):
    """The route table the resource modules add to, in order (a literal before a parameter)."""

    def add(self, method: str, template: str, handler: Handler, *, auth: bool = True) -> None:
        self.append(Route(method, template, handler, auth))


def err(status: int, code: int, message: str) -> ApiError:
    return ApiError(status, code, message)


def bool_query(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


def check_channel_name(name: Any) -> None:
    """Channel and thread names: 1-100 characters, else 50035 as Discord words it."""
    errors = FormErrors()
    errors.length_between(("name",), name, 1, 100)
    errors.raise_if_any()


class Resource:
    """A group of routes; lookups answer Discord's 404s and 403s."""

    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx

    @property
    def state(self) -> SandboxState:
        return self.ctx.state

    def channel(self, channel_id: str) -> Channel:
        try:
            return self.state.channels[int(channel_id)]
        except (KeyError, ValueError):
            raise err(404, 10003, "Unknown Channel") from None

    def guild(self, guild_id: str) -> Guild:
        try:
            guild = self.state.guilds[int(guild_id)]
        except (KeyError, ValueError):
            raise err(404, 10004, "Unknown Guild") from None
        if self.state.bot_user.id not in guild.members:
            raise err(*MISSING_ACCESS)
        return guild

    def bot_perms(self, channel: Channel) -> int:
        if channel.guild is None:
            return VIEW_CHANNEL | SEND_MESSAGES | ATTACH_FILES
        return channel.guild.permissions_for(channel.guild.bot_member, channel)

    def require_view(self, channel: Channel) -> int:
        perms = self.bot_perms(channel)
        if channel.guild is not None and not perms & VIEW_CHANNEL:
            raise err(*MISSING_ACCESS)
        return perms

    def user(self, user_id: str) -> User:
        if user_id == "@me":
            return self.state.bot_user
        try:
            return self.state.users[int(user_id)]
        except (KeyError, ValueError):
            raise err(404, 10013, "Unknown User") from None

    def message(self, channel: Channel, message_id: str) -> Message:
        try:
            message = self.state.messages[int(message_id)]
        except (KeyError, ValueError):
            raise err(404, 10008, "Unknown Message") from None
        if message.channel is not channel or message.deleted or message.visible_to is not None:
            raise err(404, 10008, "Unknown Message")
        return message

    def interaction_by_token(self, token: str, application_id: str) -> Interaction:
        ix = self.state.interactions_by_token.get(token)
        if ix is None or application_id != str(self.state.application_id):
            raise err(404, 10015, "Unknown Webhook")
        if self.ctx.clock.loop() - ix.created > self.ctx.deadlines.token_ttl:
            raise err(401, 50027, "Invalid Webhook Token")
        return ix

"""The sandbox server's world: users, guilds, roles, channels, threads, messages, permissions.

Objects here serialise to Discord's v10 JSON shapes (``to_dict``) and double as the control API
handles tests hold (``guild.add_member(...)``, ``channel.messages``, ``thread.members``).
Acting as a member (slash commands, clicks, modals) lives in :mod:`sandbox.control`.
"""

from __future__ import annotations

import asyncio
import datetime
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sandbox.permissions import (
    ALL_PERMISSIONS,
    DEFAULT_EVERYONE,
    PermissionSpec,
    bit_of,
    permission_value,
)
from sandbox.snowflake import SnowflakeGenerator, snowflake_time_ms

if TYPE_CHECKING:
    from sandbox.control import Interaction

# Permission bits used by the permission algorithm (the full table: sandbox.permissions).
ADMINISTRATOR = bit_of("administrator")
MANAGE_CHANNELS = bit_of("manage_channels")
MANAGE_GUILD = bit_of("manage_guild")
VIEW_CHANNEL = bit_of("view_channel")
SEND_MESSAGES = bit_of("send_messages")
SEND_TTS_MESSAGES = bit_of("send_tts_messages")
MANAGE_MESSAGES = bit_of("manage_messages")
EMBED_LINKS = bit_of("embed_links")
ATTACH_FILES = bit_of("attach_files")
READ_MESSAGE_HISTORY = bit_of("read_message_history")
MENTION_EVERYONE = bit_of("mention_everyone")
USE_APPLICATION_COMMANDS = bit_of("use_application_commands")
MANAGE_THREADS = bit_of("manage_threads")
CREATE_PUBLIC_THREADS = bit_of("create_public_threads")
CREATE_PRIVATE_THREADS = bit_of("create_private_threads")
SEND_MESSAGES_IN_THREADS = bit_of("send_messages_in_threads")

# Channel types.
GUILD_TEXT = 0
DM = 1
GUILD_CATEGORY = 4
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12


def number_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copy of ``components`` with Discord's numeric ``id`` on every component (tree order)."""
    counter = 0

    def walk(item: dict[str, Any]) -> dict[str, Any]:
        nonlocal counter
        counter += 1
        out = dict(item)
        out.setdefault("id", counter)
        if isinstance(item.get("components"), list):
            out["components"] = [walk(c) for c in item["components"]]
        for key in ("accessory", "component"):
            if isinstance(item.get(key), dict):
                out[key] = walk(item[key])
        return out

    return [walk(c) for c in components]


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.datetime.fromtimestamp(ts, datetime.UTC).isoformat()


@dataclass(eq=False)
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    dms_open: bool = True

    @property
    def display_name(self) -> str:
        return self.global_name or self.username

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "collectibles": None,
            "primary_guild": None,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass(eq=False)
class Role:
    id: int
    guild: Guild
    name: str
    permissions: int = 0
    position: int = 0
    color: int = 0

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class Overwrite:
    id: int
    type: int  # 0 role, 1 member
    allow: int = 0
    deny: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


@dataclass(eq=False)
class Attachment:
    id: int
    filename: str
    size: int
    content_type: str | None
    data: bytes = b""

    def to_dict(self) -> dict[str, Any]:
        url = f"https://cdn.discordapp.com/attachments/0/{self.id}/{self.filename}"
        out: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": self.size,
            "url": url,
            "proxy_url": url,
        }
        if self.content_type:
            out["content_type"] = self.content_type
        return out


_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


@dataclass(eq=False)
class Message:
    id: int
    channel: Channel
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    nonce: str | int | None = None
    allowed_mentions: dict[str, Any] | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    visible_to: int | None = None  # user id for ephemeral messages
    timestamp: float = field(default_factory=time.time)
    edited_timestamp: float | None = None
    deleted: bool = False
    history: list[dict[str, Any]] = field(default_factory=list)  # earlier versions, oldest first
    thread: Channel | None = None  # thread started from this message

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    @property
    def loading(self) -> bool:
        return bool(self.flags & 128)

    @property
    def pinged_user_ids(self) -> list[int]:
        """Users this message actually notifies, after applying allowed_mentions like Discord."""
        found = [int(m) for m in _USER_MENTION.findall(self.content)]
        am = self.allowed_mentions
        if am is None:
            return found
        if "users" in am.get("parse", []):
            return found
        allowed = {int(u) for u in am.get("users", [])}
        return [u for u in found if u in allowed]

    @property
    def pinged_role_ids(self) -> list[int]:
        found = [int(m) for m in _ROLE_MENTION.findall(self.content)]
        am = self.allowed_mentions
        if am is None or "roles" in am.get("parse", []):
            return found
        allowed = {int(r) for r in am.get("roles", [])}
        return [r for r in found if r in allowed]

    @property
    def pings_everyone(self) -> bool:
        if "@everyone" not in self.content and "@here" not in self.content:
            return False
        am = self.allowed_mentions
        return am is None or "everyone" in am.get("parse", [])

    @property
    def could_ping(self) -> bool:
        return bool(self.pinged_user_ids or self.pinged_role_ids or self.pings_everyone)

    def iter_components(self) -> list[dict[str, Any]]:
        """Interactive components (buttons, selects) in display order."""
        out: list[dict[str, Any]] = []

        def walk(items: list[dict[str, Any]]) -> None:
            for c in items:
                if c.get("type") in (2, 3, 5, 6, 7, 8):
                    out.append(c)
                if "components" in c:
                    walk(c["components"])
                if "accessory" in c:
                    walk([c["accessory"]])
                if "component" in c:
                    walk([c["component"]])

        walk(self.components)
        return out

    def to_dict(self, *, with_guild: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel.id),
            "author": self.author.to_dict(),
            "content": self.content,
            "timestamp": iso(self.timestamp),
            "edited_timestamp": iso(self.edited_timestamp),
            "tts": False,
            "mention_everyone": self.pings_everyone,
            "mentions": [
                self.channel.state.users[u].to_dict()
                for u in self.pinged_user_ids
                if u in self.channel.state.users
            ],
            "mention_roles": [str(r) for r in self.pinged_role_ids],
            "attachments": [a.to_dict() for a in self.attachments],
            "embeds": self.embeds,
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
            "components": number_components(self.components),
        }
        if self.nonce is not None:
            data["nonce"] = self.nonce
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            data["application_id"] = str(self.application_id)
        if self.interaction_metadata is not None:
            data["interaction_metadata"] = self.interaction_metadata
        if self.thread is not None:
            data["thread"] = self.thread.to_dict()
        if with_guild and self.channel.guild is not None:
            data["guild_id"] = str(self.channel.guild.id)
        return data

    def snapshot(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "embeds": list(self.embeds),
            "components": list(self.components),
            "flags": self.flags,
            "edited_timestamp": self.edited_timestamp,
        }


class Channel:
    """A guild text channel, category, thread, or DM channel."""

    def __init__(
        self,
        state: SandboxState,
        id: int,
        type: int,
        name: str | None,
        guild: Guild | None = None,
        parent_id: int | None = None,
        position: int = 0,
        topic: str | None = None,
    ) -> None:
        self.state = state
        self.id = id
        self.type = type
        self.name = name
        self.guild = guild
        self.parent_id = parent_id
        self.position = position
        self.topic = topic
        self.overwrites: dict[int, Overwrite] = {}
        self.all_messages: list[Message] = []
        # threads
        self.owner_id: int | None = None
        self.archived = False
        self.locked = False
        self.invitable = True
        self.auto_archive_duration = 4320
        self.archive_timestamp: float = time.time()
        self.thread_members: dict[int, float] = {}  # user id -> join time
        self.total_message_sent = 0
        # DM
        self.recipients: list[User] = []

    def __repr__(self) -> str:
        return f"<Channel id={self.id} type={self.type} name={self.name!r}>"

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def is_thread(self) -> bool:
        return self.type in (PUBLIC_THREAD, PRIVATE_THREAD, 10)

    @property
    def parent(self) -> Channel | None:
        return self.state.channels.get(self.parent_id) if self.parent_id else None

    @property
    def messages(self) -> list[Message]:
        """Messages everyone in the channel sees (no ephemeral, no deleted), oldest first."""
        return [m for m in self.all_messages if not m.deleted and m.visible_to is None]

    def visible_messages(self, user: User | Member) -> list[Message]:
        uid = user.id
        return [m for m in self.all_messages if not m.deleted and m.visible_to in (None, uid)]

    @property
    def last_message_id(self) -> int | None:
        msgs = [m for m in self.all_messages if m.visible_to is None]
        return msgs[-1].id if msgs else None

    @property
    def members(self) -> list[User]:
        """Thread members (users), in join order."""
        return [self.state.users[u] for u in self.thread_members]

    @property
    def threads(self) -> list[Channel]:
        return [c for c in self.state.channels.values() if c.is_thread and c.parent_id == self.id]

    def set_overwrite(
        self,
        target: Role | Member | User,
        *,
        allow: PermissionSpec = None,
        deny: PermissionSpec = None,
    ) -> None:
        kind = 0 if isinstance(target, Role) else 1
        self.overwrites[target.id] = Overwrite(
            target.id, kind, permission_value(allow), permission_value(deny)
        )
        self.state.notify_channel_update(self)

    def thread_member_dict(self, user_id: int) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "user_id": str(user_id),
            "join_timestamp": iso(self.thread_members[user_id]),
            "flags": 0,
        }

    def to_dict(self) -> dict[str, Any]:
        if self.type == DM:
            return {
                "id": str(self.id),
                "type": DM,
                "last_message_id": str(self.last_message_id) if self.last_message_id else None,
                "recipients": [u.to_dict() for u in self.recipients],
                "flags": 0,
            }
        assert self.guild is not None
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id),
            "name": self.name,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "flags": 0,
        }
        if self.is_thread:
            lm = self.last_message_id
            data.update(
                {
                    "owner_id": str(self.owner_id),
                    "last_message_id": str(lm) if lm else None,
                    "message_count": len(self.messages),
                    "member_count": min(len(self.thread_members), 50),
                    "total_message_sent": self.total_message_sent,
                    "rate_limit_per_user": 0,
                    "thread_metadata": self.thread_metadata(),
                }
            )
            bot_id = self.state.bot_user.id
            if bot_id in self.thread_members:
                data["member"] = {
                    "id": str(self.id),
                    "user_id": str(bot_id),
                    "join_timestamp": iso(self.thread_members[bot_id]),
                    "flags": 0,
                }
            return data
        data["position"] = self.position
        data["permission_overwrites"] = [o.to_dict() for o in self.overwrites.values()]
        data["nsfw"] = False
        if self.type == GUILD_TEXT:
            lm = self.last_message_id
            data.update(
                {
                    "topic": self.topic,
                    "last_message_id": str(lm) if lm else None,
                    "rate_limit_per_user": 0,
                    "default_thread_rate_limit_per_user": 0,
                    "default_auto_archive_duration": 4320,
                    "last_pin_timestamp": None,
                }
            )
        return data

    def thread_metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "archived": self.archived,
            "auto_archive_duration": self.auto_archive_duration,
            "archive_timestamp": iso(self.archive_timestamp),
            "locked": self.locked,
            "create_timestamp": iso(snowflake_time_ms(self.id) / 1000),
        }
        if self.type == PRIVATE_THREAD:
            meta["invitable"] = self.invitable
        return meta


@dataclass(eq=False)
class Member:
    guild: Guild
    user: User
    nick: str | None = None
    roles: list[Role] = field(default_factory=list)
    joined_at: float = field(default_factory=time.time)

    def __repr__(self) -> str:
        return f"<Member {self.user.username} id={self.id} guild={self.guild.id}>"

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def state(self) -> SandboxState:
        return self.guild.state

    @property
    def display_name(self) -> str:
        return self.nick or self.user.display_name

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    @property
    def guild_permissions(self) -> int:
        return self.guild.permissions_for(self, None)

    def permissions_in(self, channel: Channel | None) -> int:
        return self.guild.permissions_for(self, channel)

    def add_role(self, role: Role) -> None:
        if role not in self.roles:
            self.roles.append(role)
        self.state.changed()

    def remove_role(self, role: Role) -> None:
        if role in self.roles:
            self.roles.remove(role)
        self.state.changed()

    def set_dms_open(self, value: bool) -> None:
        self.user.dms_open = value
        self.state.changed()

    def to_dict(self, *, with_user: bool = True, permissions: int | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r.id) for r in self.roles if r.id != self.guild.id],
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.to_dict()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data

    # Acting as this member: implemented in sandbox.control, which the server hands to the state
    # as ``state.actions`` (so this module never imports it back).
    def _actions(self) -> MemberActions:
        actions = self.state.actions
        if actions is None:
            raise RuntimeError("this member is not attached to a running SandboxServer")
        return actions

    async def slash(
        self,
        command: str,
        /,
        *,
        in_channel: Channel | None = None,
        in_dm: bool = False,
        wait: bool = True,
        **options: Any,
    ) -> Interaction:
        """Run ``/command [group] [sub]`` with typed options; waits for the acknowledgement."""
        return await self._actions().slash(
            self, command, in_channel=in_channel, in_dm=in_dm, wait=wait, **options
        )

    async def autocomplete(
        self,
        command: str,
        /,
        *,
        focused: str,
        value: str = "",
        in_channel: Channel | None = None,
        in_dm: bool = False,
        **options: Any,
    ) -> list[dict[str, Any]]:
        return await self._actions().autocomplete(
            self,
            command,
            focused=focused,
            value=value,
            in_channel=in_channel,
            in_dm=in_dm,
            **options,
        )

    async def user_command(
        self,
        name: str,
        target: Member | User,
        *,
        in_channel: Channel | None = None,
        wait: bool = True,
    ) -> Interaction:
        return await self._actions().user_command(
            self, name, target, in_channel=in_channel, wait=wait
        )

    async def click(self, message: Message, which: str | int, *, wait: bool = True) -> Interaction:
        """Click a button by label, custom_id or 0-based index."""
        return await self._actions().click(self, message, which, wait=wait)

    async def select(
        self, message: Message, which: str | int, values: list[Any], *, wait: bool = True
    ) -> Interaction:
        return await self._actions().select(self, message, which, values, wait=wait)

    async def submit_modal(
        self, ix: Interaction, values: Mapping[str, Any], *, wait: bool = True
    ) -> Interaction:
        return await self._actions().submit_modal(self, ix, values, wait=wait)


class MemberActions(Protocol):
    """What acting as a member needs (``sandbox.control`` provides it)."""

    async def slash(
        self,
        member: Member,
        command: str,
        /,
        *,
        in_channel: Channel | None = ...,
        in_dm: bool = ...,
        wait: bool = ...,
        **options: Any,
    ) -> Interaction: ...

    async def autocomplete(
        self,
        member: Member,
        command: str,
        /,
        *,
        focused: str,
        value: str = ...,
        in_channel: Channel | None = ...,
        in_dm: bool = ...,
        **options: Any,
    ) -> list[dict[str, Any]]: ...

    async def user_command(
        self,
        member: Member,
        name: str,
        target: Member | User,
        *,
        in_channel: Channel | None = ...,
        wait: bool = ...,
    ) -> Interaction: ...

    async def click(
        self, member: Member, message: Message, which: str | int, *, wait: bool = ...
    ) -> Interaction: ...

    async def select(
        self,
        member: Member,
        message: Message,
        which: str | int,
        values: list[Any],
        *,
        wait: bool = ...,
    ) -> Interaction: ...

    async def submit_modal(
        self, member: Member, ix: Interaction, values: Mapping[str, Any], *, wait: bool = ...
    ) -> Interaction: ...


@dataclass(eq=False)
class ScheduledEvent:
    """A guild scheduled event (``GET /guilds/{id}/scheduled-events``). External events have a
    location and must end; voice events happen in a channel and may have no end time."""

    id: int
    guild: Guild
    name: str
    start: float  # epoch seconds
    end: float | None
    location: str | None = None
    channel: Channel | None = None
    description: str | None = None
    status: int = 1  # 1 scheduled, 2 active, 3 completed, 4 canceled
    creator: User | None = None
    user_count: int = 0

    def to_dict(self, *, with_user_count: bool = False, gateway: bool = False) -> dict[str, Any]:
        """REST shape; ``gateway``: as in GUILD_CREATE, which has no exceptions list (the
        gateway schemas reject it there; the REST spec requires it)."""
        external = self.channel is None
        data: dict[str, Any] = {
            "id": str(self.id),
            "guild_id": str(self.guild.id),
            "name": self.name,
            "description": self.description,
            "channel_id": None if external else str(self.channel.id),  # type: ignore[union-attr]
            "creator_id": str(self.creator.id) if self.creator else None,
            "image": None,
            "scheduled_start_time": iso(self.start),
            "scheduled_end_time": iso(self.end),
            "status": self.status,
            "entity_type": 3 if external else 2,
            "entity_id": None,
            "recurrence_rule": None,
            "privacy_level": 2,
            "guild_scheduled_event_exceptions": [],
            "entity_metadata": {"location": self.location or ""} if external else None,
        }
        if self.creator is not None:
            data["creator"] = self.creator.to_dict()
        if gateway:
            del data["guild_scheduled_event_exceptions"]
        if with_user_count:
            data["user_count"] = self.user_count
        return data


class Guild:
    def __init__(self, state: SandboxState, id: int, name: str, owner_id: int) -> None:
        self.state = state
        self.id = id
        self.name = name
        self.owner_id = owner_id
        self.roles: dict[int, Role] = {id: Role(id, self, "@everyone", DEFAULT_EVERYONE, 0)}
        self.members: dict[int, Member] = {}
        self.scheduled_events: dict[int, ScheduledEvent] = {}
        self.joined_at = time.time()

    def __repr__(self) -> str:
        return f"<Guild id={self.id} name={self.name!r}>"

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    @property
    def channels(self) -> list[Channel]:
        return [c for c in self.state.channels.values() if c.guild is self and not c.is_thread]

    @property
    def threads(self) -> list[Channel]:
        return [c for c in self.state.channels.values() if c.guild is self and c.is_thread]

    @property
    def bot_member(self) -> Member:
        return self.members[self.state.bot_user.id]

    def channel(self, name: str) -> Channel:
        for c in self.state.channels.values():
            if c.guild is self and c.name == name:
                return c
        raise KeyError(f"no channel named {name!r} in {self.name}")

    def member(self, username: str) -> Member:
        for m in self.members.values():
            if m.user.username == username:
                return m
        raise KeyError(f"no member {username!r} in {self.name}")

    def role(self, name: str) -> Role:
        for r in self.roles.values():
            if r.name == name:
                return r
        raise KeyError(f"no role {name!r} in {self.name}")

    # --- building -------------------------------------------------------------------------
    def add_role(self, name: str, permissions: PermissionSpec = None, *, color: int = 0) -> Role:
        role = Role(
            self.state.ids.next(), self, name, permission_value(permissions), len(self.roles), color
        )
        self.roles[role.id] = role
        self.state.emit_guild(
            "GUILD_ROLE_CREATE", self, {"guild_id": str(self.id), "role": role.to_dict()}
        )
        self.state.changed()
        return role

    def _add_channel(
        self,
        name: str,
        type: int,
        category: Channel | None,
        overwrites: Mapping[Role | Member | User, tuple[PermissionSpec, PermissionSpec]] | None,
        topic: str | None = None,
    ) -> Channel:
        channel = Channel(
            self.state,
            self.state.ids.next(),
            type,
            name,
            self,
            parent_id=category.id if category else None,
            position=len(self.channels),
            topic=topic,
        )
        for target, (allow, deny) in (overwrites or {}).items():
            kind = 0 if isinstance(target, Role) else 1
            channel.overwrites[target.id] = Overwrite(
                target.id, kind, permission_value(allow), permission_value(deny)
            )
        self.state.channels[channel.id] = channel
        self.state.emit_guild("CHANNEL_CREATE", self, channel.to_dict())
        self.state.changed()
        return channel

    def add_text_channel(
        self,
        name: str,
        *,
        category: Channel | None = None,
        overwrites: Mapping[Role | Member | User, tuple[PermissionSpec, PermissionSpec]]
        | None = None,
        topic: str | None = None,
    ) -> Channel:
        """Add a text channel. ``overwrites`` maps a role/member to ``(allow, deny)``."""
        return self._add_channel(name, GUILD_TEXT, category, overwrites, topic)

    def add_category(
        self,
        name: str,
        *,
        overwrites: Mapping[Role | Member | User, tuple[PermissionSpec, PermissionSpec]]
        | None = None,
    ) -> Channel:
        return self._add_channel(name, GUILD_CATEGORY, None, overwrites)

    def add_member(
        self,
        username: str,
        *,
        display_name: str | None = None,
        nick: str | None = None,
        roles: Iterable[Role] = (),
        dms_open: bool = True,
        bot: bool = False,
    ) -> Member:
        user = self.state.user_by_name(username) or self.state.create_user(
            username, display_name, bot=bot, dms_open=dms_open
        )
        return self.add_user(user, nick=nick, roles=roles)

    def add_user(
        self, user: User, *, nick: str | None = None, roles: Iterable[Role] = ()
    ) -> Member:
        member = Member(self, user, nick, list(roles))
        self.members[user.id] = member
        self.state.changed()
        return member

    def remove_member(self, member: Member) -> None:
        """The member leaves the server (or is kicked). Without the GUILD_MEMBERS intent the
        bot is not told: it learns it from 10007 Unknown Member on its next fetch or send."""
        self.members.pop(member.user.id, None)
        for thread in self.threads:
            thread.thread_members.pop(member.user.id, None)
        self.state.changed()

    def rejoin(self, member: Member) -> None:
        """A member who left joins again, with the roles and nickname they had."""
        self.members[member.user.id] = member
        self.state.changed()

    def add_moderator(self, username: str, *, display_name: str | None = None) -> Member:
        """A member holding a "Moderator" role with Manage Server (and Manage Threads)."""
        try:
            role = self.role("Moderator")
        except KeyError:
            role = self.add_role("Moderator", ["manage_guild", "manage_threads", "manage_messages"])
        return self.add_member(username, display_name=display_name, roles=[role])

    moderator = add_moderator

    def add_scheduled_event(
        self,
        name: str,
        start: datetime.datetime,
        end: datetime.datetime | None = None,
        *,
        location: str | None = None,
        channel: Channel | None = None,
        description: str | None = None,
        status: int = 1,
        creator: User | None = None,
    ) -> ScheduledEvent:
        """Seed a scheduled event as a moderator would create it in Discord's client. Without a
        ``channel`` it is external: Discord requires a location and an end time for those."""
        if channel is None and (not location or end is None):
            raise ValueError("an external scheduled event needs a location and an end time")
        event = ScheduledEvent(
            self.state.ids.next(),
            self,
            name,
            start.timestamp(),
            end.timestamp() if end is not None else None,
            location=location,
            channel=channel,
            description=description,
            status=status,
            creator=creator or self.state.owner,
        )
        self.scheduled_events[event.id] = event
        self.state.changed()
        return event

    def set_bot_permissions(
        self,
        channel: Channel | None = None,
        *,
        allow: PermissionSpec = None,
        deny: PermissionSpec = None,
    ) -> None:
        """Change what the bot may do: server-wide (its role) or in one channel (an overwrite)."""
        bot = self.bot_member
        if channel is None:
            role = next((r for r in bot.roles if r.name == self.state.bot_user.username), None)
            if role is None:
                role = self.add_role(self.state.bot_user.username)
                bot.roles.append(role)
            role.permissions = (role.permissions | permission_value(allow)) & ~permission_value(
                deny
            )
            self.state.emit_guild(
                "GUILD_ROLE_UPDATE", self, {"guild_id": str(self.id), "role": role.to_dict()}
            )
            self.state.changed()
        else:
            channel.set_overwrite(bot, allow=allow, deny=deny)

    # --- permissions ----------------------------------------------------------------------
    def permissions_for(self, member: Member, channel: Channel | None) -> int:
        """Discord's permission algorithm: base from roles, then channel overwrites."""
        if member.id == self.owner_id:
            return ALL_PERMISSIONS
        base = self.everyone.permissions
        for role in member.roles:
            base |= role.permissions
        if base & ADMINISTRATOR:
            return ALL_PERMISSIONS
        if channel is None:
            return base
        target = channel.parent if channel.is_thread and channel.parent else channel
        perms = base
        ow = target.overwrites.get(self.id)
        if ow:
            perms = (perms & ~ow.deny) | ow.allow
        allow = deny = 0
        for role in member.roles:
            ow = target.overwrites.get(role.id)
            if ow:
                allow |= ow.allow
                deny |= ow.deny
        perms = (perms & ~deny) | allow
        ow = target.overwrites.get(member.id)
        if ow:
            perms = (perms & ~ow.deny) | ow.allow
        if not perms & VIEW_CHANNEL:
            return 0
        if not channel.is_thread and not perms & SEND_MESSAGES:
            perms &= ~(SEND_TTS_MESSAGES | MENTION_EVERYONE | EMBED_LINKS | ATTACH_FILES)
        if (
            channel.type == PRIVATE_THREAD
            and member.id not in channel.thread_members
            and not perms & MANAGE_THREADS
        ):
            return 0
        return perms

    # --- serialising ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "icon_hash": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "widget_enabled": False,
            "widget_channel_id": None,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.to_dict() for r in self.roles.values()],
            "emojis": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "max_presences": None,
            "max_members": 500000,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "nsfw_level": 0,
            "stickers": [],
            "premium_progress_bar_enabled": False,
            "safety_alerts_channel_id": None,
            "region": "deprecated",
            "hub_type": None,
            "incidents_data": None,
        }

    def gateway_dict(self) -> dict[str, Any]:
        """The GUILD_CREATE payload: the bot's own member plus members that matter (all here)."""
        data = self.to_dict()
        data.update(
            {
                "joined_at": iso(self.joined_at),
                "large": False,
                "unavailable": False,
                "member_count": len(self.members),
                "voice_states": [],
                "members": [
                    m.to_dict() for m in self.members.values() if m.id == self.state.bot_user.id
                ],
                "channels": [c.to_dict() for c in self.channels],
                "threads": [
                    t.to_dict()
                    for t in self.threads
                    if not t.archived
                    and self.state.bot_user.id in self.members
                    and self.permissions_for(self.bot_member, t) & VIEW_CHANNEL
                ],
                "presences": [],
                "stage_instances": [],
                "guild_scheduled_events": [
                    e.to_dict(gateway=True) for e in self.scheduled_events.values()
                ],
                "soundboard_sounds": [],
            }
        )
        return data


class SandboxState:
    """Everything the sandbox server knows, plus a change signal for ``wait_for``."""

    def __init__(self, bot_name: str = "SandboxBot") -> None:
        self.ids = SnowflakeGenerator()
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.dm_channels: dict[int, Channel] = {}  # recipient user id -> DM channel
        self.owner = self.create_user("sandbox-owner", "Sandbox Owner")
        self.bot_user = self.create_user(bot_name, None, bot=True)
        self.application_id = self.bot_user.id
        # Application commands: guild id (None for global) -> command id -> definition.
        self.commands: dict[int | None, dict[int, dict[str, Any]]] = {}
        self.interactions: dict[int, Interaction] = {}
        self.version = 0
        self._event: asyncio.Event | None = None
        # Set by the server: send a gateway dispatch to the bot (event name, payload).
        self.dispatch: Callable[[str, dict[str, Any]], None] = lambda _t, _d: None
        self.intents = 0  # what the connected bot asked for
        self.server: Any = None  # the SandboxServer owning this state
        self.actions: MemberActions | None = None  # set by the server: sandbox.control

    # --- users ----------------------------------------------------------------------------
    def create_user(
        self,
        username: str,
        global_name: str | None = None,
        *,
        bot: bool = False,
        dms_open: bool = True,
    ) -> User:
        user = User(self.ids.next(), username, global_name, bot, dms_open)
        self.users[user.id] = user
        return user

    def user_by_name(self, username: str) -> User | None:
        return next((u for u in self.users.values() if u.username == username), None)

    # --- guilds ---------------------------------------------------------------------------
    def create_guild(self, name: str, *, owner: User | None = None) -> Guild:
        guild = Guild(self, self.ids.next(), name, (owner or self.owner).id)
        self.guilds[guild.id] = guild
        guild.add_user(self.owner if owner is None else owner)
        bot_role = Role(self.ids.next(), guild, self.bot_user.username, 0, 1)
        guild.roles[bot_role.id] = bot_role
        guild.add_user(self.bot_user, roles=[bot_role])
        self.dispatch("GUILD_CREATE", guild.gateway_dict())
        self.changed()
        return guild

    # --- events ---------------------------------------------------------------------------
    def changed(self) -> None:
        self.version += 1
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait_for(
        self, predicate: Callable[[], Any], *, timeout: float = 5.0, what: str = "condition"
    ) -> Any:
        """Wait until ``predicate()`` is truthy, re-checking on every state change."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"sandbox: timed out after {timeout:.1f}s waiting for {what}")
            if self._event is None:
                self._event = asyncio.Event()
            try:
                await asyncio.wait_for(self._event.wait(), remaining)
            except TimeoutError:
                continue

    def has_intent(self, bit: int) -> bool:
        return bool(self.intents & (1 << bit))

    def emit_guild(self, event: str, guild: Guild, payload: dict[str, Any]) -> None:
        """GUILDS-intent events (channels, roles, threads)."""
        if self.has_intent(0):
            self.dispatch(event, payload)

    def notify_channel_update(self, channel: Channel) -> None:
        if channel.guild is not None:
            event = "THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE"
            self.emit_guild(event, channel.guild, channel.to_dict())
        self.changed()

    def dm_channel_for(self, user: User) -> Channel:
        channel = self.dm_channels.get(user.id)
        if channel is None:
            channel = Channel(self, self.ids.next(), DM, None)
            channel.recipients = [user]
            self.channels[channel.id] = channel
            self.dm_channels[user.id] = channel
        return channel

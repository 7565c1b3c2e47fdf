"""Channels: guild text channels, categories, threads and DM channels (their JSON: shapes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sandbox import wallclock
from sandbox.members import MemberLike, Role, User
from sandbox.permissions import PermissionSpec, permission_value

if TYPE_CHECKING:
    from sandbox.guilds import Guild
    from sandbox.messages import Message
    from sandbox.state import SandboxState

# Channel types.
GUILD_TEXT = 0
DM = 1
GUILD_CATEGORY = 4
GUILD_ANNOUNCEMENT = 5
ANNOUNCEMENT_THREAD = 10
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
THREAD_TYPES = (ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD)
TEXT_TYPES = (GUILD_TEXT, GUILD_ANNOUNCEMENT, PUBLIC_THREAD, PRIVATE_THREAD)  # take messages
THREAD_PARENT_TYPES = (GUILD_TEXT, GUILD_ANNOUNCEMENT)


@dataclass
class Overwrite:
    id: int
    type: int  # 0 role, 1 member
    allow: int = 0
    deny: int = 0

    @classmethod
    def for_target(
        cls, target: Role | MemberLike | User, allow: PermissionSpec, deny: PermissionSpec
    ) -> Overwrite:
        kind = 0 if isinstance(target, Role) else 1
        return cls(target.id, kind, permission_value(allow), permission_value(deny))


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
        self.archive_timestamp: float = wallclock.now()
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
        return self.type in THREAD_TYPES

    @property
    def parent(self) -> Channel | None:
        return self.state.channels.get(self.parent_id) if self.parent_id else None

    @property
    def messages(self) -> list[Message]:
        """Messages everyone in the channel sees (no ephemeral, no deleted), oldest first."""
        return [m for m in self.all_messages if not m.deleted and m.visible_to is None]

    def visible_messages(self, user: User | MemberLike) -> list[Message]:
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
        target: Role | MemberLike | User,
        *,
        allow: PermissionSpec = None,
        deny: PermissionSpec = None,
    ) -> None:
        self.overwrites[target.id] = Overwrite.for_target(target, allow, deny)
        self.state.notify_channel_update(self)

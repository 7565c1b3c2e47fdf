"""A guild and how tests build one: roles, channels, members, scheduled events, permissions.

``guild.add_member(...)``, ``guild.add_text_channel(...)`` and friends are the world-building
half of the control API; acting as a member is :class:`sandbox.control.Actor`'s.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from sandbox import shapes, wallclock
from sandbox.channels import GUILD_CATEGORY, GUILD_TEXT, PRIVATE_THREAD, Channel, Overwrite
from sandbox.members import Member, MemberLike, Role, User, as_member
from sandbox.permissions import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    ATTACH_FILES,
    DEFAULT_EVERYONE,
    EMBED_LINKS,
    MANAGE_THREADS,
    MENTION_EVERYONE,
    SEND_MESSAGES,
    SEND_TTS_MESSAGES,
    VIEW_CHANNEL,
    PermissionSpec,
    permission_value,
)
from sandbox.scheduled_events import ScheduledEvent

if TYPE_CHECKING:
    from sandbox.state import SandboxState

Overwrites = Mapping[Role | MemberLike | User, tuple[PermissionSpec, PermissionSpec]]


class Guild:
    def __init__(self, state: SandboxState, id: int, name: str, owner_id: int) -> None:
        self.state = state
        self.id = id
        self.name = name
        self.owner_id = owner_id
        self.roles: dict[int, Role] = {id: Role(id, self, "@everyone", DEFAULT_EVERYONE, 0)}
        self.members: dict[int, Member] = {}
        self.scheduled_events: dict[int, ScheduledEvent] = {}
        self.joined_at = wallclock.now()

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
        self._emit_role("GUILD_ROLE_CREATE", role)
        return role

    def _emit_role(self, event: str, role: Role) -> None:
        self.state.emit_guild(event, {"guild_id": str(self.id), "role": shapes.role(role)})
        self.state.changed()

    def _add_channel(
        self,
        name: str,
        type: int,
        category: Channel | None,
        overwrites: Overwrites | None,
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
            channel.overwrites[target.id] = Overwrite.for_target(target, allow, deny)
        self.state.channels[channel.id] = channel
        self.state.emit_guild("CHANNEL_CREATE", shapes.channel(channel))
        self.state.changed()
        return channel

    def add_text_channel(
        self,
        name: str,
        *,
        category: Channel | None = None,
        overwrites: Overwrites | None = None,
        topic: str | None = None,
    ) -> Channel:
        """Add a text channel. ``overwrites`` maps a role/member to ``(allow, deny)``."""
        return self._add_channel(name, GUILD_TEXT, category, overwrites, topic)

    def add_category(self, name: str, *, overwrites: Overwrites | None = None) -> Channel:
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

    def remove_member(self, member: MemberLike) -> None:
        """The member leaves the server (or is kicked). Without the GUILD_MEMBERS intent the
        bot is not told: it learns it from 10007 Unknown Member on its next fetch or send."""
        user_id = as_member(member).user.id
        self.members.pop(user_id, None)
        for thread in self.threads:
            thread.thread_members.pop(user_id, None)
        self.state.changed()

    def rejoin(self, member: MemberLike) -> None:
        """A member who left joins again, with the roles and nickname they had."""
        returning = as_member(member)
        self.members[returning.user.id] = returning
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
            self._emit_role("GUILD_ROLE_UPDATE", role)
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

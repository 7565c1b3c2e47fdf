"""Users, roles and guild members: who is in the sandbox's world.

Plain model objects: their v10 JSON is in :mod:`sandbox.shapes`, and acting as a member (slash
commands, clicks) is :class:`sandbox.control.Actor`'s, which holds a member; this module never
imports either back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from sandbox import wallclock

if TYPE_CHECKING:
    from sandbox.channels import Channel
    from sandbox.guilds import Guild
    from sandbox.state import SandboxState


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


@dataclass(eq=False)
class Member:
    guild: Guild
    user: User
    nick: str | None = None
    roles: list[Role] = field(default_factory=list)
    joined_at: float = field(default_factory=wallclock.now)

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


@runtime_checkable
class StandsForMember(Protocol):
    """Something acting for a guild member (the control API's ``Actor``): it holds one."""

    @property
    def member(self) -> Member: ...

    @property
    def id(self) -> int: ...


MemberLike = Member | StandsForMember


def is_member_like(value: object) -> bool:
    return isinstance(value, Member | StandsForMember)


def as_member(target: MemberLike) -> Member:
    """The member itself, whether given the member or something acting for it."""
    return target if isinstance(target, Member) else target.member


def as_user(target: MemberLike | User) -> User:
    return target if isinstance(target, User) else as_member(target).user

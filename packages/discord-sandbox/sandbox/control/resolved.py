"""The ``resolved`` part of an interaction: the users, members, roles and channels it names."""

from __future__ import annotations

from typing import Any

from sandbox import shapes
from sandbox.channels import Channel
from sandbox.members import Member, MemberLike, Role, User, as_member, as_user


class Resolved:
    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {}

    def add_user(self, target: MemberLike | User, channel: Channel) -> str:
        member = None if isinstance(target, User) else as_member(target)
        user = as_user(target)
        self.data.setdefault("users", {})[str(user.id)] = shapes.user(user)
        if member is None and channel.guild is not None:
            member = channel.guild.members.get(user.id)
        if member is not None:
            item = shapes.member(
                member, with_user=False, permissions=member.permissions_in(channel)
            )
            del item["deaf"], item["mute"]  # resolved members carry no voice state
            self.data.setdefault("members", {})[str(user.id)] = item
        return str(user.id)

    def add_role(self, role: Role) -> str:
        self.data.setdefault("roles", {})[str(role.id)] = shapes.role(role)
        return str(role.id)

    def add_channel(self, target: Channel, actor: Member | None) -> str:
        item: dict[str, Any] = {
            "id": str(target.id),
            "name": target.name,
            "type": target.type,
            "permissions": str(actor.permissions_in(target) if actor else 0),
        }
        if target.parent_id:
            item["parent_id"] = str(target.parent_id)
        if target.is_thread:
            item["thread_metadata"] = shapes.thread_metadata(target)
        self.data.setdefault("channels", {})[str(target.id)] = item
        return str(target.id)

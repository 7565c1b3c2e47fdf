"""Messages and their attachments (their JSON: :mod:`sandbox.shapes`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sandbox import wallclock
from sandbox.limits import EPHEMERAL, LOADING
from sandbox.members import User

if TYPE_CHECKING:
    from sandbox.channels import Channel

# Component types a member can interact with: buttons and the select menus.
BUTTON = 2
SELECT_TYPES = (3, 5, 6, 7, 8)

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


@dataclass(eq=False)
class Attachment:
    id: int
    filename: str
    size: int
    content_type: str | None
    data: bytes = b""


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
    timestamp: float = field(default_factory=wallclock.now)
    edited_timestamp: float | None = None
    deleted: bool = False
    history: list[dict[str, Any]] = field(default_factory=list)  # earlier versions, oldest first
    thread: Channel | None = None  # thread started from this message

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & LOADING)

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
                if c.get("type") == BUTTON or c.get("type") in SELECT_TYPES:
                    out.append(c)
                if "components" in c:
                    walk(c["components"])
                if "accessory" in c:
                    walk([c["accessory"]])
                if "component" in c:
                    walk([c["component"]])

        walk(self.components)
        return out

    def snapshot(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "embeds": list(self.embeds),
            "components": list(self.components),
            "flags": self.flags,
            "edited_timestamp": self.edited_timestamp,
        }

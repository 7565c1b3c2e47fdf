"""Guild scheduled events (``GET /guilds/{id}/scheduled-events``; JSON: shapes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sandbox.members import User

if TYPE_CHECKING:
    from sandbox.channels import Channel
    from sandbox.guilds import Guild


@dataclass(eq=False)
class ScheduledEvent:
    """External events have a location and must end; voice events happen in a channel and may
    have no end time."""

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

"""Members' control over what the bot holds and shows about them (``/privacy``).

Export and delete walk the member-data contract: each repository that holds member data
declares it (``bot.storage.member_data``) and the unit of work lists them, so no feature writes
its own privacy code. Discoverability and blocks go through the member directory, which cancels
whatever is pending for the member in the same transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.errors import Conflict
from bot.services.members import MemberDirectory
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork

# A feature's list of what the member joined, in words, for /privacy show (intro rounds).
Joined = Callable[[UnitOfWork, int, int], Awaitable[list[str]]]


@dataclass(frozen=True)
class PrivacySummary:
    """What ``/privacy show`` states: visibility, snooze, and what is stored."""

    discoverable: bool
    known: bool  # False: the bot stores nothing about the member here yet
    snoozed_until: datetime | None
    stored: dict[str, int]  # a section of the export → how many entries it holds
    rounds: tuple[str, ...] = field(default=())  # the intro rounds joined, in words


@dataclass(frozen=True)
class Block:
    user_id: int
    name: str | None
    since: datetime


class PrivacyService:
    def __init__(
        self, db: Database, directory: MemberDirectory, rounds_joined: Joined | None = None
    ) -> None:
        self.db = db
        self.directory = directory
        self.rounds_joined = rounds_joined

    async def show(self, guild_id: int, user_id: int) -> PrivacySummary:
        export = await self.export(guild_id, user_id)
        async with self.db.read() as uow:
            member = await uow.members.get(guild_id, user_id)
            defaults = await self.directory.settings.defaults_in(uow, guild_id)
            rounds = await self.rounds_joined(uow, guild_id, user_id) if self.rounds_joined else []
        now = self.directory.clock.now()
        snoozed = member.snoozed_until if member and member.standing.snoozed(now) else None
        stored = {
            section: len(value) if isinstance(value, list | dict) else 1
            for section, value in export.items()
        }
        discoverable = member.discoverable if member else defaults.discoverable_by_default
        return PrivacySummary(discoverable, member is not None, snoozed, stored, tuple(rounds))

    async def set_discoverable(self, guild_id: int, user_id: int, discoverable: bool) -> bool:
        """Turning it off cancels everything pending for the member, in the same transaction."""
        async with self.db.transaction() as uow:
            before = await self.directory.ensure(uow, guild_id, user_id)
            # Turning it off cancels what is pending (the directory's consent-withdrawn hook).
            await self.directory.set_discoverable(uow, guild_id, user_id, discoverable)
        return before.discoverable != discoverable

    async def block(self, guild_id: int, blocker_id: int, blocked_id: int) -> bool:
        async with self.db.transaction() as uow:
            return await self.directory.block(uow, guild_id, blocker_id, blocked_id)

    async def unblock(self, guild_id: int, blocker_id: int, blocked_id: int) -> None:
        async with self.db.transaction() as uow:
            if not await self.directory.unblock(uow, guild_id, blocker_id, blocked_id):
                raise Conflict("You have not blocked them.")

    async def blocks(self, guild_id: int, blocker_id: int) -> list[Block]:
        async with self.db.read() as uow:
            made = await uow.blocks.made_by(guild_id, blocker_id)
            records = await uow.members.many(guild_id, (user_id for user_id, _ in made))
        return [
            Block(user_id, records[user_id].display_name if user_id in records else None, since)
            for user_id, since in made
        ]

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        """Every stored field about the member in this server, one section per kind of data."""
        export: dict[str, Any] = {}
        async with self.db.read() as uow:
            for repository in uow.member_data:
                part = await repository.export_member(guild_id, user_id)
                clash = export.keys() & part.keys()
                assert not clash, f"{type(repository).__name__} reuses the sections {clash}"
                export.update(part)
        return export

    async def delete(self, guild_id: int, user_id: int) -> int:
        """Delete everything about the member in this server in one transaction; rows touched."""
        async with self.db.transaction() as uow:
            await self.directory.consent_withdrawn(uow, guild_id, user_id)
            touched = 0
            for repository in uow.member_data:
                touched += await repository.delete_member(guild_id, user_id)
            self.directory.member_deleted(uow, guild_id, user_id)
        return touched

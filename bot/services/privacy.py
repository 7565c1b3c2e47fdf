"""Members' control over what the bot holds and shows about them (``/privacy``).

Export and delete walk the member-data contract: each repository that holds member data
declares it (``bot.storage.member_data``) and the unit of work lists them, so no feature writes
its own privacy code. Discoverability and blocks go through the member directory, which cancels
whatever is pending for the member in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.domain.errors import Conflict
from bot.domain.events import Event, local_today, oldest_live_end
from bot.domain.text import plural
from bot.services.members import MemberDirectory
from bot.services.moderation_log import log_bot_notice
from bot.services.privacy_export import build_export, counts, member_tables
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

PURGED = (
    "Deleted everything I stored about {} who left the server longer ago than the retention "
    "period (`/setup defaults departed_retention_days`)."
)
# A feature's list of what the member joined, in words, for /privacy show (intro rounds).
Joined = Callable[[UnitOfWork, int, int], Awaitable[list[str]]]


@dataclass(frozen=True)
class PrivacySummary:
    """What ``/privacy show`` states: visibility, snooze, and what is stored."""

    discoverable: bool | None  # None: asked in DMs, where it differs per server
    known: bool  # False: the bot stores nothing about the member here yet
    snoozed_until: datetime | None
    stored: dict[str, int]  # what a table holds (its description) → how many records
    servers: int = 1
    events: tuple[Event, ...] = ()  # the events I attend whose attendance has not faded
    rounds: tuple[str, ...] = ()  # the intro rounds joined, in words


@dataclass(frozen=True)
class Deleted:
    servers: int  # how many servers held something about the member
    rows: int  # rows deleted or anonymised


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
        self.clock = directory.clock
        self.rounds_joined = rounds_joined

    async def show(self, guild_id: int | None, user_id: int) -> PrivacySummary:
        """What is stored about the member here (None: in every server, asked from DMs)."""
        export = await self.export(guild_id, user_id)
        stored = counts(export)
        servers = len(export["servers"])
        if guild_id is None:
            return PrivacySummary(None, bool(stored), None, stored, servers)
        async with self.db.read() as uow:
            member = await uow.members.get(guild_id, user_id)
            defaults = await self.directory.settings.defaults_in(uow, guild_id)
            now = self.clock.now()
            today = local_today(now, defaults.timezone)
            live_from = oldest_live_end(today, defaults.event_retention_days)
            events = await uow.events.events_of(guild_id, user_id, live_from=live_from)
            rounds = await self.rounds_joined(uow, guild_id, user_id) if self.rounds_joined else []
        snoozed = member.snoozed_until if member and member.standing.snoozed(now) else None
        discoverable = member.discoverable if member else defaults.discoverable_by_default
        return PrivacySummary(
            discoverable, member is not None, snoozed, stored, servers, tuple(events), tuple(rounds)
        )

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

    # -- export and delete ----------------------------------------------------------------------

    async def export(self, guild_id: int | None, user_id: int) -> dict[str, Any]:
        """Every stored field about the member in ``guild_id`` (None: every server)."""
        async with self.db.read() as uow:
            return await build_export(uow, guild_id, user_id, now=self.clock.now())

    async def delete(self, guild_id: int | None, user_id: int) -> Deleted:
        """Everything about the member in ``guild_id`` (None: every server; what is kept across
        servers goes with the last one) in one transaction: pending items are cancelled first,
        blocks are kept only as the hashed anti-abuse record."""
        async with self.db.transaction() as uow:
            if guild_id is not None:
                guilds = [guild_id]
            else:
                guilds = sorted(await uow.member_rows.servers_of(user_id, _declared(uow)))
            touched = 0
            for guild in guilds:
                touched += await self._delete_in(uow, guild, user_id)
            touched += await self._forget_if_gone(uow, user_id)
        return Deleted(len(guilds), touched)

    async def _delete_in(self, uow: UnitOfWork, guild_id: int, user_id: int) -> int:
        await self.directory.consent_withdrawn(uow, guild_id, user_id)
        touched = 0
        for repository in uow.member_data:
            touched += await repository.delete_member(guild_id, user_id)
        self.directory.member_deleted(uow, guild_id, user_id)
        return touched

    async def _forget_if_gone(self, uow: UnitOfWork, user_id: int) -> int:
        """What is kept across servers goes with the last server that knew them."""
        if not await uow.outbox.holds_unscoped(user_id):
            return 0  # the common case, and no scan of every table for the member's servers
        if await uow.member_rows.servers_of(user_id, _declared(uow)):
            return 0
        return await uow.outbox.forget_everywhere(user_id)

    # -- members who left -----------------------------------------------------------------------

    async def member_left(self, guild_id: int, user_id: int) -> None:
        """Discord answered 10007 Unknown Member: the retention period starts."""
        async with self.db.transaction() as uow:
            marked = await uow.members.mark_departed(guild_id, user_id, now=self.clock.now())
        if marked:
            self.directory.forget_name(guild_id, user_id)  # their next interaction is seen
            log.info("Member %s left server %s; data kept until retention ends", user_id, guild_id)

    async def purge_departed(self) -> int:
        """Delete everything about members gone longer than their server's retention period,
        one transaction per member (the same delete as /privacy delete); how many. Moderators
        read how many in the moderation log, never who."""
        now = self.clock.now()
        due: dict[int, list[int]] = {}
        async with self.db.read() as uow:
            retention: dict[int, timedelta] = {}
            for guild_id, user_id, since in await uow.members.departed(before=now):
                if guild_id not in retention:
                    defaults = await self.directory.settings.defaults_in(uow, guild_id)
                    retention[guild_id] = timedelta(days=defaults.departed_retention_days)
                if since + retention[guild_id] <= now:
                    due.setdefault(guild_id, []).append(user_id)
        purged = 0
        for guild_id, user_ids in due.items():
            here = sum([await self._purge(guild_id, user_id) for user_id in user_ids])
            if here:
                async with self.db.transaction() as uow:
                    text = PURGED.format(plural(here, "member"))
                    await log_bot_notice(uow, guild_id, text, now=now)
            purged += here
        if purged:
            log.info("Purged the data of %d members who left", purged)
        return purged

    async def _purge(self, guild_id: int, user_id: int) -> bool:
        async with self.db.transaction() as uow:
            member = await uow.members.get(guild_id, user_id)
            if member is None or member.departed_at is None:  # back since, or deleted
                return False
            await self._delete_in(uow, guild_id, user_id)
            await self._forget_if_gone(uow, user_id)
        return True


def _declared(uow: UnitOfWork) -> dict[str, tuple[str, ...]]:
    return {table.name: table.columns for table in member_tables(uow)}

"""Members and intro rounds: join, leave, skip, history, "Did you meet?" answers, the ghost DM.

Joining requires being discoverable. Withdrawing consent (discoverable off, a block, deleting
one's data) cancels, in the same transaction, the round threads not yet opened that hold the
member (with the blocked person, for a block) and the round DMs still queued for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.domain.errors import Conflict, NotFound
from bot.domain.rounds.rules import EVERY_SCHEDULE, PAUSE_FOR, GhostChoice, MeetAnswer
from bot.services.members import MemberDirectory
from bot.services.rounds.running import group_key, unplaced_key
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PastGroup:
    label: str
    when: datetime
    others: tuple[tuple[int, str | None], ...]  # (user id, display name)
    answer: str | None


class RoundMembers:
    def __init__(self, db: Database, clock: Clock, directory: MemberDirectory) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory
        directory.on_consent_withdrawn(self.withdrawn)

    async def join(self, guild_id: int, user_id: int, schedule_id: int | None = None) -> bool:
        """Join one schedule's rounds (or every round here); False if already in."""
        now = self.clock.now()
        async with self.db.transaction() as uow:
            member = await self.directory.ensure(uow, guild_id, user_id)
            if not member.discoverable:
                raise Conflict(
                    "Rounds introduce you to people, so you need to be discoverable first: "
                    "use /privacy discoverable on."
                )
            if schedule_id is not None and await uow.rounds.schedule(guild_id, schedule_id) is None:
                raise NotFound("There is no such intro round schedule here.")
            joined = await uow.rounds.join(
                guild_id, user_id, EVERY_SCHEDULE if schedule_id is None else schedule_id, now=now
            )
            # Joining again brings back a ghost or a paused member.
            await uow.rounds.set_state(
                guild_id, [user_id], ghost=False, paused_until=None, counted_since=now
            )
        return joined

    async def leave(self, guild_id: int, user_id: int) -> None:
        async with self.db.transaction() as uow:
            if not await uow.rounds.leave(guild_id, user_id):
                raise Conflict("You are not in the intro rounds here.")

    async def skip(self, guild_id: int, user_id: int) -> None:
        async with self.db.transaction() as uow:
            await self._joined(uow, guild_id, user_id)
            await uow.rounds.set_state(guild_id, [user_id], skip_next=True)

    async def _joined(self, uow: UnitOfWork, guild_id: int, user_id: int) -> None:
        if await uow.rounds.participation(guild_id, user_id) is None:
            raise Conflict("You are not in the intro rounds here: join with /rounds join.")

    async def history(self, guild_id: int, user_id: int) -> list[PastGroup]:
        async with self.db.read() as uow:
            entries = await uow.rounds.history(guild_id, user_id)
            ids = {u for e in entries for u in e.others}
            records = await uow.members.many(guild_id, ids)
        return [
            PastGroup(
                e.label,
                e.when,
                tuple((u, records[u].display_name if u in records else None) for u in e.others),
                e.answer,
            )
            for e in entries
        ]

    async def joined_labels(self, uow: UnitOfWork, guild_id: int, user_id: int) -> list[str]:
        """For /privacy show: which rounds the member joined, in words."""
        labels = []
        for schedule_id in await uow.rounds.joined(guild_id, user_id):
            schedule = await uow.rounds.schedule(guild_id, schedule_id)
            if schedule_id == EVERY_SCHEDULE:
                labels.append("every intro round in this server")
            elif schedule is not None:
                labels.append(f"intro rounds in <#{schedule.channel_id}> ({schedule.cadence})")
        return labels

    # -- buttons --------------------------------------------------------------------------------

    async def answer(self, group_id: int, user_id: int, answer: MeetAnswer) -> None:
        async with self.db.transaction() as uow:
            if not await uow.rounds.answer(group_id, user_id, answer, now=self.clock.now()):
                raise NotFound("This check-in is for the people of this group.")

    async def ghost_choice(self, guild_id: int, user_id: int, choice: GhostChoice) -> str:
        now = self.clock.now()
        async with self.db.transaction() as uow:
            if choice is GhostChoice.LEAVE:
                await uow.rounds.leave(guild_id, user_id)
                return "You've left the intro rounds. Join again any time with /rounds join."
            await self._joined(uow, guild_id, user_id)
            if choice is GhostChoice.KEEP:
                await uow.rounds.set_state(guild_id, [user_id], ghost=False, counted_since=now)
                return "Great, you're back in from the next round."
            until = now + PAUSE_FOR
            await uow.rounds.set_state(
                guild_id, [user_id], ghost=False, paused_until=until, counted_since=until
            )
        return f"Paused: you're back in the rounds from <t:{int(until.timestamp())}:D>."

    # -- consent --------------------------------------------------------------------------------

    async def withdrawn(
        self, uow: UnitOfWork, guild_id: int, user_id: int, other_id: int | None = None
    ) -> None:
        now = self.clock.now()
        groups = await uow.rounds.unsent_groups_with(guild_id, user_id)
        if other_id is not None:
            groups = [g for g in groups if other_id in g.member_ids]
        keys = [group_key(g.round_id, g.id) for g in groups]
        if other_id is None:
            recent = await uow.rounds.open_round_ids(guild_id)
            keys += [unplaced_key(r, user_id) for r in recent]
            keys += [f"round:{r}:ghost:{user_id}" for r in recent]
        await uow.outbox.cancel(keys, now=now)

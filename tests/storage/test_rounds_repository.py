"""The intro rounds repository on the real migrated database: schedules, participants, one
round per source, check-ins due, and the member-data contract."""

from __future__ import annotations

from datetime import date

from bot.domain.rounds.rules import EVERY_SCHEDULE
from bot.domain.schedules import Cadence
from bot.storage.database import Database
from bot.storage.repositories.rounds import Participation, RoundRow, RoundsRepository
from tests.storage.repository_support import (
    add_schedules_around,
    claim,
    declares_member_data,
    member_rows,
    round_schedule_values,
)
from tests.storage.world import ALICE, BOB, CARL, DAY, GUILD, NOW, OTHER


async def test_schedules_round_trip_per_server(database: Database) -> None:
    async with database.transaction() as uow:
        rounds = uow.rounds
        first = await rounds.add_schedule(round_schedule_values(GUILD, NOW, tag_id=11))
        second = await rounds.add_schedule(round_schedule_values(GUILD, NOW + DAY))
        await rounds.add_schedule(round_schedule_values(OTHER, NOW))
        assert (first.cadence, first.weekday, first.group_size) == (Cadence.BIWEEKLY, 2, 2)
        assert (first.tag_id, first.cooldown_rounds, first.last_slot_at) == (11, 3, None)
        assert first.anchor == date(2027, 3, 3)
    async with database.transaction() as uow:
        rounds = uow.rounds
        assert await rounds.schedule(GUILD, first.id) == first
        assert await rounds.schedule(OTHER, first.id) is None
        assert [s.id for s in await rounds.schedules(GUILD)] == [first.id, second.id]
        await rounds.update_schedule(first.id, paused=True, last_slot_at=NOW)
        updated = await rounds.schedule(GUILD, first.id)
        assert updated is not None
        assert (updated.paused, updated.last_slot_at) == (True, NOW)
        await rounds.join(GUILD, BOB, second.id, now=NOW)
        await rounds.join(GUILD, BOB, EVERY_SCHEDULE, now=NOW)
        assert not await rounds.remove_schedule(OTHER, second.id)
        assert await rounds.remove_schedule(GUILD, second.id)  # its joins go with it
        assert not await rounds.remove_schedule(GUILD, second.id)
        assert await rounds.joined(GUILD, BOB) == [EVERY_SCHEDULE]


async def test_due_and_the_earliest_wake(database: Database) -> None:
    async with database.transaction() as uow:
        rounds = uow.rounds
        assert await rounds.earliest_wake() is None
        due = await add_schedules_around(rounds.add_schedule, round_schedule_values)
        assert [s.id for s in await rounds.due(now=NOW)] == due
        assert [s.id for s in await rounds.due(now=NOW, limit=1)] == due[:1]
        assert await rounds.earliest_wake() == NOW - DAY
        await claim(uow, "event:1", checkin_at=NOW - 2 * DAY)  # a check-in comes sooner
        assert await rounds.earliest_wake() == NOW - 2 * DAY


async def test_participants_once_per_schedule_and_their_state(database: Database) -> None:
    async with database.transaction() as uow:
        rounds = uow.rounds
        schedule = await rounds.add_schedule(round_schedule_values(GUILD, NOW))
        assert await rounds.join(GUILD, ALICE, EVERY_SCHEDULE, now=NOW)
        assert not await rounds.join(GUILD, ALICE, EVERY_SCHEDULE, now=NOW + DAY)  # once
        assert await rounds.join(GUILD, ALICE, schedule.id, now=NOW)
        assert await rounds.join(GUILD, BOB, schedule.id, now=NOW)
        assert await rounds.join(GUILD, CARL, schedule.id + 1, now=NOW)
        assert await rounds.join(OTHER, ALICE, EVERY_SCHEDULE, now=NOW)
        await rounds.set_state(GUILD, [ALICE], skip_next=True, paused_until=NOW + DAY)
        await rounds.set_state(GUILD, [], ghost=True)  # nobody: nothing changes
    async with database.transaction() as uow:
        rounds = uow.rounds
        assert await rounds.joined(GUILD, ALICE) == [EVERY_SCHEDULE, schedule.id]
        alice = Participation(ALICE, True, False, NOW + DAY, NOW)  # every row of hers changed
        assert await rounds.participation(GUILD, ALICE) == alice
        assert await rounds.participation(GUILD, CARL + 1) is None
        bob = Participation(BOB, False, False, None, NOW)
        assert await rounds.participants(GUILD, schedule.id) == [alice, bob]  # once each
        assert await rounds.participants(GUILD, None) == [alice]  # the server-wide joins
        other = await rounds.participation(OTHER, ALICE)
        assert other is not None
        assert not other.skip_next
        assert await rounds.leave(GUILD, ALICE) == 2
        assert await rounds.leave(GUILD, ALICE) == 0
        assert await rounds.joined(OTHER, ALICE) == [EVERY_SCHEDULE]


async def test_a_source_makes_one_round_and_check_ins_come_due(database: Database) -> None:
    async with database.transaction() as uow:
        rounds = uow.rounds
        first = await claim(uow, "slot:1", checkin_at=NOW + DAY)
        assert first is not None
        assert await claim(uow, "slot:1", checkin_at=NOW) is None  # that source ran already
        second = await claim(uow, "slot:2", guild=OTHER, checkin_at=NOW)
        assert second is not None
        third = await claim(uow, "slot:3")  # no check-in
        assert await rounds.round(first) == RoundRow(
            first, GUILD, None, None, 60, "round slot:1", NOW, NOW + DAY
        )
        assert await rounds.round(first + 100) is None
        assert sorted(await rounds.open_round_ids(GUILD)) == [first, third]
        due = await rounds.checkins_due(now=NOW + DAY)
        assert [r.id for r in due] == [second, first]
        assert [r.id for r in await rounds.checkins_due(now=NOW + DAY, limit=1)] == [second]
        await rounds.update_round(second, checkin_done=True)
        assert [r.id for r in await rounds.checkins_due(now=NOW + DAY)] == [first]
        assert await rounds.open_round_ids(OTHER) == []


async def test_member_data_export_and_delete(database: Database) -> None:
    async with database.transaction() as uow:
        assert declares_member_data(uow, uow.rounds)
        rounds = uow.rounds
        schedule = await rounds.add_schedule(round_schedule_values(GUILD, NOW, created_by=ALICE))
        await rounds.join(GUILD, ALICE, schedule.id, now=NOW)
        await rounds.join(GUILD, BOB, schedule.id, now=NOW)
        await rounds.join(OTHER, ALICE, EVERY_SCHEDULE, now=NOW)
        round_id = await claim(uow, "slot:1")
        assert round_id is not None
        group = await rounds.add_group(round_id, GUILD, [ALICE, BOB])
    declared = RoundsRepository.member_columns
    found = await member_rows(database, declared, ALICE, GUILD)
    assert [r["id"] for r in found["round_schedules"]] == [schedule.id]
    assert [r["schedule_id"] for r in found["round_participants"]] == [schedule.id]
    assert [r["group_id"] for r in found["round_group_members"]] == [group]

    async with database.transaction() as uow:
        assert await uow.rounds.delete_member(GUILD, ALICE) == 2  # her join and her place
        assert await uow.rounds.delete_member(GUILD, ALICE) == 0
    assert all(
        rows == [] for rows in (await member_rows(database, declared, ALICE, GUILD)).values()
    )
    async with database.read() as uow:
        assert await uow.rounds.schedule(GUILD, schedule.id) is not None  # stays, unsigned
        found_group = await uow.rounds.group(group)
        assert found_group is not None
        assert found_group.member_ids == (BOB,)
        assert await uow.rounds.joined(OTHER, ALICE) == [EVERY_SCHEDULE]

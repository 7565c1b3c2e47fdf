"""The queries every recurring schedule table shares, on the real migrated database: one row
mapping for every feature's schedule type, and the wake a feature may widen."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.icebreakers import Schedule
from bot.domain.rounds.rules import RoundSchedule
from bot.storage.database import Database
from bot.storage.repositories.schedules import schedule_from_row
from bot.storage.schema.icebreakers import icebreaker_schedules
from bot.storage.schema.rounds import round_schedules
from tests.storage.repository_support import (
    claim,
    icebreaker_schedule_values,
    round_schedule_values,
)
from tests.storage.world import DAY, GUILD, NOW


async def test_one_mapping_reads_each_features_own_fields_by_name(database: Database) -> None:
    async with database.transaction() as uow:
        ice = await uow.icebreakers.add_schedule(icebreaker_schedule_values(GUILD, NOW))
        round_ = await uow.rounds.add_schedule(round_schedule_values(GUILD, NOW, tag_id=11))
        ice_row = (await uow.conn.execute(select(icebreaker_schedules))).one()
        round_row = (await uow.conn.execute(select(round_schedules))).one()
    assert schedule_from_row(ice_row, Schedule) == ice
    assert schedule_from_row(round_row, RoundSchedule) == round_
    assert (ice.skip_if_quiet, ice.thread, ice.cycle) == (True, False, 0)
    assert type(ice.skip_if_quiet) is bool  # a bool field is a bool, whatever the driver says
    assert (round_.group_size, round_.tag_id, round_.cooldown_rounds) == (2, 11, 3)


async def test_the_wake_is_the_earliest_next_slot_unless_a_feature_widens_it(
    database: Database,
) -> None:
    async with database.transaction() as uow:
        await uow.icebreakers.add_schedule(icebreaker_schedule_values(GUILD, NOW + DAY))
        await uow.icebreakers.add_schedule(icebreaker_schedule_values(GUILD, NOW, paused=True))
        assert await uow.icebreakers.earliest_wake() == NOW + DAY
        assert await uow.icebreakers.earliest_next_slot() == NOW + DAY
        await uow.rounds.add_schedule(round_schedule_values(GUILD, NOW + 2 * DAY))
        await claim(uow, "event:1", checkin_at=NOW + DAY / 2)  # a check-in comes sooner
        assert await uow.rounds.earliest_next_slot() == NOW + 2 * DAY
        assert await uow.rounds.earliest_wake() == NOW + DAY / 2

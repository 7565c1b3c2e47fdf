"""The icebreakers repository on the real migrated database: schedules, one post per slot,
prompt pools without duplicates, suggestions decided once, and the member-data contract."""

from __future__ import annotations

from bot.domain.schedules import Cadence
from bot.storage.database import Database
from bot.storage.repositories.icebreakers import IcebreakersRepository
from bot.storage.schema.icebreakers import icebreaker_posts
from tests.storage.repository_support import (
    add_schedules_around,
    count_rows,
    declares_member_data,
    icebreaker_schedule_values,
    member_rows,
)
from tests.storage.world import ALICE, BOB, DAY, GUILD, NOW, OTHER


async def test_schedules_round_trip_per_server(database: Database) -> None:
    async with database.transaction() as uow:
        icebreakers = uow.icebreakers
        first = await icebreakers.add_schedule(icebreaker_schedule_values(GUILD, NOW + DAY))
        second = await icebreakers.add_schedule(icebreaker_schedule_values(GUILD, NOW, thread=True))
        elsewhere = await icebreakers.add_schedule(icebreaker_schedule_values(OTHER, NOW))
        assert (first.cadence, first.local_time, first.weekday) == (Cadence.WEEKLY, "09:00", 0)
        assert (first.next_slot_at, first.last_slot_at) == (NOW + DAY, None)
        assert second.thread
        assert not first.thread
    async with database.transaction() as uow:
        icebreakers = uow.icebreakers
        assert await icebreakers.schedule(GUILD, first.id) == first
        assert await icebreakers.schedule(OTHER, first.id) is None
        assert await icebreakers.schedule_by_id(elsewhere.id) == elsewhere
        assert [s.id for s in await icebreakers.schedules(GUILD)] == [first.id, second.id]
        assert await icebreakers.schedule_count() == 3
        await icebreakers.update_schedule(first.id, paused=True, last_slot_at=NOW, cycle=2)
        updated = await icebreakers.schedule(GUILD, first.id)
        assert updated is not None
        assert (updated.paused, updated.last_slot_at, updated.cycle) == (True, NOW, 2)
        assert not await icebreakers.remove_schedule(OTHER, second.id)
        assert await icebreakers.remove_schedule(GUILD, second.id)
        assert not await icebreakers.remove_schedule(GUILD, second.id)
        assert [s.id for s in await icebreakers.schedules(GUILD)] == [first.id]


async def test_due_and_earliest_slot_skip_paused_schedules(database: Database) -> None:
    async with database.transaction() as uow:
        icebreakers = uow.icebreakers
        assert await icebreakers.earliest_next_slot() is None
        due = await add_schedules_around(icebreakers.add_schedule, icebreaker_schedule_values)
    async with database.read() as uow:
        icebreakers = uow.icebreakers
        assert [s.id for s in await icebreakers.due(now=NOW)] == due
        assert [s.id for s in await icebreakers.due(now=NOW, limit=1)] == due[:1]
        assert await icebreakers.earliest_next_slot() == NOW - DAY


async def test_a_slot_is_claimed_once_and_counted_when_posted(database: Database) -> None:
    async with database.transaction() as uow:
        icebreakers = uow.icebreakers
        schedule = await icebreakers.add_schedule(icebreaker_schedule_values(GUILD, NOW))
        elsewhere = await icebreakers.add_schedule(icebreaker_schedule_values(OTHER, NOW))
        await icebreakers.add_prompts(
            GUILD, [("Q1", "q1"), ("Q2", "q2")], source="m", by=None, now=NOW
        )
        q1, q2 = await icebreakers.prompt_ids(GUILD)
        claim = icebreakers.claim_slot
        assert await claim(schedule.id, NOW, prompt_id=q1, cycle=0, state="queued", now=NOW)
        assert not await claim(schedule.id, NOW, prompt_id=q2, cycle=0, state="queued", now=NOW)
        await claim(schedule.id, NOW + DAY, prompt_id=q2, cycle=0, state="quiet", now=NOW)
        await claim(schedule.id, NOW + 2 * DAY, prompt_id=q2, cycle=1, state="queued", now=NOW)
        await claim(elsewhere.id, NOW, prompt_id=None, cycle=0, state="posted", now=NOW)
        assert await icebreakers.used_in_cycle(schedule.id, 0) == {q1}  # a quiet slot used none
        await icebreakers.set_post_state(schedule.id, NOW, "posted")
        await icebreakers.set_post_state(schedule.id, NOW + 2 * DAY, "posted")
    async with database.read() as uow:
        icebreakers = uow.icebreakers
        assert await icebreakers.posts(schedule.id) == [
            (NOW, q1, "posted"),
            (NOW + DAY, q2, "quiet"),
            (NOW + 2 * DAY, q2, "posted"),
        ]
        assert await icebreakers.used_in_cycle(schedule.id, 1) == {q2}
        assert await icebreakers.posted_count(GUILD, NOW) == 2
        assert await icebreakers.posted_count(GUILD, NOW + DAY) == 1
        assert await icebreakers.posted_count(OTHER, NOW) == 1
        assert await icebreakers.posted_slots(GUILD, NOW, NOW + 2 * DAY) == [NOW]
        assert await icebreakers.posted_slots(OTHER, NOW + DAY, NOW + 2 * DAY) == []
    async with database.transaction() as uow:  # removing a schedule takes its posts with it
        assert await uow.icebreakers.remove_schedule(GUILD, schedule.id)
    assert await count_rows(database, icebreaker_posts) == 1


async def test_prompt_pool_per_server_without_duplicates(database: Database) -> None:
    async with database.transaction() as uow:
        icebreakers = uow.icebreakers
        pack = [("Best trip?", "best trip?"), ("First job?", "first job?")]
        assert await icebreakers.add_prompts(GUILD, pack, source="pack:pt", by=None, now=NOW) == 2
        again = [("BEST trip?", "best trip?"), ("Pets?", "pets?")]
        assert (
            await icebreakers.add_prompts(GUILD, again, source="moderator", by=ALICE, now=NOW) == 1
        )
        assert await icebreakers.add_prompts(OTHER, pack, source="pack:pt", by=None, now=NOW) == 2
    async with database.transaction() as uow:
        icebreakers = uow.icebreakers
        listed = await icebreakers.prompts(GUILD)
        assert [(text, source) for _, text, source in listed] == [
            ("Best trip?", "pack:pt"),
            ("First job?", "pack:pt"),
            ("Pets?", "moderator"),
        ]
        first_id = listed[0][0]
        assert sorted(await icebreakers.prompt_ids(GUILD)) == [i for i, _, _ in listed]
        assert await icebreakers.prompt(GUILD, first_id) == (first_id, "Best trip?")
        assert await icebreakers.prompt(OTHER, first_id) is None
        assert not await icebreakers.remove_prompt(OTHER, first_id)
        assert await icebreakers.remove_prompt(GUILD, first_id)
        assert await icebreakers.prompt(GUILD, first_id) is None
        assert len(await icebreakers.prompts(OTHER)) == 2


async def test_suggestions_are_decided_once(database: Database) -> None:
    async with database.transaction() as uow:
        icebreakers = uow.icebreakers
        first = await icebreakers.add_suggestion(GUILD, ALICE, "Coffee or tea?", now=NOW)
        second = await icebreakers.add_suggestion(GUILD, BOB, "Cats or dogs?", now=NOW + DAY)
        third = await icebreakers.add_suggestion(GUILD, ALICE, "Beach or hills?", now=NOW)
        await icebreakers.add_suggestion(OTHER, ALICE, "Elsewhere?", now=NOW)
        assert await icebreakers.pending_count(GUILD) == 3
        assert await icebreakers.pending_by(GUILD, ALICE) == 2
        page = await icebreakers.pending_suggestions(GUILD, limit=2, offset=1)
        assert page == [
            (second, BOB, "Cats or dogs?", NOW + DAY),
            (third, ALICE, "Beach or hills?", NOW),
        ]
        decide = icebreakers.decide_suggestion
        assert await decide(OTHER, first, "approved", by=BOB, now=NOW) is None
        assert await decide(GUILD, first, "approved", by=BOB, now=NOW) == (ALICE, "Coffee or tea?")
        assert await decide(GUILD, first, "rejected", by=BOB, now=NOW) is None  # once
        assert [s[0] for s in await icebreakers.pending_suggestions(GUILD)] == [second, third]
        assert await icebreakers.pending_by(GUILD, ALICE) == 1
        assert await icebreakers.pending_count(OTHER) == 1


async def test_member_data_export_and_delete(database: Database) -> None:
    async with database.transaction() as uow:
        assert declares_member_data(uow, uow.icebreakers)
        icebreakers = uow.icebreakers
        schedule = await icebreakers.add_schedule(
            icebreaker_schedule_values(GUILD, NOW, created_by=ALICE)
        )
        await icebreakers.add_prompts(
            GUILD, [("Mine?", "mine?")], source="moderator", by=ALICE, now=NOW
        )
        mine = await icebreakers.add_suggestion(GUILD, ALICE, "Tea?", now=NOW)
        bobs = await icebreakers.add_suggestion(GUILD, BOB, "Dogs?", now=NOW)
        await icebreakers.decide_suggestion(GUILD, bobs, "rejected", by=ALICE, now=NOW)
        await icebreakers.add_suggestion(OTHER, ALICE, "Elsewhere?", now=NOW)
    declared = IcebreakersRepository.member_columns
    found = await member_rows(database, declared, ALICE, GUILD)
    assert [r["id"] for r in found["icebreaker_schedules"]] == [schedule.id]
    assert [r["text"] for r in found["icebreaker_prompts"]] == ["Mine?"]
    assert sorted(r["id"] for r in found["icebreaker_suggestions"]) == [mine, bobs]

    async with database.transaction() as uow:
        assert await uow.icebreakers.delete_member(GUILD, ALICE) == 1  # her own suggestion
        assert await uow.icebreakers.delete_member(GUILD, ALICE) == 0
    assert await member_rows(database, declared, ALICE, GUILD) == {
        "icebreaker_schedules": [],
        "icebreaker_prompts": [],
        "icebreaker_suggestions": [],
    }
    async with database.read() as uow:  # what the server uses stays, unsigned
        assert await uow.icebreakers.schedule(GUILD, schedule.id) is not None
        assert [text for _, text, _ in await uow.icebreakers.prompts(GUILD)] == ["Mine?"]
        assert await uow.icebreakers.pending_count(OTHER) == 1
    bob = await member_rows(database, declared, BOB, GUILD)
    assert [(r["text"], r["decided_by"]) for r in bob["icebreaker_suggestions"]] == [
        ("Dogs?", None)
    ]

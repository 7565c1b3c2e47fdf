"""Intro rounds' groups (``RoundGroups``, part of the rounds repository) on the real migrated
database: groups and their threads, answers, the pairs rounds made, history and report counts."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.rounds.grouping import pair
from bot.domain.rounds.rules import MeetAnswer
from bot.storage.database import Database
from bot.storage.repositories.round_groups import GroupRow, HistoryEntry
from bot.storage.unit_of_work import UnitOfWork
from tests.storage.repository_support import schedule_columns
from tests.storage.world import ALICE, BOB, CARL, DAN, DAY, GUILD, HOUR, NOW, OTHER, WEEK


async def a_round(
    uow: UnitOfWork,
    source: str,
    *,
    at: datetime = NOW,
    guild: int = GUILD,
    schedule_id: int | None = None,
) -> int:
    round_id = await uow.rounds.claim_round(
        {
            "guild_id": guild,
            "schedule_id": schedule_id,
            "slot": at if schedule_id is not None else None,
            "source_key": source,
            "channel_id": 60,
            "label": source,
            "group_size": 2,
            "created_at": at,
        }
    )
    assert round_id is not None
    return round_id


async def test_groups_their_members_and_threads(database: Database) -> None:
    async with database.transaction() as uow:
        rounds = uow.rounds
        round_id = await a_round(uow, "r1")
        first = await rounds.add_group(round_id, GUILD, [BOB, ALICE])
        second = await rounds.add_group(round_id, GUILD, [CARL, DAN])
        other_round = await a_round(uow, "r2")
        await rounds.add_group(other_round, GUILD, [ALICE, CARL])
        await rounds.set_thread(first, 700)
    async with database.read() as uow:
        rounds = uow.rounds
        assert await rounds.groups(round_id) == [
            GroupRow(first, round_id, GUILD, 700, (ALICE, BOB)),
            GroupRow(second, round_id, GUILD, None, (CARL, DAN)),
        ]
        assert await rounds.group(second) == GroupRow(second, round_id, GUILD, None, (CARL, DAN))
        assert await rounds.group(second + 100) is None
        unsent = await rounds.unsent_groups_with(GUILD, ALICE)  # the threadless one only
        assert [g.round_id for g in unsent] == [other_round]
        assert await rounds.unsent_groups_with(OTHER, ALICE) == []


async def test_answers_only_from_the_groups_members(database: Database) -> None:
    async with database.transaction() as uow:
        rounds = uow.rounds
        round_id = await a_round(uow, "r1")
        group = await rounds.add_group(round_id, GUILD, [ALICE, BOB])
        await rounds.add_group(round_id, GUILD, [CARL, DAN])
        assert await rounds.answer(group, ALICE, MeetAnswer.NOT_YET, now=NOW)
        assert await rounds.answer(group, ALICE, MeetAnswer.MET, now=NOW + HOUR)  # changes it
        assert await rounds.answer(group, BOB, MeetAnswer.COULDNT, now=NOW)
        assert not await rounds.answer(group, CARL, MeetAnswer.MET, now=NOW)  # not in it
        assert await rounds.answers(round_id) == {"met": 1, "couldnt": 1, "none": 2}


async def test_last_answers_count_only_asked_check_ins_newest_first(database: Database) -> None:
    async with database.transaction() as uow:
        rounds = uow.rounds
        for n, answer in enumerate((MeetAnswer.MET, None, MeetAnswer.COULDNT)):
            round_id = await a_round(uow, f"r{n}", at=NOW + n * WEEK)
            group = await rounds.add_group(round_id, GUILD, [ALICE, BOB])
            await rounds.mark_asked(group)
            if answer is not None:
                await rounds.answer(group, ALICE, answer, now=NOW + n * WEEK)
        unasked = await a_round(uow, "r9", at=NOW + 9 * WEEK)
        await rounds.add_group(unasked, GUILD, [ALICE, CARL])
        elsewhere = await a_round(uow, "o1", guild=OTHER, at=NOW + 9 * WEEK)
        await rounds.mark_asked(await rounds.add_group(elsewhere, OTHER, [ALICE, CARL]))
    async with database.read() as uow:
        rounds = uow.rounds
        assert await rounds.last_answers(GUILD, ALICE, None) == ["couldnt", None, "met"]
        assert await rounds.last_answers(GUILD, ALICE, NOW + WEEK) == ["couldnt", None]
        assert await rounds.last_answers(OTHER, ALICE, None) == [None]


async def test_pairs_grouped_recently_and_ever(database: Database) -> None:
    async with database.transaction() as uow:
        rounds = uow.rounds
        weekly = schedule_columns(GUILD, NOW, group_size=3, cooldown_rounds=1)
        schedule = await rounds.add_schedule(weekly)
        old = await a_round(uow, "s1", at=NOW, schedule_id=schedule.id)
        await rounds.add_group(old, GUILD, [ALICE, BOB])
        new = await a_round(uow, "s2", at=NOW + WEEK, schedule_id=schedule.id)
        await rounds.add_group(new, GUILD, [ALICE, CARL, DAN])
        loose = await a_round(uow, "event:1")
        await rounds.add_group(loose, GUILD, [BOB, DAN])
        elsewhere = await a_round(uow, "o1", guild=OTHER)
        await rounds.add_group(elsewhere, OTHER, [ALICE, BOB])
    async with database.read() as uow:
        rounds = uow.rounds
        threesome = {pair(ALICE, CARL), pair(ALICE, DAN), pair(CARL, DAN)}
        assert await rounds.recent_pairs(schedule.id, 1) == threesome
        assert await rounds.recent_pairs(schedule.id, 2) == threesome | {pair(ALICE, BOB)}
        assert await rounds.recent_pairs(schedule.id, 0) == set()
        assert await rounds.pairs_in(GUILD) == threesome | {pair(ALICE, BOB), pair(BOB, DAN)}
        assert await rounds.pairs_in(OTHER) == {pair(ALICE, BOB)}


async def test_history_newest_first_with_the_others_in_each_group(database: Database) -> None:
    async with database.transaction() as uow:
        rounds = uow.rounds
        first = await a_round(uow, "first", at=NOW)
        group = await rounds.add_group(first, GUILD, [ALICE, BOB, CARL])
        await rounds.answer(group, ALICE, MeetAnswer.MET, now=NOW)
        second = await a_round(uow, "second", at=NOW + WEEK)
        await rounds.add_group(second, GUILD, [DAN, ALICE])
        await rounds.add_group(await a_round(uow, "o1", guild=OTHER), OTHER, [ALICE, BOB])
    async with database.read() as uow:
        history = await uow.rounds.history(GUILD, ALICE)
        assert history == [
            HistoryEntry("second", NOW + WEEK, (DAN,), None),
            HistoryEntry("first", NOW, (BOB, CARL), "met"),
        ]
        assert await uow.rounds.history(GUILD, ALICE, limit=1) == history[:1]


async def test_report_counts(database: Database) -> None:
    async with database.transaction() as uow:
        rounds = uow.rounds
        this_week = await a_round(uow, "r1", at=NOW)
        first = await rounds.add_group(this_week, GUILD, [ALICE, BOB])
        second = await rounds.add_group(this_week, GUILD, [CARL, DAN])
        await rounds.answer(first, ALICE, MeetAnswer.MET, now=NOW + DAY)
        await rounds.answer(first, BOB, MeetAnswer.MET, now=NOW + WEEK)  # next week
        await rounds.answer(second, CARL, MeetAnswer.NOT_YET, now=NOW + DAY)
        await rounds.answer(second, DAN, MeetAnswer.MET, now=NOW + 3 * WEEK)  # after the window
        too_late = await a_round(uow, "r2", at=NOW + 3 * WEEK)
        await rounds.add_group(too_late, GUILD, [ALICE, CARL])
        elsewhere = await a_round(uow, "o1", guild=OTHER)
        other_group = await rounds.add_group(elsewhere, OTHER, [ALICE, BOB])
        await rounds.answer(other_group, ALICE, MeetAnswer.MET, now=NOW + DAY)
    async with database.read() as uow:
        rounds = uow.rounds
        since, until = NOW, NOW + 2 * WEEK
        assert await rounds.count_groups(GUILD, since, until) == 2
        assert await rounds.count_groups(OTHER, since, until) == 1
        assert await rounds.count_met(GUILD, since, until) == 2
        assert sorted(await rounds.met_times(GUILD, since, until)) == [NOW + DAY, NOW + WEEK]
        assert await rounds.weekly_meetings(GUILD, since, until) == [
            (date(2027, 3, 1), 1),
            (date(2027, 3, 8), 1),
        ]
        assert await rounds.weekly_meetings(OTHER, NOW + WEEK, until) == []

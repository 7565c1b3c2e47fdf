"""The events repository on the real migrated database: events, attendance, fading queries,
report counts and the member-data contract."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.domain.events import draft
from bot.storage.database import Database
from bot.storage.member_data import MemberData
from bot.storage.schema.events import event_attendance, events

NOW = datetime(2027, 1, 6, 12, 0, tzinfo=UTC)  # a Wednesday
GUILD, OTHER = 1, 2
ALICE, BOB, CARL = 100, 200, 300
CSM = draft("CSM 2027", date(2027, 2, 11), date(2027, 2, 13), "San Diego", "https://apta.org")
FALL = draft("Fall Meeting", date(2026, 10, 2), date(2026, 10, 2))


async def rows(db: Database, table: object) -> int:
    async with db.read() as uow:
        return int((await uow.conn.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


async def test_add_get_list_update_and_import_key(database: Database) -> None:
    async with database.transaction() as uow:
        csm = await uow.events.add(GUILD, CSM, at=NOW, by=ALICE)
        fall = await uow.events.add(GUILD, FALL, at=NOW, by=None, discord_event_id=555)
        await uow.events.add(OTHER, CSM, at=NOW, by=None, discord_event_id=555)  # per server
    async with database.transaction() as uow:
        assert await uow.events.get(GUILD, csm.id) == csm
        assert await uow.events.get(OTHER, csm.id) is None  # never across servers
        assert [e.name for e in await uow.events.in_guild(GUILD)] == ["Fall Meeting", "CSM 2027"]
        ending = await uow.events.in_guild(GUILD, ending_from=date(2026, 10, 3))
        assert [e.id for e in ending] == [csm.id]
        assert await uow.events.by_discord_id(GUILD, 555) == fall
        await uow.events.update(
            GUILD, fall.id, draft("Fall Meeting 2026", FALL.start_date, FALL.end_date)
        )
    async with database.read() as uow:
        renamed = await uow.events.get(GUILD, fall.id)
        assert renamed is not None
        assert renamed.name == "Fall Meeting 2026"
        assert renamed.discord_event_id == 555


async def test_attendance_live_and_faded(database: Database) -> None:
    async with database.transaction() as uow:
        csm = await uow.events.add(GUILD, CSM, at=NOW, by=None)
        fall = await uow.events.add(GUILD, FALL, at=NOW, by=None)
        assert await uow.events.attend(GUILD, csm.id, BOB, at=NOW)
        assert not await uow.events.attend(GUILD, csm.id, BOB, at=NOW)  # once
        await uow.events.attend(GUILD, csm.id, ALICE, at=NOW)
        await uow.events.attend(GUILD, fall.id, ALICE, at=NOW)
    async with database.transaction() as uow:
        live_from = date(2026, 10, 2)  # the fall meeting's attendance is still live
        assert await uow.events.attendees(GUILD, csm.id, live_from=live_from) == [ALICE, BOB]
        assert await uow.events.attendees(OTHER, csm.id, live_from=live_from) == []
        mine = await uow.events.events_of(GUILD, ALICE, live_from=live_from)
        assert [e.id for e in mine] == [fall.id, csm.id]
        faded_from = date(2026, 10, 3)
        assert await uow.events.attendees(GUILD, fall.id, live_from=faded_from) == []
        assert [e.id for e in await uow.events.events_of(GUILD, ALICE, live_from=faded_from)] == [
            csm.id
        ]
        assert await uow.events.guilds_with_attendance() == [GUILD]
        assert await uow.events.purge_faded(GUILD, live_from=faded_from) == 1
        assert await uow.events.leave(GUILD, csm.id, BOB)
        assert not await uow.events.leave(GUILD, csm.id, BOB)
    assert await rows(database, event_attendance) == 1  # Alice at CSM


async def test_remove_takes_the_attendance_with_it(database: Database) -> None:
    async with database.transaction() as uow:
        csm = await uow.events.add(GUILD, CSM, at=NOW, by=None)
        await uow.events.attend(GUILD, csm.id, BOB, at=NOW)
        assert not await uow.events.remove(OTHER, csm.id)
        assert await uow.events.remove(GUILD, csm.id)
        assert not await uow.events.remove(GUILD, csm.id)
    assert await rows(database, events) == 0
    assert await rows(database, event_attendance) == 0


async def test_report_counts(database: Database) -> None:
    week = timedelta(days=7)
    async with database.transaction() as uow:
        csm = await uow.events.add(GUILD, CSM, at=NOW, by=None)
        fall = await uow.events.add(GUILD, FALL, at=NOW, by=None)
        await uow.events.attend(GUILD, csm.id, ALICE, at=NOW)
        await uow.events.attend(GUILD, fall.id, ALICE, at=NOW + timedelta(hours=1))
        await uow.events.attend(GUILD, csm.id, BOB, at=NOW + week)
        await uow.events.attend(GUILD, csm.id, CARL, at=NOW + 3 * week)  # outside the window
    async with database.read() as uow:
        since, until = NOW - week, NOW + 2 * week
        assert await uow.events.count_attendance(GUILD, since, until) == 2  # members, once each
        assert await uow.events.count_attendance(OTHER, since, until) == 0
        weekly = await uow.events.weekly_attendance(GUILD, since, until)
    assert weekly == [
        (date(2026, 12, 28), 0),
        (date(2027, 1, 4), 2),
        (date(2027, 1, 11), 1),
        (date(2027, 1, 18), 0),  # the window ends that Wednesday: a partial week, still listed
    ]


async def test_member_data_delete(database: Database) -> None:
    async with database.transaction() as uow:
        assert isinstance(uow.events, MemberData)
        assert uow.events in uow.member_data
        csm = await uow.events.add(GUILD, CSM, at=NOW, by=ALICE)
        await uow.events.attend(GUILD, csm.id, ALICE, at=NOW)
        await uow.events.attend(GUILD, csm.id, BOB, at=NOW)
    async with database.transaction() as uow:
        assert await uow.events.delete_member(GUILD, ALICE) == 1
        assert await uow.events.delete_member(GUILD, ALICE) == 0  # nothing left
        kept = await uow.events.get(GUILD, csm.id)
    assert kept is not None  # the event stays, unsigned
    assert await rows(database, event_attendance) == 1  # Bob's


async def test_attendance_needs_its_event(database: Database) -> None:
    with pytest.raises(IntegrityError):  # the foreign key
        async with database.transaction() as uow:
            await uow.events.attend(GUILD, 9999, ALICE, at=NOW)

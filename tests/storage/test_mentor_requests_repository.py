"""The mentor requests repository on the real migrated database: requests and their statuses,
who was told of each (and who is excluded), routing's counts, and the member-data contract."""

from __future__ import annotations

from bot.domain.mentorship.requests import RequestStatus
from bot.storage.database import Database
from bot.storage.repositories.mentor_requests import MentorRequestsRepository
from bot.storage.schema.mentorship import mentor_matches
from tests.storage.repository_support import (
    count_rows,
    declares_member_data,
    member_rows,
    request_from,
)
from tests.storage.world import ALICE, BOB, CARL, DAN, DAY, GUILD, HOUR, NOW, OTHER

ORTHO = 11


async def test_add_get_and_the_current_request(database: Database) -> None:
    async with database.transaction() as uow:
        made = await uow.mentor_requests.add(
            GUILD, ALICE, tag_id=ORTHO, goals="learn", term_months=6, background="new PT", now=NOW
        )
        assert (made.tag_id, made.goals, made.term_months, made.background) == (
            ORTHO,
            "learn",
            6,
            "new PT",
        )
        assert made.status is RequestStatus.OPEN
        assert (made.created_at, made.opened_at, made.routed_wave) == (NOW, NOW, 0)
        await request_from(uow, ALICE, guild=OTHER)
    async with database.transaction() as uow:
        requests = uow.mentor_requests
        assert await requests.get(made.id) == made
        assert await requests.current_for(GUILD, ALICE) == made
        assert await requests.current_for(GUILD, BOB) is None
        assert await requests.move(made.id, RequestStatus.OPEN, RequestStatus.CANCELLED, now=NOW)
        assert await requests.current_for(GUILD, ALICE) is None  # ended requests are not current
        current = await request_from(uow, ALICE, at=NOW + HOUR)
        await requests.move(current.id, RequestStatus.OPEN, RequestStatus.MATCHED, now=NOW)
        found = await requests.current_for(GUILD, ALICE)
        assert found is not None
        assert found.id == current.id


async def test_move_only_from_the_expected_status_and_stamp_the_end(database: Database) -> None:
    async with database.transaction() as uow:
        made = await request_from(uow, ALICE)
        requests = uow.mentor_requests
        assert await requests.move(made.id, RequestStatus.OPEN, RequestStatus.MATCHED, now=NOW)
        assert not await requests.move(made.id, RequestStatus.OPEN, RequestStatus.EXPIRED, now=NOW)
        matched = await requests.get(made.id)
        assert matched is not None
        assert matched.ended_at is None
        assert await requests.move(
            made.id, RequestStatus.MATCHED, RequestStatus.CLOSED, now=NOW + DAY
        )
        closed = await requests.get(made.id)
    assert closed is not None
    assert (closed.status, closed.ended_at) == (RequestStatus.CLOSED, NOW + DAY)


async def test_routing_queues_in_the_order_opened(database: Database) -> None:
    async with database.transaction() as uow:
        requests = uow.mentor_requests
        fresh = await request_from(uow, ALICE, at=NOW + HOUR)
        routed = await request_from(uow, BOB, at=NOW)
        escalated = await request_from(uow, CARL, at=NOW - DAY, guild=OTHER)
        ended = await request_from(uow, DAN, at=NOW - DAY)
        await requests.set_routed(routed.id, 1)
        await requests.set_routed(escalated.id, 2, escalated_at=NOW)
        await requests.move(ended.id, RequestStatus.OPEN, RequestStatus.CANCELLED, now=NOW)
        await requests.set_card(fresh.id, 77, "card:1")
    async with database.read() as uow:
        requests = uow.mentor_requests
        assert [r.id for r in await requests.to_route()] == [fresh.id]
        due = await requests.due_escalation(opened_before=NOW + HOUR)
        assert [r.id for r in due] == [routed.id]  # routed, not yet escalated
        assert await requests.due_escalation(opened_before=NOW - HOUR) == []
        expiring = await requests.due_expiry(opened_before=NOW + HOUR)
        assert [r.id for r in expiring] == [escalated.id, routed.id, fresh.id]
        assert [r.id for r in await requests.open_in(GUILD)] == [routed.id, fresh.id]
        carded = await requests.get(fresh.id)
        assert carded is not None
        assert carded.card_key == "card:1"
        again = await requests.get(escalated.id)
        assert again is not None
        assert (again.routed_wave, again.escalated_at) == (2, NOW)


async def test_who_was_told_and_who_is_excluded(database: Database) -> None:
    async with database.transaction() as uow:
        requests = uow.mentor_requests
        first = await request_from(uow, ALICE, at=NOW)
        second = await request_from(uow, DAN, at=NOW + HOUR)
        elsewhere = await request_from(uow, ALICE, guild=OTHER)
        await requests.tell(first, [BOB, CARL], wave=1, now=NOW)
        await requests.tell(first, [BOB], wave=2, now=NOW + DAY)  # told once: the first stays
        await requests.tell(second, [BOB], wave=1, now=NOW + HOUR)
        await requests.tell(elsewhere, [BOB], wave=1, now=NOW + DAY)
        await requests.exclude(first, CARL)  # told before
        await requests.exclude(second, CARL)  # never told
    async with database.read() as uow:
        requests = uow.mentor_requests
        assert await requests.told(first.id) == {BOB: False, CARL: True}
        assert await requests.told(second.id) == {BOB: False, CARL: True}
        assert [r.id for r in await requests.offered_to(GUILD, BOB)] == [first.id, second.id]
        assert await requests.offered_to(GUILD, CARL) == []
        assert await requests.waiting_counts(GUILD) == {BOB: 2}
        assert await requests.waiting_counts(OTHER) == {BOB: 1}
        # Carl's exclusion from the second request carries no notice time
        assert await requests.last_told(GUILD) == {BOB: NOW + HOUR, CARL: NOW}
    async with database.transaction() as uow:
        await uow.mentor_requests.move(first.id, RequestStatus.OPEN, RequestStatus.MATCHED, now=NOW)
        assert [r.id for r in await uow.mentor_requests.offered_to(GUILD, BOB)] == [second.id]
        assert await uow.mentor_requests.waiting_counts(GUILD) == {BOB: 1}


async def test_requests_opened_in_a_window(database: Database) -> None:
    async with database.transaction() as uow:
        await request_from(uow, ALICE, at=NOW)
        await request_from(uow, BOB, at=NOW + DAY)  # the window's end: left out
        await request_from(uow, CARL, at=NOW, guild=OTHER)
    async with database.read() as uow:
        assert await uow.mentor_requests.count_requests_opened(GUILD, NOW, NOW + DAY) == 1
        assert await uow.mentor_requests.count_requests_opened(GUILD, NOW, NOW + 2 * DAY) == 2
        assert await uow.mentor_requests.count_requests_opened(OTHER, NOW + HOUR, NOW + DAY) == 0


async def test_member_data_export_and_delete(database: Database) -> None:
    async with database.transaction() as uow:
        assert declares_member_data(uow, uow.mentor_requests)
        requests = uow.mentor_requests
        own = await request_from(uow, ALICE)
        bobs = await request_from(uow, BOB)
        elsewhere = await request_from(uow, ALICE, guild=OTHER)
        await requests.tell(bobs, [ALICE, CARL], wave=1, now=NOW)
        await requests.tell(own, [CARL], wave=1, now=NOW)
        await requests.open_match(own, CARL, now=NOW, term_ends_at=NOW + 90 * DAY)
    declared = MentorRequestsRepository.member_columns
    found = await member_rows(database, declared, ALICE, GUILD)
    assert [r["id"] for r in found["mentor_requests"]] == [own.id]
    assert [r["request_id"] for r in found["mentor_request_mentors"]] == [bobs.id]

    async with database.transaction() as uow:
        assert await uow.mentor_requests.delete_member(GUILD, ALICE) == 2  # told of one, one own
        assert await uow.mentor_requests.delete_member(GUILD, ALICE) == 0
    assert await member_rows(database, declared, ALICE, GUILD) == {
        "mentor_requests": [],
        "mentor_request_mentors": [],
    }
    assert await count_rows(database, mentor_matches) == 0  # her request's match, by cascade
    async with database.read() as uow:
        assert await uow.mentor_requests.told(bobs.id) == {CARL: False}
        assert await uow.mentor_requests.get(elsewhere.id) == elsewhere

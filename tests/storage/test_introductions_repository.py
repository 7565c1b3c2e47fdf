"""The introduction requests repository on the real migrated database: who waits, who is asked,
decisions made once, expiry, report times and the member-data contract."""

from __future__ import annotations

from datetime import datetime

from bot.domain.introductions import IntroRequest, RequestState
from bot.storage.database import Database
from bot.storage.repositories.introductions import IntroRequestsRepository
from bot.storage.unit_of_work import UnitOfWork
from tests.storage.repository_support import declares_member_data, member_rows
from tests.storage.world import ALICE, BOB, CARL, DAN, GUILD, HOUR, NOW, OTHER, WEEK


async def ask(
    uow: UnitOfWork, requester: int, target: int, *, at: datetime = NOW, guild: int = GUILD
) -> IntroRequest:
    """A delivered request with a note, expiring a week after it is made."""
    return await uow.intro_requests.add(
        guild, requester, target, note="hello", delivered=True, now=at, expires_at=at + WEEK
    )


async def test_add_and_read_back(database: Database) -> None:
    async with database.transaction() as uow:
        made = await ask(uow, ALICE, BOB)
        assert (made.requester_id, made.target_id, made.note) == (ALICE, BOB, "hello")
        assert made.state is RequestState.PENDING
        assert made.delivered
        assert (made.created_at, made.expires_at) == (NOW, NOW + WEEK)
        assert made.decided_at is None
        assert made.requester_told_at is None
    async with database.read() as uow:
        requests = uow.intro_requests
        assert await requests.get(GUILD, made.id) == made
        assert await requests.get(OTHER, made.id) is None  # never across servers
        assert await requests.by_id(made.id) == made  # DM buttons carry no server
        assert await requests.by_id(made.id + 1) is None


async def test_latest_and_between(database: Database) -> None:
    async with database.transaction() as uow:
        first = await ask(uow, ALICE, BOB)
        back = await ask(uow, BOB, ALICE, at=NOW + HOUR)
        latest = await ask(uow, ALICE, BOB, at=NOW + 2 * HOUR)
        await ask(uow, ALICE, BOB, guild=OTHER, at=NOW + 3 * HOUR)
        await ask(uow, ALICE, CARL)
    async with database.read() as uow:
        requests = uow.intro_requests
        assert await requests.latest_from(GUILD, ALICE, BOB) == latest
        assert await requests.latest_from(GUILD, BOB, ALICE) == back
        assert await requests.latest_from(GUILD, CARL, ALICE) is None
        between = await requests.between(GUILD, BOB, ALICE)
        assert [r.id for r in between] == [first.id, back.id, latest.id]
        assert await requests.sent_since(GUILD, ALICE, NOW + HOUR) == 1
        assert await requests.sent_since(GUILD, ALICE, NOW) == 3


async def test_what_the_requester_and_the_target_see(database: Database) -> None:
    async with database.transaction() as uow:
        pending = await ask(uow, ALICE, BOB)
        declined = await ask(uow, ALICE, CARL, at=NOW + HOUR)
        accepted = await ask(uow, ALICE, DAN, at=NOW + 2 * HOUR)
        undelivered = await uow.intro_requests.add(
            GUILD, CARL, BOB, note=None, delivered=False, now=NOW, expires_at=NOW + WEEK
        )
        await ask(uow, ALICE, BOB, guild=OTHER)
        requests = uow.intro_requests
        assert await requests.decide(declined.id, RequestState.DECLINED, now=NOW)
        assert await requests.decide(accepted.id, RequestState.ACCEPTED, now=NOW, told=True)
    async with database.read() as uow:
        requests = uow.intro_requests
        # a declined request still looks like waiting to its requester, until it expires
        assert [r.id for r in await requests.outgoing(GUILD, ALICE)] == [pending.id, declined.id]
        assert await requests.waiting_count(GUILD, ALICE) == 2
        assert [r.id for r in await requests.incoming(GUILD, BOB)] == [pending.id]  # delivered
        assert await requests.incoming_count(GUILD, BOB) == 1
        assert await requests.incoming_count(GUILD, CARL) == 0  # declined
        assert await requests.incoming_count(OTHER, BOB) == 1
        assert await requests.connected(GUILD, ALICE) == {BOB, CARL, DAN}
        assert await requests.connected(GUILD, BOB) == {ALICE, CARL}
        assert await requests.introduced_pairs(GUILD) == {frozenset((ALICE, DAN))}
        assert await requests.introduced_pairs(OTHER) == set()
        mine = await requests.pending_involving(GUILD, BOB)
        assert sorted(r.id for r in mine) == [pending.id, undelivered.id]
        assert [r.id for r in await requests.pending_involving(GUILD, BOB, ALICE)] == [pending.id]
        assert await requests.pending_involving(GUILD, CARL, ALICE) == []


async def test_a_request_is_decided_and_told_once(database: Database) -> None:
    async with database.transaction() as uow:
        made = await ask(uow, ALICE, BOB)
        requests = uow.intro_requests
        assert await requests.decide(made.id, RequestState.ACCEPTED, now=NOW + HOUR)
        assert not await requests.decide(made.id, RequestState.DECLINED, now=NOW + HOUR)
        assert await requests.mark_told(made.id, now=NOW + 2 * HOUR)
        assert not await requests.mark_told(made.id, now=NOW + 3 * HOUR)
        found = await requests.get(GUILD, made.id)
    assert found is not None
    assert found.state is RequestState.ACCEPTED
    assert found.decided_at == NOW + HOUR
    assert found.requester_told_at == NOW + 2 * HOUR


async def test_expiry_finds_requesters_still_waiting(database: Database) -> None:
    async with database.transaction() as uow:
        old = await ask(uow, ALICE, BOB)
        older = await ask(uow, CARL, BOB, at=NOW - HOUR, guild=OTHER)
        told = await ask(uow, DAN, BOB, at=NOW - 2 * HOUR)
        await ask(uow, ALICE, CARL, at=NOW + WEEK)
        requests = uow.intro_requests
        await requests.decide(told.id, RequestState.WITHDRAWN, now=NOW, told=True)
    async with database.read() as uow:
        requests = uow.intro_requests
        assert await requests.next_expiry() == NOW - HOUR + WEEK
        due = await requests.due_for_ending(now=NOW + WEEK)
        assert [r.id for r in due] == [older.id, old.id]  # every server, soonest first
        assert [r.id for r in await requests.due_for_ending(now=NOW + WEEK, limit=1)] == [older.id]
        assert await requests.due_for_ending(now=NOW + WEEK - 2 * HOUR) == []


async def test_report_times_are_per_server_and_window(database: Database) -> None:
    async with database.transaction() as uow:
        a = await ask(uow, ALICE, BOB)
        b = await ask(uow, ALICE, CARL, at=NOW + HOUR)
        await ask(uow, ALICE, DAN, at=NOW + 2 * HOUR)  # the window's end: left out
        await ask(uow, ALICE, BOB, guild=OTHER, at=NOW)
        requests = uow.intro_requests
        await requests.decide(a.id, RequestState.ACCEPTED, now=NOW + HOUR)
        await requests.decide(b.id, RequestState.DECLINED, now=NOW + HOUR)
    async with database.read() as uow:
        requests = uow.intro_requests
        end = NOW + 2 * HOUR
        assert sorted(await requests.requested_times(GUILD, NOW, end)) == [NOW, NOW + HOUR]
        assert await requests.requested_times(OTHER, NOW + HOUR, end) == []
        accepted = await requests.decided_times(GUILD, RequestState.ACCEPTED, NOW, end)
        assert accepted == [NOW + HOUR]
        assert await requests.decided_times(GUILD, RequestState.ACCEPTED, NOW, NOW + HOUR) == []
        assert await requests.decided_times(OTHER, RequestState.ACCEPTED, NOW, end) == []


async def test_member_data_export_and_delete(database: Database) -> None:
    async with database.transaction() as uow:
        assert declares_member_data(uow, uow.intro_requests)
        sent = await ask(uow, ALICE, BOB)
        received = await ask(uow, CARL, ALICE)
        kept = await ask(uow, BOB, CARL)
        elsewhere = await ask(uow, ALICE, BOB, guild=OTHER)
    declared = IntroRequestsRepository.member_columns
    found = await member_rows(database, declared, ALICE, GUILD)
    assert sorted(r["id"] for r in found["intro_requests"]) == [sent.id, received.id]

    async with database.transaction() as uow:
        assert await uow.intro_requests.delete_member(GUILD, ALICE) == 2
        assert await uow.intro_requests.delete_member(GUILD, ALICE) == 0
    assert await member_rows(database, declared, ALICE, GUILD) == {"intro_requests": []}
    async with database.read() as uow:
        assert await uow.intro_requests.get(GUILD, kept.id) == kept
        assert await uow.intro_requests.get(OTHER, elsewhere.id) == elsewhere

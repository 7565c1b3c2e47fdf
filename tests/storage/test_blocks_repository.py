"""The blocks repository on the real migrated database: blocks in one server, and the hashed
anti-abuse record that keeps a block holding after a member's data is deleted."""

from __future__ import annotations

from datetime import timedelta

from bot.storage.database import Database
from bot.storage.repositories.blocks import BlocksRepository
from bot.storage.schema.introductions import member_blocks
from bot.storage.schema.privacy import block_records, install_secrets
from tests.storage.repository_support import count_rows, declares_member_data, member_rows
from tests.storage.world import ALICE, BOB, CARL, GUILD, NOW, OTHER

LATER = NOW + timedelta(hours=1)


async def test_a_block_is_made_once_and_read_either_way(database: Database) -> None:
    async with database.transaction() as uow:
        blocks = uow.blocks
        assert await blocks.add(GUILD, ALICE, CARL, now=LATER)
        assert await blocks.add(GUILD, ALICE, BOB, now=NOW)
        assert not await blocks.add(GUILD, ALICE, BOB, now=LATER)  # once
        assert await blocks.add(OTHER, BOB, CARL, now=NOW)
    async with database.read() as uow:
        blocks = uow.blocks
        assert await blocks.made_by(GUILD, ALICE) == [(BOB, NOW), (CARL, LATER)]  # oldest first
        assert await blocks.made_by(OTHER, ALICE) == []
        assert await blocks.between(GUILD, BOB, ALICE)  # either direction
        assert not await blocks.between(GUILD, BOB, CARL)  # only in the other server
        assert await blocks.between(OTHER, CARL, BOB)
        assert await blocks.pairs_in(GUILD) == [(ALICE, BOB), (ALICE, CARL)]
        assert await blocks.pairs_in(OTHER) == [(BOB, CARL)]
        assert await blocks.recorded_count(GUILD) == 0


async def test_remove_lifts_only_that_block(database: Database) -> None:
    async with database.transaction() as uow:
        await uow.blocks.add(GUILD, ALICE, BOB, now=NOW)
        await uow.blocks.add(GUILD, BOB, ALICE, now=NOW)
        await uow.blocks.add(OTHER, ALICE, BOB, now=NOW)
    async with database.transaction() as uow:
        assert await uow.blocks.remove(GUILD, ALICE, BOB)
        assert not await uow.blocks.remove(GUILD, ALICE, BOB)
        assert await uow.blocks.pairs_in(GUILD) == [(BOB, ALICE)]
        assert await uow.blocks.pairs_in(OTHER) == [(ALICE, BOB)]
    assert await count_rows(database, install_secrets) == 0  # no record, so no secret made


async def test_delete_keeps_a_hashed_record_that_holds_when_the_member_returns(
    database: Database,
) -> None:
    async with database.transaction() as uow:
        assert declares_member_data(uow, uow.blocks)
        await uow.blocks.add(GUILD, ALICE, BOB, now=NOW)
        await uow.blocks.add(GUILD, CARL, ALICE, now=NOW)
        await uow.blocks.add(GUILD, BOB, CARL, now=NOW)
        await uow.blocks.add(OTHER, ALICE, BOB, now=NOW)
        for user in (ALICE, BOB, CARL):
            await uow.members.ensure(GUILD, user, discoverable=True, now=NOW)
    declared = BlocksRepository.member_columns
    exported = await member_rows(database, declared, ALICE, GUILD)
    assert sorted((r["blocker_id"], r["blocked_id"]) for r in exported["member_blocks"]) == [
        (ALICE, BOB),
        (CARL, ALICE),
    ]

    async with database.transaction() as uow:
        assert await uow.blocks.delete_member(GUILD, ALICE) == 2
        assert await uow.blocks.delete_member(GUILD, ALICE) == 0
    assert await member_rows(database, declared, ALICE, GUILD) == {"member_blocks": []}
    assert await count_rows(database, member_blocks) == 2  # Bob's in GUILD, Alice's in OTHER
    assert await count_rows(database, block_records) == 2
    async with database.read() as uow:
        blocks = uow.blocks
        assert await blocks.recorded_count(GUILD) == 2
        assert await blocks.recorded_count(OTHER) == 0
        assert await blocks.between(GUILD, BOB, ALICE)  # still holds, from the record
        assert await blocks.between(GUILD, ALICE, CARL)
        assert await blocks.made_by(GUILD, ALICE) == []  # the record names nobody
        # Alice is still a known member here, so the recorded pairs are matched again
        assert await blocks.pairs_in(GUILD) == [(ALICE, BOB), (BOB, CARL), (CARL, ALICE)]
        assert await blocks.pairs_in(OTHER) == [(ALICE, BOB)]

    async with database.transaction() as uow:
        assert await uow.blocks.remove(GUILD, ALICE, BOB)  # the blocker may lift a record
        assert not await uow.blocks.between(GUILD, ALICE, BOB)
        assert await uow.blocks.between(GUILD, ALICE, CARL)
    assert await count_rows(database, install_secrets) == 1  # one secret for the install


async def test_records_of_members_not_known_again_are_not_listed(database: Database) -> None:
    async with database.transaction() as uow:
        await uow.blocks.add(GUILD, ALICE, BOB, now=NOW)
        await uow.members.ensure(GUILD, BOB, discoverable=True, now=NOW)
        await uow.blocks.delete_member(GUILD, ALICE)
    async with database.read() as uow:
        assert await uow.blocks.pairs_in(GUILD) == []  # Alice has no member record here
        assert await uow.blocks.between(GUILD, ALICE, BOB)  # but a direct check still holds

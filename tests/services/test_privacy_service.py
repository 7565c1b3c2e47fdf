"""PrivacyService walks the member-data contract: export everything (and nothing about anyone
else), delete everything, keep only the hashed anti-abuse record."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.domain.privacy import OTHER_MEMBER, WITHHELD, YOU
from bot.domain.settings import ChannelPurpose
from bot.services import Services
from bot.storage.database import Database
from bot.storage.schema.privacy import block_records
from bot.storage.schema.tags import tags
from tests.services.support.privacy_world import (
    CAROL,
    DAVE,
    ERIN,
    ME,
    MOD,
    NAMES,
    OTHER,
    World,
    dumped,
    everywhere,
    rows_naming,
    schema_columns,
)

GUILD, ELSEWHERE = 990_000_000_000_000_001, 990_000_000_000_000_002


async def declared_tables(database: Database) -> set[str]:
    async with database.read() as uow:
        return {table for repo in uow.member_data for table in repo.member_columns}


async def test_the_activities_reach_every_declared_table(
    services: Services, database: Database
) -> None:
    """A table a repository declares but no activity fills fails here: add its activity to
    ``tests/services/privacy_world.py`` so the tests below cover it."""
    await everywhere(services, World(GUILD))
    counts = await rows_naming(database, ME, GUILD)
    empty = {t for t in await declared_tables(database) if counts.get(t, 0) == 0}
    assert empty == set(), "no activity in privacy_world.ACTIVITIES stores a row naming ME"


async def test_export_holds_every_stored_column_of_every_row(
    services: Services, database: Database
) -> None:
    await everywhere(services, World(GUILD))
    await everywhere(services, World(ELSEWHERE))
    export = await services.privacy.export(GUILD, ME)
    assert set(export["servers"]) == {str(GUILD)}
    place = {**export["servers"][str(GUILD)], **export["not_tied_to_a_server"]}
    counts = await rows_naming(database, ME, GUILD)
    for table in await declared_tables(database):
        rows = place.get(table, [])
        assert len(rows) == counts[table], table
        columns = set(await schema_columns(database, table))
        assert all(set(row) == columns for row in rows), table
    readme = export["readme"]
    assert {"what_this_is", "you", "the_other_member", "withheld", "tables"} <= set(readme)
    assert set(readme["tables"]) == set(place)
    assert place["member_profiles"][0]["about"] == f"my about g{GUILD % 1000}"
    assert place["members"][0]["user_id"] == YOU


async def test_export_names_nobody_else(services: Services) -> None:
    world = await everywhere(services, World(GUILD))
    text = dumped(await services.privacy.export(GUILD, ME))
    for user_id in (OTHER, CAROL, DAVE, MOD, ERIN):
        assert str(user_id) not in text
        assert NAMES[user_id] not in text
        assert NAMES[user_id].split()[0] not in text  # not even inside their own text
    leaked = [secret for secret in world.theirs if secret in text]
    assert leaked == []
    assert OTHER_MEMBER in text
    assert WITHHELD in text
    assert NAMES[ME] in text  # her own display name is hers


async def test_a_request_from_the_other_member_shows_them_as_the_other_member(
    services: Services,
) -> None:
    await everywhere(services, World(GUILD))
    export = await services.privacy.export(GUILD, ME)
    requests = export["servers"][str(GUILD)]["intro_requests"]
    received = next(r for r in requests if r["target_id"] == YOU)
    sent = next(r for r in requests if r["requester_id"] == YOU)
    assert received["requester_id"] == OTHER_MEMBER
    assert received["note"] == WITHHELD  # written by the other member
    assert sent["note"] == f"my note to Carol g{GUILD % 1000}"  # hers
    assert sent["target_id"] == OTHER_MEMBER


async def test_export_from_dms_covers_every_server(services: Services) -> None:
    await everywhere(services, World(GUILD))
    await everywhere(services, World(ELSEWHERE))
    export = await services.privacy.export(None, ME)
    assert set(export["servers"]) == {str(GUILD), str(ELSEWHERE)}
    assert "dm_status" in export["not_tied_to_a_server"]
    assert (await services.privacy.export(GUILD, 123))["servers"] == {}


async def test_delete_leaves_no_row_naming_the_member(
    services: Services, database: Database
) -> None:
    await everywhere(services, World(GUILD))
    await everywhere(services, World(ELSEWHERE))
    before = await rows_naming(database, ME, GUILD)
    assert sum(before.values()) >= 20, before
    other_before = await rows_naming(database, OTHER, GUILD)

    deleted = await services.privacy.delete(GUILD, ME)
    assert deleted.servers == 1
    assert deleted.rows > 0
    after = await rows_naming(database, ME, GUILD)
    # Only what is kept across servers remains, for the server she is still in.
    assert {table: n for table, n in after.items() if n} == {"dm_status": 1}
    assert (await services.privacy.export(GUILD, ME))["servers"] == {}
    # Her data in the other server, and others' data here, stay.
    assert sum((await rows_naming(database, ME, ELSEWHERE)).values()) == sum(before.values())
    other_after = await rows_naming(database, OTHER, GUILD)
    assert other_after["member_profiles"] == other_before["member_profiles"] == 1
    assert (await services.settings.show(GUILD)).channels[ChannelPurpose.MODERATION_LOG]
    async with database.read() as uow:
        names = set((await uow.conn.execute(select(tags.c.name))).scalars())
        records = await uow.conn.execute(
            select(func.count()).where(block_records.c.guild_id == GUILD)
        )
    assert f"Dry Needling g{GUILD % 1000}" in names  # the tag stays; its creator is forgotten
    assert records.scalar_one() == 2  # the anti-abuse record: her block, and one on her


async def test_delete_in_her_only_server_leaves_no_row_at_all(
    services: Services, database: Database
) -> None:
    await everywhere(services, World(GUILD))
    await services.privacy.delete(GUILD, ME)
    after = await rows_naming(database, ME, GUILD)
    assert {table: n for table, n in after.items() if n} == {}


async def test_delete_from_dms_removes_every_server(services: Services, database: Database) -> None:
    await everywhere(services, World(GUILD))
    await everywhere(services, World(ELSEWHERE))
    deleted = await services.privacy.delete(None, ME)
    assert deleted.servers == 2
    for guild in (GUILD, ELSEWHERE):
        assert sum((await rows_naming(database, ME, guild)).values()) == 0
    export = await services.privacy.export(None, ME)
    assert export["servers"] == {}
    assert export["not_tied_to_a_server"] == {}


async def test_a_block_holds_when_the_deleted_member_returns(services: Services) -> None:
    await everywhere(services, World(GUILD))
    await services.find.find(GUILD, DAVE, ["ortho"])  # the in-memory index exists already
    await services.privacy.delete(GUILD, ME)
    async with services.db.read() as uow:
        assert await uow.blocks.made_by(GUILD, DAVE) == []  # no id is left to show
    # She comes back, tags herself and is discoverable again.
    await services.privacy.set_discoverable(GUILD, ME, True)
    await services.member_tags.add_member_tag(GUILD, ME, "ortho")
    async with services.db.read() as uow:
        assert await uow.blocks.between(GUILD, ME, CAROL)
        assert await uow.blocks.between(GUILD, DAVE, ME)
        assert not await uow.blocks.between(GUILD, ME, OTHER)
        assert {(ME, CAROL), (DAVE, ME)} <= set(await uow.blocks.pairs_in(GUILD))
    listed = await services.find.find(GUILD, DAVE, ["ortho"])
    assert ME not in {p.user_id for p in listed.people}
    mine = await services.find.find(GUILD, ME, ["ortho"])
    assert {p.user_id for p in mine.people} == {OTHER, ERIN}  # discoverable, not blocked
    # The blocker can still lift it, though the list cannot name her any more.
    await services.privacy.unblock(GUILD, DAVE, ME)
    async with services.db.read() as uow:
        assert not await uow.blocks.between(GUILD, DAVE, ME)


async def test_show_counts_what_is_stored(services: Services) -> None:
    await everywhere(services, World(GUILD))
    summary = await services.privacy.show(GUILD, ME)
    assert summary.discoverable is True
    assert summary.stored["your interest tags"] == 2
    everywhere_summary = await services.privacy.show(None, ME)
    assert everywhere_summary.discoverable is None
    assert everywhere_summary.servers == 1


async def test_export_names_the_tags_and_events_its_rows_point_at(services: Services) -> None:
    """Issue #20 item 14: a tag_id or event_id comes with the name a member knows it by."""
    world = World(GUILD)
    await everywhere(services, world)
    export = await services.privacy.export(GUILD, ME)
    names = export["names_of_ids"][str(GUILD)]
    place = export["servers"][str(GUILD)]
    held = {names["tag_id"][str(row["tag_id"])] for row in place["member_tags"]}
    assert held == {"Orthopedics", "Neurology"}
    attended = {names["event_id"][str(row["event_id"])] for row in place["event_attendance"]}
    assert attended == {world.tag("CSM")}
    assert "names_of_ids" in export["readme"]

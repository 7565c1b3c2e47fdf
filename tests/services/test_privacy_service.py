"""PrivacyService walks the member-data contract: export everything, delete everything."""

from __future__ import annotations

from sqlalchemy import func, inspect, select

from bot.domain.settings import ChannelPurpose
from bot.services import Services
from bot.storage.database import Database
from bot.storage.member_data import holds_member_id
from bot.storage.schema import metadata
from bot.storage.schema.tags import tags

GUILD, OTHER = 1001, 2002
MOD, ALICE, BOB = 7, 100, 200


async def rows_about(database: Database, user_id: int, guild_id: int) -> dict[str, int]:
    """For every column that can hold a member id (found by scanning the schema): how many rows
    of ``guild_id`` name ``user_id`` there."""

    def columns(sync_conn: object) -> list[tuple[str, str, bool]]:
        inspector = inspect(sync_conn)
        return [
            (table, column["name"], any(c["name"] == "guild_id" for c in cols))
            for table in inspector.get_table_names()
            for cols in [inspector.get_columns(table)]
            for column in cols
            if holds_member_id(column["name"])
        ]

    async with database.engine.connect() as conn:
        found = await conn.run_sync(columns)
    counts: dict[str, int] = {}
    async with database.read() as uow:
        for table_name, column, per_guild in found:
            table = metadata.tables[table_name]  # the migrated schema equals it (a test checks)
            value: object = f"user:{user_id}" if column == "recipient" else user_id
            query = select(func.count()).select_from(table).where(table.c[column] == value)
            if per_guild:
                query = query.where(table.c.guild_id == guild_id)
            counts[f"{table_name}.{column}"] = int((await uow.conn.execute(query)).scalar_one())
    return counts


async def alice_everywhere(services: Services) -> None:
    """Alice as a member and as a moderator, in every feature that exists today."""
    await services.settings.set_channel(GUILD, "moderation-log", 55, actor_id=ALICE)
    await services.settings.set_defaults(GUILD, actor_id=ALICE, discoverable_by_default=True)
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    await services.vocabulary.add_tag(GUILD, "Dry Needling", actor_id=ALICE)
    await services.member_tags.add_member_tag(GUILD, ALICE, "ortho")
    await services.profiles.edit(GUILD, ALICE, about="PT in Ohio", looking_for="a mentor")
    suggestion = await services.suggestions.suggest(GUILD, ALICE, "Telehealth")
    await services.suggestions.reject_suggestion(
        GUILD, suggestion.id, actor_id=MOD, guild_name="Ortho SIG"
    )
    other = await services.suggestions.suggest(GUILD, BOB, "Dance Medicine")
    await services.suggestions.approve_suggestion(
        GUILD, other.id, actor_id=ALICE, guild_name="Ortho SIG"
    )
    # Bob, in the same server, and Alice elsewhere: both must survive Alice's delete here.
    await services.member_tags.add_member_tag(GUILD, BOB, "ortho")
    await services.profiles.edit(OTHER, ALICE, about="elsewhere", looking_for=None)


async def test_export_has_every_section(services: Services) -> None:
    await alice_everywhere(services)
    export = await services.privacy.export(GUILD, ALICE)
    assert export["member"]["discoverable"] is True
    assert export["profile"]["about"] == "PT in Ohio"
    assert [t["tag"] for t in export["tags"]] == ["Orthopedics"]
    assert export["tags_created"] == ["Dance Medicine", "Dry Needling"]  # added, approved
    assert [s["name"] for s in export["tag_suggestions"]] == ["Telehealth"]
    assert set(export["settings_last_changed_by_you"]) == {"defaults", "moderation-log channel"}
    assert "messages_from_the_bot" in export  # the DM about her rejected suggestion
    assert await services.privacy.export(GUILD, 999) == {}


async def test_delete_leaves_no_row_naming_the_member(
    services: Services, database: Database
) -> None:
    await alice_everywhere(services)
    before = await rows_about(database, ALICE, GUILD)
    assert sum(before.values()) >= 8, before  # the data really was there
    await services.privacy.delete(GUILD, ALICE)
    after = await rows_about(database, ALICE, GUILD)
    assert {column: n for column, n in after.items() if n} == {}
    assert await services.privacy.export(GUILD, ALICE) == {}
    # Others' data, and Alice's in another server, are untouched.
    assert [t.name for g in await services.member_tags.member_tags(GUILD, BOB) for t in g.tags]
    assert (await services.profiles.own(OTHER, ALICE)).about == "elsewhere"
    settings = await services.settings.show(GUILD)
    assert settings.channels[ChannelPurpose.MODERATION_LOG] == 55  # the server keeps its setup
    async with database.read() as uow:
        names = set((await uow.conn.execute(select(tags.c.name))).scalars())
    assert "Dry Needling" in names  # the community keeps the tag; who created it is forgotten

"""Tag, member and profile repositories on the real migrated database: writes, export, delete."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.domain.profiles import Profile
from bot.domain.tags import SuggestionState, tag_key
from bot.storage.database import Database
from bot.storage.member_data import MemberData
from bot.storage.schema.tags import member_tags
from bot.storage.unit_of_work import UnitOfWork

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
GUILD, OTHER = 1, 2
ALICE, BOB = 100, 200


async def _seed(db: Database) -> dict[str, int]:
    async with db.transaction() as uow:
        vocabulary = uow.vocabulary
        category = await vocabulary.add_category(
            GUILD, "Clinical interest", "clinical interest", now=NOW
        )
        ids = {
            name: await vocabulary.add_tag(GUILD, category, name, tag_key(name), now=NOW, by=None)
            for name in ("Orthopedics", "Neurology")
        }
        ids["Sports"] = await vocabulary.add_tag(
            GUILD, category, "Sports", "sports", now=NOW, by=ALICE
        )
        await vocabulary.add_alias(GUILD, ids["Orthopedics"], "ortho", "ortho", now=NOW)
        members = uow.members
        for user in (ALICE, BOB):
            await members.ensure(GUILD, user, discoverable=False, now=NOW)
        await members.ensure(OTHER, ALICE, discoverable=True, now=NOW)
    return ids


async def test_vocabulary_roundtrip_and_unique_keys(database: Database) -> None:
    ids = await _seed(database)
    async with database.read() as uow:
        vocabulary = uow.vocabulary
        assert [t.name for t in await vocabulary.tags(GUILD)] == [
            "Neurology",
            "Orthopedics",
            "Sports",
        ]
        assert await vocabulary.key_owner(GUILD, "ortho") == ("alias", ids["Orthopedics"])
        assert await vocabulary.key_owner(GUILD, "sports") == ("tag", ids["Sports"])
        assert await vocabulary.key_owner(OTHER, "sports") is None
        assert await vocabulary.tags(OTHER) == []
    async with database.read() as uow:
        category = (await uow.vocabulary.categories(GUILD))[0].id
    with pytest.raises(IntegrityError):
        await _add_tag(database, category, "SPORTS")
    async with database.transaction() as uow:
        assert not await uow.vocabulary.add_alias(GUILD, ids["Sports"], "Ortho", "ortho", now=NOW)


async def _add_tag(database: Database, category: int, name: str) -> None:
    async with database.transaction() as uow:
        await uow.vocabulary.add_tag(GUILD, category, name, tag_key(name), now=NOW, by=None)


async def test_member_tags_merge_without_duplicates(database: Database) -> None:
    ids = await _seed(database)
    async with database.transaction() as uow:
        mine = uow.member_tags
        await mine.add(GUILD, ALICE, {ids["Orthopedics"], ids["Sports"]}, now=NOW)
        await mine.add(GUILD, BOB, {ids["Orthopedics"]}, now=NOW)
        assert await mine.add(GUILD, BOB, {ids["Orthopedics"]}, now=NOW) == 0  # no duplicate
        assert await mine.merge(ids["Orthopedics"], ids["Sports"]) == 1  # only Bob gains Sports
    async with database.read() as uow:
        mine = uow.member_tags
        assert await mine.tag_ids(GUILD, ALICE) == {ids["Sports"]}
        assert await mine.tag_ids(GUILD, BOB) == {ids["Sports"]}
        total = (await uow.conn.execute(select(func.count()).select_from(member_tags))).scalar()
        assert total == 2


async def test_deleting_a_tag_cascades_to_members_and_aliases(database: Database) -> None:
    ids = await _seed(database)
    async with database.transaction() as uow:
        await uow.member_tags.add(GUILD, ALICE, {ids["Orthopedics"]}, now=NOW)
        assert await uow.vocabulary.delete_tag(ids["Orthopedics"]) == 1
    async with database.read() as uow:
        assert await uow.member_tags.tag_ids(GUILD, ALICE) == set()
        assert await uow.vocabulary.aliases(GUILD) == []


async def test_suggestion_is_decided_once(database: Database) -> None:
    await _seed(database)
    async with database.transaction() as uow:
        queue = uow.suggestions
        suggestion_id = await queue.add(GUILD, ALICE, "Vestibular", "vestibular", None, now=NOW)
        assert await queue.decide(
            suggestion_id, SuggestionState.REJECTED, by=BOB, now=NOW, tag_id=None
        )
        assert not await queue.decide(
            suggestion_id, SuggestionState.APPROVED, by=BOB, now=NOW, tag_id=None
        )
        found = await queue.get(GUILD, suggestion_id)
        assert found is not None
        assert found.state is SuggestionState.REJECTED
        assert await queue.get(OTHER, suggestion_id) is None


async def test_export_and_delete_touch_only_that_member_in_that_server(database: Database) -> None:
    ids = await _seed(database)
    async with database.transaction() as uow:
        await uow.member_tags.add(GUILD, ALICE, {ids["Neurology"]}, now=NOW)
        await uow.member_tags.add(GUILD, BOB, {ids["Neurology"]}, now=NOW)
        await uow.profiles.save(GUILD, ALICE, Profile("PT in Ohio", "a mentor"), now=NOW)
        await uow.profiles.save(OTHER, ALICE, Profile("elsewhere", None), now=NOW)
        await uow.suggestions.add(GUILD, ALICE, "Vestibular", "vestibular", None, now=NOW)

    async with database.read() as uow:
        found = {
            table: await uow.member_rows.rows(table, columns, ALICE, GUILD)
            for repo in _member_repos(uow)
            for table, columns in repo.member_columns.items()
        }
    assert [r["discoverable"] for r in found["members"]] == [False]
    assert [r["name"] for r in found["tags"]] == ["Sports"]
    assert [(r["about"], r["looking_for"]) for r in found["member_profiles"]] == [
        ("PT in Ohio", "a mentor")
    ]
    assert [r["tag_id"] for r in found["member_tags"]] == [ids["Neurology"]]
    assert [(r["name"], r["state"]) for r in found["tag_suggestions"]] == [
        ("Vestibular", "pending")
    ]

    async with database.transaction() as uow:
        deleted = [await repo.delete_member(GUILD, ALICE) for repo in _member_repos(uow)]
    # tags, suggestions, profile, the member record; then the tags Alice created (kept, unsigned)
    assert deleted == [1, 1, 1, 1, 1]
    async with database.read() as uow:
        for repo in _member_repos(uow):
            for table, columns in repo.member_columns.items():
                assert await uow.member_rows.rows(table, columns, ALICE, GUILD) == []
        assert await uow.member_tags.tag_ids(GUILD, BOB) == {ids["Neurology"]}
        assert await uow.profiles.get(OTHER, ALICE) == Profile("elsewhere", None)


def _member_repos(uow: UnitOfWork) -> list[MemberData]:
    return [
        uow.member_tags,
        uow.suggestions,
        uow.profiles,
        uow.members,
        uow.vocabulary,
    ]


async def test_member_record_is_created_once(database: Database) -> None:
    async with database.transaction() as uow:
        members = uow.members
        first = await members.ensure(GUILD, ALICE, discoverable=True, now=NOW)
        again = await members.ensure(GUILD, ALICE, discoverable=False, now=NOW)
        assert first == again
        assert again.discoverable is True
        assert await members.set_discoverable(GUILD, ALICE, False, now=NOW)
        assert await members.discoverable_among(GUILD, [ALICE, BOB]) == set()

"""The mentors repository on the real migrated database: offers with their topics, pausing,
the server's mentor role, and the member-data contract."""

from __future__ import annotations

from datetime import timedelta

from bot.storage.database import Database
from bot.storage.repositories.mentors import MentorsRepository
from bot.storage.schema.mentorship import mentor_topics
from tests.storage.repository_support import count_rows, declares_member_data, member_rows
from tests.storage.world import ALICE, BOB, CARL, GUILD, NOW, OTHER

LATER = NOW + timedelta(days=3)
ORTHO, SPORTS, NEURO = 11, 12, 13


async def test_an_offer_round_trips_and_keeps_its_first_date(database: Database) -> None:
    async with database.transaction() as uow:
        mentors = uow.mentors
        first = await mentors.save(
            GUILD, ALICE, capacity=2, note="weekends", topics=frozenset({ORTHO, SPORTS}), now=NOW
        )
        assert (first.capacity, first.note, first.paused) == (2, "weekends", False)
        assert first.topics == {ORTHO, SPORTS}
        assert first.created_at == NOW
        again = await mentors.save(GUILD, ALICE, capacity=3, note=None, topics=None, now=LATER)
        assert (again.capacity, again.note) == (3, None)
        assert again.topics == {ORTHO, SPORTS}  # None keeps the chosen topics
        assert again.created_at == NOW
        changed = await mentors.save(
            GUILD, ALICE, capacity=3, note=None, topics=frozenset({NEURO}), now=LATER
        )
        assert changed.topics == {NEURO}
        every_tag = await mentors.save(
            GUILD, ALICE, capacity=3, note=None, topics=frozenset(), now=LATER
        )
        assert every_tag.topics == frozenset()
    async with database.transaction() as uow:  # a claim reads the offer locked
        assert await uow.mentors.get(GUILD, ALICE, lock=True) == every_tag
        assert await uow.mentors.get(OTHER, ALICE) is None
    assert await count_rows(database, mentor_topics) == 0


async def test_in_guild_lists_the_servers_mentors_by_id_with_their_own_topics(
    database: Database,
) -> None:
    async with database.transaction() as uow:
        mentors = uow.mentors
        await mentors.save(GUILD, BOB, capacity=1, note=None, topics=frozenset({SPORTS}), now=NOW)
        await mentors.save(GUILD, ALICE, capacity=1, note=None, topics=frozenset({ORTHO}), now=NOW)
        await mentors.save(OTHER, CARL, capacity=1, note=None, topics=frozenset({NEURO}), now=NOW)
        await mentors.save(OTHER, ALICE, capacity=1, note=None, topics=frozenset({NEURO}), now=NOW)
    async with database.read() as uow:
        listed = await uow.mentors.in_guild(GUILD)
    assert [(m.guild_id, m.user_id, m.topics) for m in listed] == [
        (GUILD, ALICE, {ORTHO}),
        (GUILD, BOB, {SPORTS}),
    ]


async def test_pause_changes_once_and_an_offer_again_resumes(database: Database) -> None:
    async with database.transaction() as uow:
        mentors = uow.mentors
        await mentors.save(GUILD, ALICE, capacity=1, note=None, topics=None, now=NOW)
        assert not await mentors.set_paused(OTHER, ALICE, True, now=NOW)
        assert await mentors.set_paused(GUILD, ALICE, True, now=NOW)
        assert not await mentors.set_paused(GUILD, ALICE, True, now=NOW)  # already paused
        paused = await mentors.get(GUILD, ALICE)
        assert paused is not None
        assert paused.paused
        assert await mentors.set_paused(GUILD, ALICE, False, now=NOW)
        await mentors.set_paused(GUILD, ALICE, True, now=NOW)
        resumed = await mentors.save(GUILD, ALICE, capacity=1, note=None, topics=None, now=LATER)
        assert not resumed.paused
        assert not await mentors.set_paused(GUILD, BOB, True, now=NOW)  # no offer


async def test_the_required_role_per_server(database: Database) -> None:
    async with database.transaction() as uow:
        mentors = uow.mentors
        assert await mentors.require_role(GUILD) is None
        await mentors.set_require_role(GUILD, 555, actor_id=ALICE, now=NOW)
        await mentors.set_require_role(OTHER, 666, actor_id=ALICE, now=NOW)
        assert await mentors.require_role(GUILD) == 555
        await mentors.set_require_role(GUILD, None, actor_id=BOB, now=LATER)
        assert await mentors.require_role(GUILD) is None
        assert await mentors.require_role(OTHER) == 666


async def test_member_data_export_and_delete(database: Database) -> None:
    async with database.transaction() as uow:
        assert declares_member_data(uow, uow.mentors)
        mentors = uow.mentors
        await mentors.save(GUILD, ALICE, capacity=2, note="hi", topics=frozenset({ORTHO}), now=NOW)
        await mentors.save(GUILD, BOB, capacity=1, note=None, topics=frozenset({ORTHO}), now=NOW)
        await mentors.save(OTHER, ALICE, capacity=1, note=None, topics=frozenset({ORTHO}), now=NOW)
        await mentors.set_require_role(GUILD, 555, actor_id=ALICE, now=NOW)
    declared = MentorsRepository.member_columns
    found = await member_rows(database, declared, ALICE, GUILD)
    assert [(r["capacity"], r["note"]) for r in found["mentor_profiles"]] == [(2, "hi")]
    assert [r["tag_id"] for r in found["mentor_topics"]] == [ORTHO]
    assert [r["require_role_id"] for r in found["mentor_settings"]] == [555]

    async with database.transaction() as uow:
        assert await uow.mentors.delete_member(GUILD, ALICE) == 3  # topic, offer, setting's signer
        assert await uow.mentors.delete_member(GUILD, ALICE) == 0
    assert await member_rows(database, declared, ALICE, GUILD) == {
        "mentor_profiles": [],
        "mentor_topics": [],
        "mentor_settings": [],
    }
    async with database.read() as uow:
        assert await uow.mentors.require_role(GUILD) == 555  # the server's setting stays
        assert await uow.mentors.get(GUILD, BOB) is not None
        kept = await uow.mentors.get(OTHER, ALICE)
    assert kept is not None
    assert kept.topics == {ORTHO}

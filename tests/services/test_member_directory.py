"""The member directory: real defaults, grouped tags, and change events after each commit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.members import (
    BlockChanged,
    DiscoverabilityChanged,
    MemberDeleted,
    MemberEvent,
    SnoozeChanged,
    TagsChanged,
    VocabularyChanged,
)
from bot.services import Services

GUILD, OTHER = 1001, 2002
MOD, ALICE, BOB = 7, 100, 200


@pytest.fixture
async def events(services: Services) -> list[MemberEvent]:
    seen: list[MemberEvent] = []
    services.directory.subscribe(seen.append)
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    seen.clear()
    return seen


async def test_new_members_get_the_servers_real_default(services: Services) -> None:
    await services.settings.set_defaults(GUILD, actor_id=MOD, discoverable_by_default=True)
    async with services.db.transaction() as uow:
        here = await services.directory.ensure(uow, GUILD, ALICE)
        elsewhere = await services.directory.ensure(uow, OTHER, ALICE)
    assert here.discoverable is True
    assert elsewhere.discoverable is False  # the other server kept the private default


async def test_tag_changes_reach_subscribers(services: Services, events: list[MemberEvent]) -> None:
    ortho = await services.member_tags.add_member_tag(GUILD, ALICE, "ortho")
    await services.member_tags.add_member_tag(GUILD, ALICE, "ortho")  # no change: no event
    await services.member_tags.remove_member_tag(GUILD, ALICE, "Orthopedics")
    sections = await services.member_tags.picker(GUILD)
    offered = [o.tag_id for o in sections[0].options[:2]]
    await services.member_tags.set_member_tags(GUILD, BOB, offered=offered, chosen=offered)
    assert events == [
        TagsChanged(GUILD, ALICE, frozenset({ortho.tag.id})),  # what she holds now
        TagsChanged(GUILD, ALICE, frozenset()),
        TagsChanged(GUILD, BOB, frozenset(offered)),
    ]


async def test_discoverability_changes_reach_subscribers(
    services: Services, events: list[MemberEvent]
) -> None:
    for value in (True, True, False):
        async with services.db.transaction() as uow:
            await services.directory.set_discoverable(uow, GUILD, ALICE, value)
    assert events == [
        DiscoverabilityChanged(GUILD, ALICE, True),
        DiscoverabilityChanged(GUILD, ALICE, False),
    ]


async def test_vocabulary_changes_reach_subscribers(
    services: Services, events: list[MemberEvent]
) -> None:
    await services.vocabulary.add_tag(GUILD, "Dry Needling", actor_id=MOD)
    await services.vocabulary.merge_tags(GUILD, "Dry Needling", "Orthopedics", actor_id=MOD)
    suggestion = await services.suggestions.suggest(GUILD, ALICE, "Telehealth")
    await services.suggestions.approve_suggestion(
        GUILD, suggestion.id, actor_id=MOD, guild_name="Ortho SIG"
    )
    assert events == [VocabularyChanged(GUILD)] * 3
    # ...and the tag index, the first subscriber, sees the new tag at once.
    assert (await services.vocabulary.index(GUILD)).exact("Telehealth") is not None


async def test_deletion_reaches_subscribers(services: Services, events: list[MemberEvent]) -> None:
    await services.member_tags.add_member_tag(GUILD, ALICE, "ortho")
    events.clear()
    await services.privacy.block(GUILD, ALICE, BOB)
    await services.privacy.block(GUILD, ALICE, BOB)  # already blocked: no event
    await services.privacy.unblock(GUILD, ALICE, BOB)
    await services.introductions.snooze(GUILD, ALICE, 2)
    await services.privacy.delete(GUILD, ALICE)
    assert events == [
        BlockChanged(GUILD, ALICE, BOB, True),
        BlockChanged(GUILD, ALICE, BOB, False),
        SnoozeChanged(GUILD, ALICE, services.clock.now() + timedelta(weeks=2)),
        MemberDeleted(GUILD, ALICE),
    ]


async def test_nothing_is_published_for_a_rolled_back_write(
    services: Services, events: list[MemberEvent]
) -> None:
    async def fails_after_writing() -> None:
        async with services.db.transaction() as uow:
            await services.directory.change_tags(uow, GUILD, ALICE, add={1})
            await services.directory.set_discoverable(uow, GUILD, ALICE, True)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await fails_after_writing()
    assert events == []
    async with services.db.read() as uow:
        assert await uow.members.get(GUILD, ALICE) is None


async def test_a_failing_subscriber_does_not_fail_the_member(
    services: Services, events: list[MemberEvent]
) -> None:
    def broken(_event: MemberEvent) -> None:
        raise ValueError("index bug")

    services.directory.subscribe(broken)
    services.directory.subscribe(events.append)
    change = await services.member_tags.add_member_tag(GUILD, ALICE, "ortho")
    assert change.changed
    assert events[-1] == TagsChanged(GUILD, ALICE, frozenset({change.tag.id}))


async def test_a_name_seen_before_the_record_exists_is_kept_when_it_is_made(
    services: Services,
) -> None:
    """A member's first command: the name arrives as that command creates their record."""
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    await services.directory.remember_name(GUILD, ALICE, "Alice A.")
    await services.member_tags.add_member_tag(GUILD, ALICE, "Orthopedics")
    async with services.db.read() as uow:
        record = await uow.members.get(GUILD, ALICE)
    assert record is not None
    assert record.display_name == "Alice A."


def test_names_of_members_picked_in_a_menu_are_read_from_the_interaction() -> None:
    from bot.client import resolved_names

    data = {
        "resolved": {
            "users": {
                "100": {"id": "100", "username": "alice", "global_name": "Alice A."},
                "200": {"id": "200", "username": "bob", "global_name": None},
                "300": {"id": "300", "username": "helper", "bot": True},
            },
            "members": {"200": {"nick": "Bob at the clinic"}},
        }
    }
    assert resolved_names(data) == {100: "Alice A.", 200: "Bob at the clinic"}
    assert resolved_names({}) == {}

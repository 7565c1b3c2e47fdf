"""ProfileService: editing my text, and the consent rule for viewing someone else's."""

from __future__ import annotations

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.profiles import ProfileUnavailable
from bot.services import Services

GUILD, OTHER = 1001, 2002
MOD, ALICE, BOB, STRANGER = 7, 100, 200, 999


async def make_discoverable(services: Services, guild: int, user: int, value: bool) -> None:
    async with services.db.transaction() as uow:
        await services.directory.set_discoverable(uow, guild, user, value)


async def test_edit_cleans_and_prefills(services: Services) -> None:
    saved = await services.profiles.edit(
        GUILD, ALICE, about="PT in Ohio @everyone <@123>\u200b", looking_for="  a mentor  "
    )
    assert saved.about == "PT in Ohio ＠everyone <＠123>"
    assert saved.looking_for == "a mentor"
    assert await services.profiles.own(GUILD, ALICE) == saved
    assert (await services.profiles.own(OTHER, ALICE)).is_empty  # per server
    cleared = await services.profiles.edit(GUILD, ALICE, about="", looking_for=None)
    assert cleared.is_empty


async def test_too_long_changes_nothing(services: Services) -> None:
    await services.profiles.edit(GUILD, ALICE, about="short", looking_for=None)
    with pytest.raises(InvalidInput, match="What I'm looking for can be at most 200"):
        await services.profiles.edit(GUILD, ALICE, about="new", looking_for="x" * 201)
    assert (await services.profiles.own(GUILD, ALICE)).about == "short"


async def test_consent_rule_for_viewing(services: Services) -> None:
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    await services.member_tags.add_member_tag(GUILD, ALICE, "neuro")
    await services.profiles.edit(GUILD, ALICE, about="Hello", looking_for=None)

    mine = await services.profiles.view(GUILD, ALICE, ALICE)  # not discoverable, but it's me
    assert mine.is_self
    assert not mine.discoverable
    assert [t.name for g in mine.tags for t in g.tags] == ["Neurology"]

    with pytest.raises(ProfileUnavailable) as hidden:
        await services.profiles.view(GUILD, BOB, ALICE)
    with pytest.raises(ProfileUnavailable) as unknown:
        await services.profiles.view(GUILD, BOB, STRANGER)
    assert hidden.value.message == unknown.value.message  # one neutral answer

    await make_discoverable(services, GUILD, ALICE, True)
    seen = await services.profiles.view(GUILD, BOB, ALICE)
    assert seen.profile.about == "Hello"
    assert not seen.is_self
    with pytest.raises(ProfileUnavailable):
        await services.profiles.view(OTHER, BOB, ALICE)  # discoverable here, unknown there


async def test_server_default_applies_to_new_members(services: Services) -> None:
    await services.settings.set_defaults(GUILD, actor_id=MOD, discoverable_by_default=True)
    await services.profiles.edit(GUILD, ALICE, about="Hi", looking_for=None)
    assert (await services.profiles.view(GUILD, BOB, ALICE)).discoverable
    await make_discoverable(services, GUILD, ALICE, False)
    with pytest.raises(ProfileUnavailable):
        await services.profiles.view(GUILD, BOB, ALICE)


async def test_a_block_hides_each_profile_from_the_other(services: Services) -> None:
    for user in (ALICE, BOB):
        await services.profiles.edit(GUILD, user, about="Hello", looking_for=None)
        await make_discoverable(services, GUILD, user, True)
    await services.privacy.block(GUILD, ALICE, BOB)
    with pytest.raises(ProfileUnavailable) as blocked:
        await services.profiles.view(GUILD, BOB, ALICE)
    with pytest.raises(ProfileUnavailable) as blocker:
        await services.profiles.view(GUILD, ALICE, BOB)
    with pytest.raises(ProfileUnavailable) as unknown:
        await services.profiles.view(GUILD, BOB, STRANGER)
    assert blocked.value.message == blocker.value.message == unknown.value.message
    assert (await services.profiles.view(GUILD, ALICE, ALICE)).is_self  # her own still shows

    await services.privacy.unblock(GUILD, ALICE, BOB)
    assert (await services.profiles.view(GUILD, BOB, ALICE)).profile.about == "Hello"

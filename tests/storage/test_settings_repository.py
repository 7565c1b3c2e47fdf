"""The server settings repository on the real migrated database: defaults, channels by purpose,
and forgetting which moderator changed them."""

from __future__ import annotations

from bot.domain.settings import ChannelPurpose, GuildDefaults
from bot.storage.database import Database
from bot.storage.repositories.settings import GuildSettingsRepository
from tests.storage.repository_support import declares_member_data, member_rows
from tests.storage.world import ALICE, BOB, GUILD, NOW, OTHER

FALLBACK = GuildDefaults()
CHICAGO = GuildDefaults(discoverable_by_default=True, timezone="America/Chicago")


async def test_a_server_that_never_changed_anything_gets_the_fallback(database: Database) -> None:
    async with database.read() as uow:
        found = await uow.settings.get(GUILD, FALLBACK)
    assert found.guild_id == GUILD
    assert found.defaults == FALLBACK
    assert found.channels == {}


async def test_defaults_round_trip_and_the_last_save_wins(database: Database) -> None:
    async with database.transaction() as uow:
        await uow.settings.save_defaults(GUILD, FALLBACK, at=NOW, by=ALICE)
        await uow.settings.save_defaults(GUILD, CHICAGO, at=NOW, by=BOB)  # an update, no clash
    async with database.read() as uow:
        assert (await uow.settings.get(GUILD, FALLBACK)).defaults == CHICAGO
        assert (await uow.settings.get(OTHER, FALLBACK)).defaults == FALLBACK


async def test_channels_by_purpose_per_server(database: Database) -> None:
    async with database.transaction() as uow:
        settings = uow.settings
        await settings.set_channel(GUILD, ChannelPurpose.INTRODUCTIONS, 10, at=NOW, by=ALICE)
        await settings.set_channel(GUILD, ChannelPurpose.INTRODUCTIONS, 11, at=NOW, by=ALICE)
        await settings.set_channel(GUILD, ChannelPurpose.ICEBREAKERS, 12, at=NOW, by=ALICE)
        await settings.set_channel(OTHER, ChannelPurpose.INTRODUCTIONS, 20, at=NOW, by=BOB)
    async with database.read() as uow:
        settings = uow.settings
        assert await settings.channel_for(GUILD, ChannelPurpose.INTRODUCTIONS) == 11
        assert await settings.channel_for(GUILD, ChannelPurpose.MENTORSHIP) is None
        assert await settings.channel_for(OTHER, ChannelPurpose.ICEBREAKERS) is None
        assert (await settings.get(GUILD, FALLBACK)).channels == {
            ChannelPurpose.INTRODUCTIONS: 11,
            ChannelPurpose.ICEBREAKERS: 12,
        }
        everywhere = await settings.channels_for(ChannelPurpose.INTRODUCTIONS)
        assert sorted(everywhere) == [(GUILD, 11), (OTHER, 20)]
        assert await settings.channels_for(ChannelPurpose.MODERATION_LOG) == []


async def test_member_data_export_and_delete_forget_only_the_moderator(
    database: Database,
) -> None:
    async with database.transaction() as uow:
        assert declares_member_data(uow, uow.settings)
        await uow.settings.save_defaults(GUILD, CHICAGO, at=NOW, by=ALICE)
        await uow.settings.set_channel(GUILD, ChannelPurpose.MENTORSHIP, 10, at=NOW, by=ALICE)
        await uow.settings.set_channel(GUILD, ChannelPurpose.ICEBREAKERS, 12, at=NOW, by=BOB)
        await uow.settings.save_defaults(OTHER, CHICAGO, at=NOW, by=ALICE)
    declared = GuildSettingsRepository.member_columns
    found = await member_rows(database, declared, ALICE, GUILD)
    assert [r["timezone"] for r in found["guild_settings"]] == ["America/Chicago"]
    assert [r["channel_id"] for r in found["guild_channels"]] == [10]

    async with database.transaction() as uow:
        assert await uow.settings.delete_member(GUILD, ALICE) == 2
        assert await uow.settings.delete_member(GUILD, ALICE) == 0
    assert await member_rows(database, declared, ALICE, GUILD) == {
        "guild_settings": [],
        "guild_channels": [],
    }
    async with database.read() as uow:
        kept = await uow.settings.get(GUILD, FALLBACK)  # the server keeps its settings
        assert kept.defaults == CHICAGO
        assert kept.channels == {ChannelPurpose.MENTORSHIP: 10, ChannelPurpose.ICEBREAKERS: 12}
    assert len((await member_rows(database, declared, BOB, GUILD))["guild_channels"]) == 1
    assert len((await member_rows(database, declared, ALICE, OTHER))["guild_settings"]) == 1

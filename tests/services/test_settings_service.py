"""SettingsService with real repositories, a real database file and a fake clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.errors import InvalidInput
from bot.domain.settings import ChannelPurpose
from bot.services import Services
from bot.storage.schema.outbox import outbox
from bot.storage.schema.settings import guild_channels, guild_settings

GUILD = 1001
OTHER_GUILD = 2002
MOD = 77


async def test_show_before_anything_is_set(services: Services) -> None:
    settings = await services.settings.show(GUILD)
    assert settings.channels == {}
    assert settings.defaults.discoverable_by_default is False
    assert settings.defaults.timezone == "America/Chicago"  # operator's DEFAULT_TIMEZONE


async def test_set_channel_and_replace_it(services: Services, clock: FakeClock) -> None:
    await services.settings.set_channel(GUILD, "introductions", 10, actor_id=MOD)
    clock.advance(timedelta(minutes=5))
    await services.settings.set_channel(GUILD, "introductions", 11, actor_id=MOD)
    await services.settings.set_channel(GUILD, "moderation-log", 12, actor_id=MOD)
    settings = await services.settings.show(GUILD)
    assert settings.channels == {
        ChannelPurpose.INTRODUCTIONS: 11,
        ChannelPurpose.MODERATION_LOG: 12,
    }
    async with services.db.read() as uow:
        row = (
            await uow.conn.execute(
                select(guild_channels).where(guild_channels.c.purpose == "introductions")
            )
        ).one()
    assert row.updated_by == MOD
    assert row.updated_at.replace(tzinfo=None) == clock.now().replace(tzinfo=None)


async def test_unknown_purpose_changes_nothing(services: Services) -> None:
    with pytest.raises(InvalidInput, match="not a channel purpose"):
        await services.settings.set_channel(GUILD, "memes", 10, actor_id=MOD)
    assert (await services.settings.show(GUILD)).channels == {}


async def test_set_defaults_reports_changes(services: Services) -> None:
    change = await services.settings.set_defaults(
        GUILD, actor_id=MOD, discoverable_by_default=True, timezone="Europe/London"
    )
    assert change.changed == {
        "discoverable_by_default": (False, True),
        "timezone": ("America/Chicago", "Europe/London"),
    }
    again = await services.settings.set_defaults(GUILD, actor_id=MOD, timezone="Europe/London")
    assert again.changed == {}
    assert (await services.settings.show(GUILD)).defaults.timezone == "Europe/London"


async def test_one_bad_default_changes_nothing(services: Services) -> None:
    with pytest.raises(InvalidInput):
        await services.settings.set_defaults(
            GUILD, actor_id=MOD, discoverable_by_default=True, timezone="Nowhere/Land"
        )
    async with services.db.read() as uow:
        assert (await uow.conn.execute(select(guild_settings))).all() == []


async def test_settings_are_per_server(services: Services) -> None:
    await services.settings.set_channel(GUILD, "mentorship", 5, actor_id=MOD)
    await services.settings.set_defaults(GUILD, actor_id=MOD, intro_expiry_days=3)
    other = await services.settings.show(OTHER_GUILD)
    assert other.channels == {}
    assert other.defaults.intro_expiry_days == 7


async def test_moderator_actions_go_to_the_moderation_log(services: Services) -> None:
    await services.settings.set_channel(GUILD, "introductions", 10, actor_id=MOD)  # no log yet
    await services.settings.set_channel(GUILD, "moderation-log", 99, actor_id=MOD)
    await services.settings.set_defaults(GUILD, actor_id=MOD, intro_expiry_days=12)
    await services.settings.set_defaults(GUILD, actor_id=MOD, intro_expiry_days=12)  # no change
    async with services.db.read() as uow:
        rows = (await uow.conn.execute(select(outbox).order_by(outbox.c.id))).all()
    assert [row.recipient for row in rows] == ["channel:99", "channel:99"]
    assert "set the moderation-log channel" in rows[0].payload
    # the moderators' words, as in /setup show, not internal names
    assert "Introduction requests expire after (days): 7 → 12" in rows[1].payload
    assert "intro_expiry_days" not in rows[1].payload

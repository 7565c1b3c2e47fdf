"""Every moderator action of every feature writes exactly one line to the moderation log,
naming the moderator; and the channel-health registry lists each feature's channels."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.domain.delivery import DeliveryKind, FailureReason, Outcome
from bot.domain.health import icebreaker_schedule_needs
from bot.domain.settings import REQUIRED_PERMISSIONS, ChannelPurpose
from bot.services import Services
from tests.services.support import outbox_rows

GUILD, OTHER, MOD, ALICE = 1001, 2002, 7, 100
MODLOG, CHANNEL = 555, 600
START = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


async def moderator_lines(services: Services) -> list[str]:
    return [
        json.loads(str(row["payload"]))["message"]["content"]
        for row in await outbox_rows(services)
        if row["recipient"] == f"channel:{MODLOG}"
        and json.loads(str(row["payload"]))["message"]["content"].startswith(f"<@{MOD}> ")
    ]


def actions(s: Services) -> list[tuple[str, Callable[[], Awaitable[object]]]]:
    tags, ice = s.vocabulary, s.icebreaker_prompts

    async def first_ice_suggestion() -> int:
        return (await ice.pending(GUILD))[0][0].id

    async def tag_suggestion() -> int:
        return (await s.suggestions.pending_suggestions(GUILD))[0].id

    return [
        (
            "set a channel",
            lambda: s.settings.set_channel(GUILD, "icebreakers", CHANNEL, actor_id=MOD),
        ),
        (
            "change defaults",
            lambda: s.settings.set_defaults(GUILD, actor_id=MOD, intro_expiry_days=9),
        ),
        ("tag preset", lambda: tags.apply_preset(GUILD, "pt", actor_id=MOD)),
        ("add a tag", lambda: tags.add_tag(GUILD, "Telehealth", actor_id=MOD)),
        (
            "rename a tag",
            lambda: tags.rename_tag(GUILD, "Telehealth", "Virtual care", actor_id=MOD),
        ),
        ("add an alias", lambda: tags.add_alias(GUILD, "Virtual care", "Tele", actor_id=MOD)),
        ("remove an alias", lambda: tags.remove_alias(GUILD, "Tele", actor_id=MOD)),
        ("add another tag", lambda: tags.add_tag(GUILD, "Dry needling", actor_id=MOD)),
        (
            "merge tags",
            lambda: tags.merge_tags(GUILD, "Dry needling", "Virtual care", actor_id=MOD),
        ),
        ("approve a tag suggestion", lambda: _approve_tag(s, tag_suggestion)),
        ("reject a tag suggestion", lambda: _reject_tag(s, tag_suggestion)),
        ("post the picker", lambda: s.member_tags.picker_posted(GUILD, CHANNEL, actor_id=MOD)),
        ("import a pack", lambda: ice.import_pack(GUILD, "general", actor_id=MOD)),
        ("add a prompt", lambda: ice.add(GUILD, "What got you into PT?", actor_id=MOD)),
        ("remove a prompt", lambda: _remove_prompt(s)),
        ("decide a prompt suggestion", lambda: _decide_prompt(s, first_ice_suggestion)),
        ("schedule", lambda: _schedule(s)),
        ("pause", lambda: _pause(s, True)),
        ("resume", lambda: _pause(s, False)),
        ("post now", lambda: s.icebreaker_schedules.post_now(GUILD, CHANNEL, actor_id=MOD)),
        ("remove a schedule", lambda: _remove_schedule(s)),
    ]


async def _approve_tag(s: Services, pending: Callable[[], Awaitable[int]]) -> object:
    await s.suggestions.suggest(GUILD, ALICE, "Aquatic therapy zz")
    return await s.suggestions.approve_suggestion(
        GUILD, await pending(), actor_id=MOD, guild_name="SIG"
    )


async def _reject_tag(s: Services, pending: Callable[[], Awaitable[int]]) -> object:
    await s.suggestions.suggest(GUILD, ALICE, "Crystals")
    return await s.suggestions.reject_suggestion(
        GUILD, await pending(), actor_id=MOD, guild_name="SIG"
    )


async def _remove_prompt(s: Services) -> object:
    prompt = (await s.icebreaker_prompts.pool(GUILD))[0]
    return await s.icebreaker_prompts.remove(GUILD, prompt.id, actor_id=MOD)


async def _decide_prompt(s: Services, pending: Callable[[], Awaitable[int]]) -> object:
    await s.icebreaker_prompts.suggest(GUILD, ALICE, "Favourite textbook?")
    return await s.icebreaker_prompts.decide(
        GUILD, await pending(), approve=True, actor_id=MOD, guild_name="SIG"
    )


async def _schedule(s: Services) -> object:
    return await s.icebreaker_schedules.add(
        GUILD,
        CHANNEL,
        cadence="daily",
        time="09:00",
        weekday=None,
        timezone="UTC",
        thread=True,
        skip_if_quiet=False,
        actor_id=MOD,
    )


async def _schedule_id(s: Services) -> int:
    return (await s.icebreaker_schedules.schedules(GUILD))[0].schedule.id


async def _pause(s: Services, paused: bool) -> object:
    return await s.icebreaker_schedules.set_paused(
        GUILD, await _schedule_id(s), paused, actor_id=MOD
    )


async def _remove_schedule(s: Services) -> object:
    return await s.icebreaker_schedules.remove(GUILD, await _schedule_id(s), actor_id=MOD)


async def test_each_moderator_action_writes_one_log_line(
    services: Services, clock: FakeClock
) -> None:
    await services.settings.set_channel(GUILD, "moderation-log", MODLOG, actor_id=MOD)
    assert len(await moderator_lines(services)) == 1
    for name, action in actions(services):
        clock.advance(timedelta(minutes=1))
        before = len(await moderator_lines(services))
        await action()
        after = await moderator_lines(services)
        assert len(after) == before + 1, f"{name}: {after[before:]}"


async def test_the_health_registry_lists_every_purpose_and_schedule(services: Services) -> None:
    await services.settings.set_channel(GUILD, "mentorship", 700, actor_id=MOD)
    await _schedule(services)
    await services.icebreaker_schedules.add(
        OTHER,
        900,
        cadence="daily",
        time="09:00",
        weekday=None,
        timezone="UTC",
        thread=False,
        skip_if_quiet=False,
        actor_id=MOD,
    )
    uses = await services.health.channel_uses(GUILD)
    by_label = {use.label: use for use in uses}
    assert [use.label for use in uses][: len(ChannelPurpose)] == [p.value for p in ChannelPurpose]
    assert by_label["mentorship"].channel_id == 700
    assert by_label["mentorship"].needs == REQUIRED_PERMISSIONS[ChannelPurpose.MENTORSHIP]
    assert by_label["introductions"].channel_id is None
    schedules = [use for use in uses if use.label.startswith("icebreaker schedule")]
    assert [use.channel_id for use in schedules] == [CHANNEL]  # not the other server's
    assert schedules[0].needs == icebreaker_schedule_needs(thread=True, skip_if_quiet=False)


async def test_an_undeliverable_introduction_is_a_bot_notice_naming_nobody(
    services: Services,
) -> None:
    await services.settings.set_channel(GUILD, "moderation-log", MODLOG, actor_id=MOD)
    now = START
    async with services.db.transaction() as uow:
        request = await uow.intro_requests.add(
            GUILD, ALICE, ALICE + 1, note=None, delivered=True, now=now, expires_at=now
        )
        outcome = Outcome(
            1,
            f"intro:{request.id}:{ALICE}",
            DeliveryKind.SEND_DM,
            ALICE,
            GUILD,
            False,
            FailureReason.DMS_CLOSED,
        )
        await services.introductions.fallback.on_introduction_outcome(uow, outcome, now)
    notes = [
        json.loads(str(row["payload"]))["message"]["content"]
        for row in await outbox_rows(services)
        if row["recipient"] == f"channel:{MODLOG}"
    ]
    assert len(notes) == 2  # the channel being set, then the notice
    assert "no introductions channel is set" in notes[1]
    assert "<@" not in notes[1]

"""Property: in random communities, nobody hidden by the consent rule is ever listed or asked."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.consent import Standing, may_surface
from bot.services import Services
from bot.storage.database import Database
from bot.storage.schema.outbox import outbox

GUILD, MOD = 1001, 7
TAGS = ["Orthopedics", "Sports", "Neurology", "Research"]
PEOPLE = list(range(100, 106))

community = st.fixed_dictionaries(
    {
        "tags": st.lists(st.sets(st.sampled_from(TAGS), min_size=1), min_size=6, max_size=6),
        "discoverable": st.lists(st.booleans(), min_size=6, max_size=6),
        "snoozed": st.lists(st.booleans(), min_size=6, max_size=6),
        "blocks": st.sets(st.tuples(st.sampled_from(PEOPLE), st.sampled_from(PEOPLE))),
    }
)


@pytest.mark.slow
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=community)
async def test_nobody_hidden_is_listed_or_asked(data: dict[str, list[object]]) -> None:
    with tempfile.TemporaryDirectory() as scratch:  # a fresh database for every example
        database = await Database.open(f"sqlite+aiosqlite:///{Path(scratch) / 'bot.sqlite3'}")
        try:
            await database.migrate()
            await check_community(database, data)
        finally:
            await database.close()


async def check_community(database: Database, data: dict[str, list[object]]) -> None:
    clock = FakeClock()
    services = Services.build(database, clock)
    await populate(services, data)
    standings = {
        user: Standing(
            user,
            bool(data["discoverable"][n]),
            clock.now() + timedelta(weeks=1) if data["snoozed"][n] else None,
        )
        for n, user in enumerate(PEOPLE)
    }
    blocks = {(a, b) for a, b in data["blocks"] if a != b}  # type: ignore[misc]
    for viewer in PEOPLE:
        listed = {p.user_id for p in await services.find.suggest(GUILD, viewer)}
        for tag in TAGS:
            listed |= {p.user_id for p in (await services.find.find(GUILD, viewer, [tag])).people}
        for user in listed:
            assert may_surface(viewer, standings[user], at=clock.now(), blocks=blocks)
    requester = PEOPLE[0]
    await services.privacy.set_discoverable(GUILD, requester, True)
    await services.introductions.snooze_off(GUILD, requester)
    for target in PEOPLE[1:]:
        await services.introductions.request(GUILD, requester, target)
    async with database.read() as uow:
        rows = (await uow.conn.execute(select(outbox))).all()
    asked = {
        int(row.recipient.split(":")[1]) for row in rows if row.idempotency_key.endswith(":ask")
    }
    for target in asked:
        assert may_surface(requester, standings[target], at=clock.now(), blocks=blocks)


async def populate(services: Services, data: dict[str, list[object]]) -> None:
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    for n, user in enumerate(PEOPLE):
        for tag in data["tags"][n]:  # type: ignore[attr-defined]
            await services.member_tags.add_member_tag(GUILD, user, str(tag))
        await services.privacy.set_discoverable(GUILD, user, bool(data["discoverable"][n]))
        if data["snoozed"][n]:
            await services.introductions.snooze(GUILD, user, 1)
    for blocker, blocked in data["blocks"]:  # type: ignore[misc]
        if blocker != blocked:
            await services.privacy.block(GUILD, blocker, blocked)

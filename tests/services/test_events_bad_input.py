"""Hostile text through every events entry point: no crash, nothing stored that could ping."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from bot.domain.errors import DomainError
from bot.domain.profiles import could_ping
from bot.services import Services
from bot.storage.schema.events import events
from tests.services.support import hostile

GUILD, MOD, ALICE = 1, 2, 3


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile, other=hostile)
async def test_hostile_text_in_events(services: Services, text: str, other: str) -> None:
    if not len(await services.vocabulary.index(GUILD)):
        await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
        await services.events.add(GUILD, "CSM 2026", "2026-02-11", "2026-02-13", actor_id=MOD)
    event_id = (await services.events.listing(GUILD))[0].event.id
    calls = [
        services.events.add(GUILD, text, "2026-02-11", "2026-02-12", other, text, actor_id=MOD),
        services.events.add(GUILD, "Name", text, other, actor_id=MOD),
        services.events.add(GUILD, other, "2026-03-01", "2026-03-01", text, None, actor_id=MOD),
        services.events.complete(GUILD, text),
        services.events.people(GUILD, ALICE, event_id, [text]),
    ]
    refusals: list[str] = []
    for call in calls:
        try:
            await call
        except DomainError as error:
            refusals.append(error.message)
    assert all(refusals), "every refusal explains itself"
    assert not any(could_ping(message) for message in refusals)
    async with services.db.read() as uow:
        rows = (await uow.conn.execute(select(events))).all()
    for row in rows:
        assert not could_ping(row.name)
        assert not could_ping(row.location or "")
        assert not could_ping(row.url or "")
        assert 2 <= len(row.name) <= 100

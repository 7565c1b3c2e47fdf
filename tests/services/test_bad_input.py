"""Hostile text through every tag and profile entry point: no crash, nothing unsafe stored."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from bot.domain.errors import DomainError
from bot.domain.profiles import could_ping
from bot.domain.tags import is_allowed_char
from bot.services import Services
from bot.storage.schema.members import member_profiles
from bot.storage.schema.tags import tag_aliases, tag_categories, tag_suggestions, tags
from tests.services.support import hostile

GUILD, MOD, ALICE = 1, 2, 3


async def stored_names(services: Services) -> list[str]:
    async with services.db.read() as uow:
        found: list[str] = []
        for table in (tags, tag_aliases, tag_categories, tag_suggestions):
            found += [str(n) for n in (await uow.conn.execute(select(table.c.name))).scalars()]
            found += [str(k) for k in (await uow.conn.execute(select(table.c.key))).scalars()]
        return found


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile, other=hostile)
async def test_hostile_text_everywhere(services: Services, text: str, other: str) -> None:
    if not len(await services.vocabulary.index(GUILD)):
        await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    calls = [
        services.vocabulary.add_tag(GUILD, text, category=other, actor_id=MOD),
        services.vocabulary.add_alias(GUILD, "Sports", text, actor_id=MOD),
        services.suggestions.suggest(GUILD, ALICE, text, None),
        services.member_tags.add_member_tag(GUILD, ALICE, text),
        services.member_tags.remove_member_tag(GUILD, ALICE, text),
        services.vocabulary.vocabulary(GUILD, text),
        services.vocabulary.complete(GUILD, text),
        services.profiles.edit(GUILD, ALICE, about=text, looking_for=other),
    ]
    refusals: list[str] = []
    for call in calls:
        try:
            await call
        except DomainError as error:
            refusals.append(error.message)
    assert all(refusals), "every refusal explains itself"
    assert not any(could_ping(message) for message in refusals)
    assert all(is_allowed_char(c) for name in await stored_names(services) for c in name)
    async with services.db.read() as uow:
        rows = (await uow.conn.execute(select(member_profiles))).all()
    assert not any(could_ping(r.about or "") or could_ping(r.looking_for or "") for r in rows)

"""A mentor match made as the claim makes it (a request row, then a match row), so tests of
what follows a match do not depend on the requests side."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.domain.mentorship.matches import Match, MatchStatus, activate, add_months
from bot.domain.settings import ChannelPurpose
from bot.services import Services
from bot.storage.schema.mentorship import mentor_requests

GUILD, MOD, MENTOR, MENTEE, OTHER = 1001, 7, 100, 200, 300
THREAD, MODLOG = 555, 777
DAY = timedelta(days=1)


async def make_match(services: Services, clock: FakeClock, *, months: int = 6) -> Match:
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    await services.member_tags.add_member_tag(GUILD, MENTEE, "Orthopedics")
    tag = (await services.vocabulary.complete(GUILD, "Orthopedics"))[0]
    now = clock.now()
    async with services.db.transaction() as uow:
        tag_id = (await uow.member_tags.tag_ids(GUILD, MENTEE)).pop()
        result = await uow.conn.execute(
            mentor_requests.insert().values(
                guild_id=GUILD,
                mentee_id=MENTEE,
                tag_id=tag_id,
                goals="Pass the OCS exam; publish a case report",
                term_months=months,
                status="matched",
                created_at=now,
                opened_at=now,
                routed_wave=1,
            )
        )
        request_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        opening = Match(
            id=0,
            guild_id=GUILD,
            request_id=request_id,
            mentor_id=MENTOR,
            mentee_id=MENTEE,
            status=MatchStatus.OPENING,
            matched_at=now,
            term_ends_at=add_months(now, months),
        )
        match = await uow.mentor_matches.insert(opening)
        assert await uow.mentor_matches.save(match, activate(match, THREAD))
        await uow.settings.set_channel(GUILD, ChannelPurpose.MODERATION_LOG, MODLOG, at=now, by=MOD)
    assert tag.label
    async with services.db.read() as uow:
        found = await uow.mentor_matches.by_id(match.id)
    assert found is not None
    return found

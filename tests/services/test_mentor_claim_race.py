"""Two mentors claim the same request at the same instant, 1,000 times, through the service on
a real database: exactly one winner and one thread each time (TESTING.md "Concurrency").

Both claims start together (``asyncio.gather``); the loser must get the polite "another mentor
claimed it" conflict, never an error or a second match. Requests are inserted directly (the
routing is not what is raced) and each match is then closed so capacity stays free.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, update

from bot.domain.delivery import DeliveryKind
from bot.domain.errors import Conflict
from bot.services import Services
from bot.services.mentorship import Claimed
from bot.services.mentorship.claim import ALREADY_CLAIMED
from bot.storage.schema.mentorship import mentor_matches
from bot.storage.schema.outbox import outbox
from tests.services.support.mentorship import ANA, BEN, GUILD, prepare

TRIALS = 1000


@pytest.mark.slow
async def test_two_mentors_one_request_a_thousand_times(services: Services) -> None:
    pt = await prepare(services, mentors=(ANA, BEN))
    async with pt.db.read() as uow:
        tag = (await uow.vocabulary.tags(GUILD))[0]
    winners = {ANA: 0, BEN: 0}
    for trial in range(TRIALS):
        async with pt.db.transaction() as uow:
            request = await uow.mentor_requests.add(
                GUILD,
                10_000 + trial,  # nobody who mentors
                tag_id=tag.id,
                goals="Goals",
                term_months=6,
                background=None,
                now=pt.clock.now(),
            )
        first, second = (ANA, BEN) if trial % 2 else (BEN, ANA)
        results = await asyncio.gather(
            pt.mentor_claims.claim(request.id, first),
            pt.mentor_claims.claim(request.id, second),
            return_exceptions=True,
        )
        won = [r for r in results if isinstance(r, Claimed)]
        lost = [r for r in results if isinstance(r, Conflict)]
        assert len(won) == 1, results
        assert len(lost) == 1, results
        assert str(lost[0]) == ALREADY_CLAIMED
        winners[won[0].match.mentor_id] += 1
        async with pt.db.transaction() as uow:
            matches = (
                await uow.conn.execute(
                    select(func.count()).where(mentor_matches.c.request_id == request.id)
                )
            ).scalar_one()
            threads = (
                await uow.conn.execute(
                    select(func.count()).where(
                        outbox.c.kind == DeliveryKind.CREATE_THREAD.value,
                        outbox.c.idempotency_key.like(f"mentor:match:{won[0].match.id}:thread:%"),
                    )
                )
            ).scalar_one()
            assert (matches, threads) == (1, 1)
            await uow.conn.execute(
                update(mentor_matches)
                .where(mentor_matches.c.id == won[0].match.id)
                .values(status="closed")
            )
    assert sum(winners.values()) == TRIALS
    assert min(winners.values()) > 0  # both sides won some: the race was real both ways

"""Members who left: marked when Discord says 10007, purged after the server's retention period
(the same delete as /privacy delete), and no longer departed when they use the bot again."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from bot.clock import FakeClock
from bot.services import Services
from bot.storage.database import Database
from bot.storage.schema.outbox import outbox
from tests.services.support.privacy_world import CHANNEL, ME, OTHER, World, everywhere, rows_naming

GUILD = 990_000_000_000_000_001


async def notices(services: Services) -> list[str]:
    """What the bot posted (or will post) in the moderation-log channel."""
    async with services.db.read() as uow:
        found = await uow.conn.execute(
            select(outbox.c.payload).where(outbox.c.recipient == f"channel:{CHANNEL}")
        )
        # Some features log with embeds only (no content): those are not the purge notice.
    return [json.loads(p)["message"].get("content", "") for p in found.scalars()]


async def test_purged_only_after_the_retention_period(
    services: Services, database: Database, clock: FakeClock
) -> None:
    await everywhere(services, World(GUILD))
    await services.settings.set_defaults(GUILD, actor_id=OTHER, departed_retention_days=14)
    await services.outcomes.member_left(GUILD, ME)  # what the sender does on 10007
    await services.outcomes.member_left(GUILD, ME)  # twice: the first sighting counts
    clock.advance(timedelta(days=13, hours=23))
    assert await services.privacy.purge_departed() == 0
    assert sum((await rows_naming(database, ME, GUILD)).values()) > 0
    clock.advance(timedelta(hours=2))
    assert await services.privacy.purge_departed() == 1
    assert sum((await rows_naming(database, ME, GUILD)).values()) == 0
    assert await services.privacy.purge_departed() == 0
    purged = [n for n in await notices(services) if "stored about" in n]
    assert len(purged) == 1
    assert "Deleted everything I stored about 1 member who left" in purged[0]
    assert "Alice" not in purged[0]


async def test_a_member_who_comes_back_is_kept(
    services: Services, database: Database, clock: FakeClock
) -> None:
    await everywhere(services, World(GUILD))
    await services.outcomes.member_left(GUILD, ME)
    clock.advance(timedelta(days=10))
    await services.directory.remember_name(GUILD, ME, "Alice Example")  # any interaction
    clock.advance(timedelta(days=30))
    assert await services.privacy.purge_departed() == 0
    async with services.db.read() as uow:
        member = await uow.members.get(GUILD, ME)
    assert member is not None
    assert member.departed_at is None


async def test_an_unknown_member_is_not_created_by_leaving(services: Services) -> None:
    await services.outcomes.member_left(GUILD, 123)
    async with services.db.read() as uow:
        assert await uow.members.get(GUILD, 123) is None

"""Assemble the bot from settings: the one recipe shared by the CLI, the sandbox and tests."""

from __future__ import annotations

from collections.abc import Sequence

from bot.client import EXTENSIONS, SigBot, configure_endpoints
from bot.clock import Clock, SystemClock
from bot.heartbeat import HeartbeatFile
from bot.scheduling import Scheduler
from bot.services import Services
from bot.storage.database import Database
from config.settings import Settings


async def build_bot(
    settings: Settings,
    *,
    clock: Clock | None = None,
    extensions: Sequence[str] = EXTENSIONS,
    record_heartbeat: bool = False,
) -> SigBot:
    """Open the database (as the single writer) and wire services, scheduler and bot."""
    configure_endpoints(settings.discord_api_base_url, settings.discord_gateway_url)
    db = await Database.open(settings.database_url)
    services = Services.build(
        db, clock or SystemClock(), default_timezone=settings.default_timezone
    )
    return SigBot(
        services=services,
        scheduler=Scheduler(),
        dev_guild_id=settings.dev_guild_id,
        extensions=extensions,
        delivery_rate=settings.delivery_rate_per_second,
        dm_open_rate=settings.dm_open_rate_per_second,
        heartbeat=HeartbeatFile(settings.heartbeat_path) if record_heartbeat else None,
    )

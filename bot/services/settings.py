"""Moderator settings: show, set a channel for a purpose, change defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.settings import ChannelPurpose, GuildDefaults, GuildSettings
from bot.services.moderation_log import log_moderator_action
from bot.storage.database import Database
from bot.storage.repositories.settings import GuildSettingsRepository


@dataclass(frozen=True)
class DefaultsChange:
    """What ``set_defaults`` did, for the moderator's confirmation and the log."""

    before: GuildDefaults
    after: GuildDefaults

    @property
    def changed(self) -> dict[str, tuple[Any, Any]]:
        return {
            name: (getattr(self.before, name), getattr(self.after, name))
            for name in self.before.__dataclass_fields__
            if getattr(self.before, name) != getattr(self.after, name)
        }


class SettingsService:
    def __init__(self, db: Database, clock: Clock, *, default_timezone: str = "UTC") -> None:
        self.db = db
        self.clock = clock
        self.fallback = GuildDefaults(timezone=default_timezone)

    async def show(self, guild_id: int) -> GuildSettings:
        async with self.db.read() as conn:
            return await GuildSettingsRepository(conn).get(guild_id, self.fallback)

    async def set_channel(
        self, guild_id: int, purpose: str, channel_id: int, *, actor_id: int
    ) -> ChannelPurpose:
        try:
            chosen = ChannelPurpose(purpose)
        except ValueError:
            names = ", ".join(p.value for p in ChannelPurpose)
            raise InvalidInput(
                f"{purpose} is not a channel purpose. Choose one of: {names}."
            ) from None
        now = self.clock.now()
        async with self.db.transaction() as conn:
            await GuildSettingsRepository(conn).set_channel(
                guild_id, chosen, channel_id, at=now, by=actor_id
            )
            await log_moderator_action(
                conn,
                guild_id,
                actor_id,
                f"set the {chosen.value} channel to <#{channel_id}>.",
                now=now,
            )
        return chosen

    async def clear_channel(self, guild_id: int, purpose: ChannelPurpose) -> bool:
        async with self.db.transaction() as conn:
            return await GuildSettingsRepository(conn).clear_channel(guild_id, purpose)

    async def set_defaults(self, guild_id: int, *, actor_id: int, **changes: Any) -> DefaultsChange:
        """Validate every change first; a single bad value changes nothing."""
        async with self.db.transaction() as conn:
            repo = GuildSettingsRepository(conn)
            before = (await repo.get(guild_id, self.fallback)).defaults
            after = before.changed(**changes)
            change = DefaultsChange(before, after)
            if change.changed:
                now = self.clock.now()
                await repo.save_defaults(guild_id, after, at=now, by=actor_id)
                summary = ", ".join(
                    f"{k}: {old} → {new}" for k, (old, new) in change.changed.items()
                )
                await log_moderator_action(
                    conn, guild_id, actor_id, f"changed defaults ({summary}).", now=now
                )
        return change

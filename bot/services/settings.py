"""Moderator settings: show, set a channel for a purpose, change defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.settings import ChannelPurpose, GuildDefaults, GuildSettings, Setting
from bot.services.moderation_log import log_moderator_action
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DefaultsChange:
    """What ``set_defaults`` did, for the moderator's confirmation and the log."""

    before: GuildDefaults
    after: GuildDefaults

    @property
    def changes(self) -> list[tuple[Setting, Any, Any]]:
        return self.before.described_changes(self.after)

    @property
    def changed(self) -> dict[str, tuple[Any, Any]]:
        return {setting.name: (old, new) for setting, old, new in self.changes}

    def summary(self) -> str:
        """``Label: old → new`` for each change, in the moderators' words."""
        return "; ".join(
            f"{s.label}: {s.format(old)} → {s.format(new)}" for s, old, new in self.changes
        )


class SettingsService:
    def __init__(self, db: Database, clock: Clock, *, default_timezone: str = "UTC") -> None:
        self.db = db
        self.clock = clock
        self.fallback = GuildDefaults(timezone=default_timezone)

    async def show(self, guild_id: int) -> GuildSettings:
        async with self.db.read() as uow:
            return await uow.settings.get(guild_id, self.fallback)

    async def defaults_in(self, uow: UnitOfWork, guild_id: int) -> GuildDefaults:
        """The server's defaults inside the caller's unit of work (the real ones, not a guess)."""
        return (await uow.settings.get(guild_id, self.fallback)).defaults

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
        async with self.db.transaction() as uow:
            await uow.settings.set_channel(guild_id, chosen, channel_id, at=now, by=actor_id)
            await log_moderator_action(
                uow,
                guild_id,
                actor_id,
                f"set the {chosen.value} channel to <#{channel_id}>.",
                now=now,
            )
        return chosen

    async def set_defaults(self, guild_id: int, *, actor_id: int, **changes: Any) -> DefaultsChange:
        """Validate every change first; a single bad value changes nothing."""
        async with self.db.transaction() as uow:
            before = await self.defaults_in(uow, guild_id)
            change = DefaultsChange(before, before.changed(**changes))
            if change.changes:
                now = self.clock.now()
                await uow.settings.save_defaults(guild_id, change.after, at=now, by=actor_id)
                await log_moderator_action(
                    uow, guild_id, actor_id, f"changed defaults ({change.summary()}).", now=now
                )
        return change

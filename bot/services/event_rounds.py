"""``/setup events round``: once after an event, an intro round among its attendees.

The event says who (its attendees whose attendance has not faded); the intro rounds do the rest
under their own rules (the consent rule, blocks, already introduced, the unplaced told why), once
per event: the round's source key is ``event:<id>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.errors import Conflict, InvalidInput
from bot.domain.events import Event
from bot.domain.settings import ChannelPurpose
from bot.services.events import EventService
from bot.services.moderation_log import log_moderator_action
from bot.services.rounds import RoundsService
from bot.services.rounds.running import RoundResult
from bot.services.settings import SettingsService
from bot.storage.database import Database


@dataclass(frozen=True)
class EventRound:
    event: Event
    attendees: int
    result: RoundResult


class EventRounds:
    def __init__(
        self, db: Database, settings: SettingsService, events: EventService, rounds: RoundsService
    ) -> None:
        self.db = db
        self.settings = settings
        self.events = events
        self.rounds = rounds

    async def run(
        self,
        guild_id: int,
        event_id: int,
        *,
        channel_id: int | None,
        group_size: int = 2,
        actor_id: int,
    ) -> EventRound:
        event, attendees = await self.events.after_the_event(guild_id, event_id)
        if channel_id is None:
            channel_id = (await self.settings.show(guild_id)).channels.get(
                ChannelPurpose.INTRODUCTIONS
            )
        if channel_id is None:
            raise InvalidInput(
                "Choose the `channel` for the round's private threads (or set the "
                "introductions channel with `/setup channel`)."
            )
        result = await self.rounds.run_once(
            guild_id,
            channel_id,
            attendees,
            source_key=f"event:{event.id}",
            label=event.name,
            group_size=group_size,
        )
        if result is None:
            raise Conflict(f"The intro round for {event.name} already ran; it runs once.")
        async with self.db.transaction() as uow:
            await log_moderator_action(
                uow,
                guild_id,
                actor_id,
                f"ran the intro round of event {event.id} ({result.groups} groups).",
                now=self.rounds.clock.now(),
            )
        return EventRound(event, len(attendees), result)

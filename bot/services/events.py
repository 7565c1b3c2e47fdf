"""Events (conference mode): moderators add or import events, members mark they attend and find
other attendees who share their interests; attendance fades after the event.

Listings go through :class:`FindService` with the attendees as ``among``: the same ranking and
the same consent rule as ``/find``. Fading is by date in the server's time zone
(``bot.domain.events``); every query leaves faded attendance out, and :meth:`forget_faded`
deletes it (data minimisation) without telling anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.clock import Clock
from bot.domain.errors import Conflict, DomainError, NotFound
from bot.domain.events import (
    Event,
    check_not_over,
    draft,
    draft_from_text,
    imported_dates,
    is_faded,
    is_over,
    local_today,
    oldest_live_end,
)
from bot.services.introductions.find import FindResult, FindService
from bot.services.members import MemberDirectory
from bot.services.moderation_log import log_moderator_action
from bot.services.settings import SettingsService
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

CHOICES = 25  # Discord's limit on autocomplete choices


@dataclass(frozen=True)
class ScheduledEvent:
    """One of the server's Discord scheduled events, as the cog read it."""

    discord_id: int
    name: str
    start: datetime
    end: datetime | None
    location: str | None
    url: str | None
    canceled: bool = False


@dataclass(frozen=True)
class ImportResult:
    added: tuple[Event, ...]
    updated: tuple[Event, ...]
    skipped: tuple[str, ...]  # names of events that could not be imported, with the reason


@dataclass(frozen=True)
class EventPeople:
    event: Event
    result: FindResult


@dataclass(frozen=True)
class Attending:
    event: Event
    new: bool  # False: already marked
    discoverable: bool  # others see me in the listings only if so


@dataclass(frozen=True)
class EventLine:
    """An event as moderators list it, with its state today."""

    event: Event
    over: bool
    faded: bool


@dataclass(frozen=True)
class _Today:
    today: date
    retention_days: int

    @property
    def live_from(self) -> date:
        return oldest_live_end(self.today, self.retention_days)


class EventService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        directory: MemberDirectory,
        settings: SettingsService,
        find: FindService,
    ) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory
        self.settings = settings
        self.finder = find

    async def _today(self, uow: UnitOfWork, guild_id: int) -> _Today:
        defaults = await self.settings.defaults_in(uow, guild_id)
        return _Today(
            local_today(self.clock.now(), defaults.timezone), defaults.event_retention_days
        )

    # -- moderators -----------------------------------------------------------------------------

    async def add(
        self,
        guild_id: int,
        name: str,
        start: str,
        end: str,
        location: str | None = None,
        url: str | None = None,
        *,
        actor_id: int,
    ) -> Event:
        checked = draft_from_text(name, start, end, location, url)
        now = self.clock.now()
        async with self.db.transaction() as uow:
            check_not_over(checked.end_date, (await self._today(uow, guild_id)).today)
            event = await uow.events.add(guild_id, checked, at=now, by=actor_id)
            await log_moderator_action(
                uow, guild_id, actor_id, f"added the event {_label(event)}.", now=now
            )
        return event

    async def import_scheduled(
        self, guild_id: int, found: Sequence[ScheduledEvent], *, actor_id: int
    ) -> ImportResult:
        """Add the server's scheduled events; one imported before is updated, not repeated."""
        now = self.clock.now()
        added: list[Event] = []
        updated: list[Event] = []
        skipped: list[str] = []
        async with self.db.transaction() as uow:
            timezone = (await self.settings.defaults_in(uow, guild_id)).timezone
            for item in found:
                if item.canceled:
                    continue
                try:
                    first, last = imported_dates(item.start, item.end, timezone)
                    checked = draft(item.name, first, last, item.location, item.url)
                except DomainError as error:  # one our rules reject: say which, go on
                    skipped.append(f"{item.name[:100]}: {error}")
                    continue
                known = await uow.events.by_discord_id(guild_id, item.discord_id)
                if known is None:
                    added.append(
                        await uow.events.add(
                            guild_id, checked, at=now, by=actor_id, discord_event_id=item.discord_id
                        )
                    )
                else:
                    await uow.events.update(guild_id, known.id, checked)
                    refreshed = await uow.events.get(guild_id, known.id)
                    assert refreshed is not None
                    updated.append(refreshed)
            if added or updated:
                text = (
                    f"imported the server's scheduled events: {len(added)} added, "
                    f"{len(updated)} updated."
                )
                await log_moderator_action(uow, guild_id, actor_id, text, now=now)
        return ImportResult(tuple(added), tuple(updated), tuple(skipped))

    async def listing(self, guild_id: int) -> list[EventLine]:
        async with self.db.read() as uow:
            today = await self._today(uow, guild_id)
            found = await uow.events.in_guild(guild_id)
        return [
            EventLine(
                e,
                is_over(e.end_date, today.today),
                is_faded(e.end_date, today.today, today.retention_days),
            )
            for e in found
        ]

    async def get(self, guild_id: int, event_id: int) -> Event:
        async with self.db.read() as uow:
            return await _event(uow, guild_id, event_id)

    async def remove(self, guild_id: int, event_id: int, *, actor_id: int) -> Event:
        """The event and its attendance go; attendees are not told (nothing to cancel)."""
        now = self.clock.now()
        async with self.db.transaction() as uow:
            event = await _event(uow, guild_id, event_id)
            await uow.events.remove(guild_id, event_id)
            await log_moderator_action(
                uow, guild_id, actor_id, f"removed the event {_label(event)}.", now=now
            )
        return event

    # -- members --------------------------------------------------------------------------------

    async def attend(self, guild_id: int, user_id: int, event_id: int) -> Attending:
        async with self.db.transaction() as uow:
            event = await _event(uow, guild_id, event_id)
            today = await self._today(uow, guild_id)
            if is_over(event.end_date, today.today):
                raise Conflict(f"{event.name} is over, so it can no longer be attended.")
            member = await self.directory.ensure(uow, guild_id, user_id)
            new = await uow.events.attend(guild_id, event_id, user_id, at=self.clock.now())
            uow.after_commit(lambda: self.finder.knows(guild_id, user_id))
        return Attending(event, new, member.discoverable)

    async def leave(self, guild_id: int, user_id: int, event_id: int) -> Event:
        async with self.db.transaction() as uow:
            event = await _event(uow, guild_id, event_id)
            if not await uow.events.leave(guild_id, event_id, user_id):
                raise Conflict(f"You were not marked as attending {event.name}.")
        return event

    async def mine(self, guild_id: int, user_id: int) -> list[Event]:
        """The member's events, leaving out those whose attendance has faded."""
        async with self.db.read() as uow:
            today = await self._today(uow, guild_id)
            return await uow.events.events_of(guild_id, user_id, live_from=today.live_from)

    async def attendees(self, guild_id: int, event_id: int) -> list[int]:
        """Member ids still attending (not faded); what an event's intro round groups.

        Consent is the caller's to apply (the rounds engine filters for discoverable, not
        snoozed and blocks, as for any round)."""
        async with self.db.read() as uow:
            today = await self._today(uow, guild_id)
            return await uow.events.attendees(guild_id, event_id, live_from=today.live_from)

    async def after_the_event(self, guild_id: int, event_id: int) -> tuple[Event, list[int]]:
        """An event that is over and its attendees (not faded): what its intro round groups."""
        async with self.db.read() as uow:
            event = await _event(uow, guild_id, event_id)
            today = await self._today(uow, guild_id)
            if not is_over(event.end_date, today.today):
                raise Conflict(
                    f"{event.name} is not over yet: its intro round is for after the event "
                    f"(from the day after {event.end_date:%d %b %Y})."
                )
            attendees = await uow.events.attendees(guild_id, event_id, live_from=today.live_from)
        return event, attendees

    async def _live(self, guild_id: int, event_id: int) -> tuple[Event, list[int]]:
        async with self.db.read() as uow:
            event = await _event(uow, guild_id, event_id)
            today = await self._today(uow, guild_id)
            if is_faded(event.end_date, today.today, today.retention_days):
                raise NotFound(f"{event.name} ended a while ago; its attendance list is gone.")
            found = await uow.events.attendees(guild_id, event_id, live_from=today.live_from)
        return event, found

    async def people(
        self,
        guild_id: int,
        viewer_id: int,
        event_id: int,
        tag_texts: Sequence[str] = (),
        page: int = 0,
        *,
        tag_required: bool = False,
    ) -> EventPeople:
        """Discoverable attendees (with the tags, if named) ranked as ``/find`` ranks."""
        event, among = await self._live(guild_id, event_id)
        result = await self.finder.find(
            guild_id, viewer_id, tag_texts, page, among=among, required=tag_required
        )
        return EventPeople(event, result)

    async def people_by_ids(
        self, guild_id: int, viewer_id: int, event_id: int, tag_ids: Sequence[int], page: int
    ) -> EventPeople:
        """Another page of an event listing (paging buttons carry ids)."""
        event, among = await self._live(guild_id, event_id)
        result = await self.finder.find_by_ids(guild_id, viewer_id, tag_ids, page, among=among)
        return EventPeople(event, result)

    async def complete(
        self, guild_id: int, current: str, *, user_id: int | None = None, upcoming: bool = False
    ) -> list[Event]:
        """Events for autocomplete: not faded (``upcoming``: not over; ``user_id``: theirs)."""
        async with self.db.read() as uow:
            today = await self._today(uow, guild_id)
            if user_id is not None:
                found = await uow.events.events_of(guild_id, user_id, live_from=today.live_from)
            else:
                ending_from = today.today if upcoming else today.live_from
                found = await uow.events.in_guild(guild_id, ending_from=ending_from)
        needle = current.strip().casefold()
        return [e for e in found if needle in e.name.casefold()][:CHOICES]

    # -- housekeeping ---------------------------------------------------------------------------

    async def forget_faded(self) -> int:
        """Delete faded attendance in every server (each by its own time zone and retention)."""
        async with self.db.read() as uow:
            guild_ids = await uow.events.guilds_with_attendance()
        purged = 0
        for guild_id in guild_ids:
            async with self.db.transaction() as uow:
                today = await self._today(uow, guild_id)
                purged += await uow.events.purge_faded(guild_id, live_from=today.live_from)
        if purged:
            log.info("Forgot %d faded event attendances", purged)
        return purged


async def _event(uow: UnitOfWork, guild_id: int, event_id: int) -> Event:
    event = await uow.events.get(guild_id, event_id)
    if event is None:
        raise NotFound("There is no such event here. Pick one from the list as you type.")
    return event


def _label(event: Event) -> str:
    return f"{event.id} · {event.name} ({event.start_date} to {event.end_date})"

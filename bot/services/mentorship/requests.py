"""Mentees' requests: open one (routed at once), cancel it before a claim."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.errors import Conflict, NotFound
from bot.domain.mentorship.requests import (
    BACKGROUND_LIMIT,
    MentorRequest,
    RequestStatus,
    check_not_open_already,
    clean_goals,
    clean_text,
    parse_term,
)
from bot.services.members import MemberDirectory
from bot.services.mentorship.messages import Ending
from bot.services.mentorship.routing import MentorRouting, announce_ended
from bot.services.tags.index import load_index
from bot.storage.database import Database

log = logging.getLogger(__name__)


NOT_DISCOVERABLE = (
    "Mentors see your request and, once one claims it, your profile, so you need to be "
    "discoverable first: use /privacy discoverable on."
)


@dataclass(frozen=True)
class OpenedRequest:
    request: MentorRequest
    topic: str
    routed: bool  # False while the mentee snoozes: it goes out when the snooze ends


class MentorRequestService:
    def __init__(
        self, db: Database, clock: Clock, directory: MemberDirectory, routing: MentorRouting
    ) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory
        self.routing = routing

    async def form_for(self, guild_id: int, mentee_id: int, text: str) -> str:
        """Before the request form opens: the topic's tag name (for the form's title; friendly
        NotFound if none), or why a request cannot be opened now, so nobody types their goals
        into a form that will be refused."""
        async with self.db.transaction() as uow:  # ensure: a new member gets the server default
            name = (await load_index(uow, guild_id)).resolve(text).name
            mentee = await self.directory.ensure(uow, guild_id, mentee_id)
            if not mentee.discoverable:
                raise Conflict(NOT_DISCOVERABLE)
            check_not_open_already(await uow.mentor_requests.current_for(guild_id, mentee_id))
        return name

    async def open(
        self,
        guild_id: int,
        mentee_id: int,
        *,
        topic: str,
        goals: str,
        term: str | None,
        background: str | None,
    ) -> OpenedRequest:
        cleaned_goals = clean_goals(goals)
        months = parse_term(term)
        cleaned_background = clean_text(background, BACKGROUND_LIMIT, "Background")
        now = self.clock.now()
        async with self.db.transaction() as uow:
            tag = (await load_index(uow, guild_id)).resolve(topic)
            mentee = await self.directory.ensure(uow, guild_id, mentee_id)
            if not mentee.discoverable:
                raise Conflict(NOT_DISCOVERABLE)
            check_not_open_already(await uow.mentor_requests.current_for(guild_id, mentee_id))
            request = await uow.mentor_requests.add(
                guild_id,
                mentee_id,
                tag_id=tag.id,
                goals=cleaned_goals,
                term_months=months,
                background=cleaned_background,
                now=now,
            )
            routed = await self.routing.route(uow, request, now)
        log.info("Guild %s: mentor request %s opened", guild_id, request.id)
        return OpenedRequest(request, tag.name, routed)

    async def cancel(self, guild_id: int, mentee_id: int) -> MentorRequest:
        now = self.clock.now()
        async with self.db.transaction() as uow:
            request = await uow.mentor_requests.current_for(guild_id, mentee_id)
            if request is None:
                raise NotFound("You have no open mentor request to cancel.")
            if request.status is not RequestStatus.OPEN or not await uow.mentor_requests.move(
                request.id, RequestStatus.OPEN, RequestStatus.CANCELLED, now=now
            ):
                raise Conflict(
                    "A mentor has already claimed your request, so it can't be cancelled. "
                    "To end the mentorship, use /mentor close in your thread."
                )
            await announce_ended(uow, request, Ending.CANCELLED, now)
        return request

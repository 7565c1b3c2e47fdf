"""Mentors: offer (capacity, note, topics), pause, resume, status; the server's require-role."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.clock import Clock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.mentorship.requests import (
    DEFAULT_CAPACITY,
    NOTE_LIMIT,
    MentorProfile,
    MentorRequest,
    check_capacity,
    clean_text,
)
from bot.domain.mentorship.routing import mentor_topics
from bot.services.members import MemberDirectory
from bot.services.mentorship.routing import MentorRouting
from bot.services.moderation_log import log_moderator_action
from bot.services.tags.index import load_index
from bot.storage.database import Database
from bot.storage.repositories.mentor_openings import MatchStub
from bot.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class MentorStatus:
    """What /mentor status shows: my offer, my mentorships, my request, what I was offered."""

    profile: MentorProfile | None
    topics: tuple[str, ...]  # what I mentor, by name
    discoverable: bool
    matches: tuple[MatchStub, ...]  # opening or active, as mentor or mentee
    request: MentorRequest | None  # my own open or matched request
    offered: tuple[MentorRequest, ...]  # open requests offered to me

    @property
    def mentees(self) -> int:
        if self.profile is None:
            return 0
        return sum(1 for m in self.matches if m.mentor_id == self.profile.user_id)

    @property
    def full(self) -> bool:
        """At capacity: routing tells this mentor of nothing new until a mentorship ends."""
        return self.profile is not None and self.mentees >= self.profile.capacity


class MentorService:
    def __init__(
        self, db: Database, clock: Clock, directory: MemberDirectory, routing: MentorRouting
    ) -> None:
        self.db = db
        self.clock = clock
        self.directory = directory
        self.routing = routing

    async def offer(
        self,
        guild_id: int,
        user_id: int,
        *,
        capacity: int | None = None,
        note: str | None = None,
        topics: Sequence[str] = (),
        role_ids: Collection[int] = (),
    ) -> MentorStatus:
        """Become a mentor (or change the offer): all my tags, or the topics named. Capacity
        and note left out keep what the offer had (capacity 2 for a first offer)."""
        if capacity is not None:
            check_capacity(capacity)
        cleaned = clean_text(note, NOTE_LIMIT, "A note")
        now = self.clock.now()
        async with self.db.transaction() as uow:
            required = await uow.mentors.require_role(guild_id)
            if required is not None and required not in role_ids:
                raise Conflict(
                    f"In this server mentors need the <@&{required}> role; ask a moderator."
                )
            await self.directory.ensure(uow, guild_id, user_id)
            held = await uow.member_tags.tag_ids(guild_id, user_id)
            if not held:
                raise Conflict(
                    "Add the tags you can mentor in first (/tags add): requests are routed by tag."
                )
            index = await load_index(uow, guild_id)
            chosen = frozenset(index.resolve(text).id for text in topics)
            if chosen - held:
                raise InvalidInput(
                    "You can mentor only in your own tags: add them with /tags add first."
                )
            existing = await uow.mentors.get(guild_id, user_id)
            await uow.mentors.save(
                guild_id,
                user_id,
                capacity=capacity or (existing.capacity if existing else DEFAULT_CAPACITY),
                note=cleaned if note is not None else (existing.note if existing else None),
                topics=chosen,
                now=now,
            )
            return await self._status(uow, guild_id, user_id)

    async def pause(self, guild_id: int, user_id: int) -> int:
        """No new requests; those offered only to me go to the next mentors. How many."""
        now = self.clock.now()
        async with self.db.transaction() as uow:
            await self._profile(uow, guild_id, user_id)
            if not await uow.mentors.set_paused(guild_id, user_id, True, now=now):
                raise Conflict("You are already paused: /mentor resume when you're ready.")
            return await self.routing.reroute_offered_only_to(uow, guild_id, user_id, now)

    async def resume(self, guild_id: int, user_id: int) -> int:
        """Requests reach me again, starting with the open ones I could take; how many."""
        now = self.clock.now()
        async with self.db.transaction() as uow:
            await self._profile(uow, guild_id, user_id)
            if not await uow.mentors.set_paused(guild_id, user_id, False, now=now):
                raise Conflict("You are not paused: requests can reach you.")
            return await self.routing.tell_resumed(uow, guild_id, user_id, now)

    async def status(self, guild_id: int, user_id: int) -> MentorStatus:
        async with self.db.read() as uow:
            return await self._status(uow, guild_id, user_id)

    async def _profile(self, uow: UnitOfWork, guild_id: int, user_id: int) -> MentorProfile:
        profile = await uow.mentors.get(guild_id, user_id)
        if profile is None:
            raise NotFound("You have not offered to mentor here yet: use /mentor offer.")
        return profile

    async def _status(self, uow: UnitOfWork, guild_id: int, user_id: int) -> MentorStatus:
        profile = await uow.mentors.get(guild_id, user_id)
        member = await uow.members.get(guild_id, user_id)
        names: tuple[str, ...] = ()
        if profile is not None:
            held = frozenset(await uow.member_tags.tag_ids(guild_id, user_id))
            tags = await uow.vocabulary.tags_by_ids(
                guild_id, set(mentor_topics(profile.topics, held))
            )
            names = tuple(sorted(t.name for t in tags))
        return MentorStatus(
            profile=profile,
            topics=names,
            discoverable=bool(member and member.discoverable),
            matches=tuple(await uow.mentor_requests.holding(guild_id, user_id)),
            request=await uow.mentor_requests.current_for(guild_id, user_id),
            offered=tuple(await uow.mentor_requests.offered_to(guild_id, user_id)),
        )

    # -- moderators -----------------------------------------------------------------------------

    async def require_role(self, guild_id: int) -> int | None:
        async with self.db.read() as uow:
            return await uow.mentors.require_role(guild_id)

    async def set_require_role(self, guild_id: int, role_id: int | None, *, actor_id: int) -> None:
        now = self.clock.now()
        async with self.db.transaction() as uow:
            await uow.mentors.set_require_role(guild_id, role_id, actor_id=actor_id, now=now)
            text = (
                f"set mentorship: mentors need the <@&{role_id}> role to offer."
                if role_id
                else "set mentorship: any member may offer to mentor."
            )
            await log_moderator_action(uow, guild_id, actor_id, text, now=now)

"""Member profiles: edit my own text, view a member's profile under the consent rule."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.profiles import (
    ABOUT_LIMIT,
    CONTACT_LIMIT,
    LOOKING_FOR_LIMIT,
    Profile,
    ProfileUnavailable,
    clean_profile_text,
    may_view_profile,
)
from bot.domain.tags import CategoryTags
from bot.services.members import MemberDirectory
from bot.storage.database import Database


@dataclass(frozen=True)
class ProfileView:
    """What ``/profile view`` shows: text, tags by category, and (to the owner) visibility."""

    user_id: int
    profile: Profile
    tags: tuple[CategoryTags, ...]
    discoverable: bool
    is_self: bool


class ProfileService:
    def __init__(self, db: Database, directory: MemberDirectory) -> None:
        self.db = db
        self.directory = directory

    async def own(self, guild_id: int, user_id: int) -> Profile:
        """My stored profile (empty if none), e.g. to pre-fill the edit modal."""
        async with self.db.read() as uow:
            return await uow.profiles.get(guild_id, user_id) or Profile()

    async def edit(
        self,
        guild_id: int,
        user_id: int,
        *,
        about: str | None,
        looking_for: str | None,
        contact: str | None = None,
    ) -> Profile:
        """Replace the fields (empty clears one). Invalid text changes nothing."""
        profile = Profile(
            about=clean_profile_text(about, limit=ABOUT_LIMIT, label="About me"),
            looking_for=clean_profile_text(
                looking_for, limit=LOOKING_FOR_LIMIT, label="What I'm looking for"
            ),
            contact=clean_profile_text(contact, limit=CONTACT_LIMIT, label="How to reach me"),
        )
        async with self.db.transaction() as uow:
            await self.directory.ensure(uow, guild_id, user_id)
            await uow.profiles.save(guild_id, user_id, profile, now=self.directory.clock.now())
        return profile

    async def view(self, guild_id: int, viewer_id: int, subject_id: int) -> ProfileView:
        """The subject's profile if the viewer may see it; otherwise one neutral answer."""
        async with self.db.read() as uow:
            member = await uow.members.get(guild_id, subject_id)
            discoverable = member is not None and member.discoverable
            is_self = viewer_id == subject_id
            if not is_self and member is None:
                raise ProfileUnavailable()
            blocked = not is_self and await uow.blocks.between(guild_id, viewer_id, subject_id)
            if not may_view_profile(
                viewer_id, subject_id, discoverable=discoverable, blocked=blocked
            ):
                raise ProfileUnavailable()
            profile = await uow.profiles.get(guild_id, subject_id) or Profile()
            tags = await self.directory.grouped_tags(uow, guild_id, subject_id)
        return ProfileView(subject_id, profile, tuple(tags), discoverable, is_self)

"""Profiles: "About me", "What I'm looking for" and the contact card."""

from __future__ import annotations

from collections.abc import Mapping

from bot.manifest import Feature, Wiring
from bot.services.members import MemberDirectory
from bot.services.profiles import ProfileService
from bot.storage.repositories.profiles import ProfileRepository


def build(wiring: Wiring) -> Mapping[str, object]:
    return {"profiles": ProfileService(wiring.db, wiring.get(MemberDirectory))}


FEATURE = Feature(
    name="profiles",
    repositories={"profiles": ProfileRepository},
    build=build,
    extensions=("cogs.profile",),
)

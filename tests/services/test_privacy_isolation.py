"""Cross-server isolation, property-based: whatever the same people do in two servers, a query
for server A never returns a row of server B, through the contract (the export of a member in
A) and through each repository's server-scoped reads."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.domain.settings import GuildDefaults
from bot.services import Services
from bot.storage.unit_of_work import UnitOfWork
from tests.services.support.privacy_world import (
    ACTIVITIES,
    CAROL,
    ME,
    OTHER,
    World,
    dumped,
    member_tags,
    vocabulary,
)
from tests.storage.scratch_databases import BACKENDS, scratch_database

A, B = 990_000_000_000_000_001, 990_000_000_000_000_002
Read = Callable[[UnitOfWork, int], Awaitable[Any]]

# Every server-scoped read of every repository that holds member data.
READS: dict[str, Read] = {
    "members.in_guild": lambda uow, g: uow.members.in_guild(g),
    "members.get": lambda uow, g: uow.members.get(g, ME),
    "members.many": lambda uow, g: uow.members.many(g, [ME, OTHER, CAROL]),
    "profiles.get": lambda uow, g: uow.profiles.get(g, ME),
    "member_tags.held_in": lambda uow, g: uow.member_tags.held_in(g),
    "member_tags.tag_ids": lambda uow, g: uow.member_tags.tag_ids(g, ME),
    "vocabulary.tags": lambda uow, g: uow.vocabulary.tags(g),
    "vocabulary.categories": lambda uow, g: uow.vocabulary.categories(g),
    "vocabulary.member_counts": lambda uow, g: uow.vocabulary.member_counts(g),
    "suggestions.pending": lambda uow, g: uow.suggestions.pending(g, limit=100),
    "settings.get": lambda uow, g: uow.settings.get(g, GuildDefaults()),
    "intro_requests.outgoing": lambda uow, g: uow.intro_requests.outgoing(g, ME),
    "intro_requests.incoming": lambda uow, g: uow.intro_requests.incoming(g, ME),
    "intro_requests.between": lambda uow, g: uow.intro_requests.between(g, ME, OTHER),
    "intro_requests.pending_involving": lambda uow, g: uow.intro_requests.pending_involving(g, ME),
    "blocks.pairs_in": lambda uow, g: uow.blocks.pairs_in(g),
    "blocks.made_by": lambda uow, g: uow.blocks.made_by(g, ME),
    "icebreakers.schedules": lambda uow, g: uow.icebreakers.schedules(g),
    "icebreakers.prompts": lambda uow, g: uow.icebreakers.prompts(g),
}
IDS_ONLY = {"blocks.pairs_in", "blocks.made_by", "member_tags.held_in", "member_tags.tag_ids"}


def guild_ids_in(value: Any) -> set[int]:
    """Every ``guild_id`` held by the records in ``value``, at any depth."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found = {value.guild_id} if hasattr(value, "guild_id") else set()
        return found | guild_ids_in(dataclasses.asdict(value))
    if isinstance(value, dict):
        found = {int(value["guild_id"])} if value.get("guild_id") is not None else set()
        return found.union(*(guild_ids_in(v) for v in value.values()))
    if isinstance(value, list | tuple | set | frozenset):
        return set().union(*(guild_ids_in(v) for v in value))
    return set()


def plan(chosen: list[int]) -> list[int]:
    """The activities to run, in order; tags need the vocabulary."""
    wanted = set(chosen)
    if ACTIVITIES.index(member_tags) in wanted:
        wanted.add(ACTIVITIES.index(vocabulary))
    return sorted(wanted)


activity_sets = st.lists(st.integers(0, len(ACTIVITIES) - 1), unique=True, max_size=len(ACTIVITIES))


# A fresh migrated database per example: a minute or more on a busy machine.
@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("backend", BACKENDS)
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(in_a=activity_sets, in_b=activity_sets)
async def test_server_a_never_sees_server_b(backend: str, in_a: list[int], in_b: list[int]) -> None:
    async with scratch_database(backend) as database:  # a fresh database for every example
        services = Services.build(database, FakeClock(), default_timezone="UTC")
        for guild, chosen in ((A, in_a), (B, in_b)):
            for index in plan(chosen):
                await ACTIVITIES[index](services, World(guild))
        await check_isolation(services)


async def check_isolation(services: Services) -> None:
    for guild, other in ((A, B), (B, A)):
        export = await services.privacy.export(guild, ME)
        assert set(export["servers"]) <= {str(guild)}
        assert other not in guild_ids_in(export["servers"])
        marker = World(other).tag("")
        assert marker not in dumped(export["servers"])
        async with services.db.read() as uow:
            for name, read in READS.items():
                found = await read(uow, guild)
                assert other not in guild_ids_in(found), name
                if name not in IDS_ONLY:
                    assert marker not in repr(found), name

"""``GET /guilds/{guild.id}/scheduled-events`` in the sandbox, through the real discord.py client,
with the reference validator on: the request and each event's fields as Discord's spec says."""

from __future__ import annotations

import datetime
from typing import Any

import discord
import pytest
from support import Bot

from sandbox.server import SandboxServer
from sandbox.testing import conformance_violations, run_client, without_conformance

UTC = datetime.UTC


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


async def test_list_scheduled_events_conforms(
    sandbox_server: SandboxServer, world: dict[str, Any]
) -> None:
    if sandbox_server.conformance is None:
        without_conformance("reference specs (../shared) not available")
    guild = world["guild"]
    conference = guild.add_scheduled_event(
        "CSM 2027",
        at("2027-02-11T14:00:00"),
        at("2027-02-13T23:00:00"),
        location="San Diego, CA",
        description="Combined Sections Meeting",
        creator=world["maria"].user,
    )
    guild.add_scheduled_event(
        "Journal club", at("2027-01-20T18:00:00"), channel=world["general"], status=2
    )
    async with run_client(sandbox_server, Bot(guild, lambda bot: None)) as bot:
        found = await bot.get_guild(guild.id).fetch_scheduled_events()  # type: ignore[union-attr]
        without_counts = await bot.get_guild(guild.id).fetch_scheduled_events(  # type: ignore[union-attr]
            with_counts=False
        )
    assert [e.name for e in found] == ["Journal club", "CSM 2027"]  # by start time
    club, csm = found
    assert csm.id == conference.id
    assert csm.entity_type is discord.EntityType.external
    assert csm.location == "San Diego, CA"
    assert csm.start_time == at("2027-02-11T14:00:00")
    assert csm.end_time == at("2027-02-13T23:00:00")
    assert csm.description == "Combined Sections Meeting"
    assert csm.creator_id == world["maria"].id
    assert csm.url == f"https://discord.com/events/{guild.id}/{conference.id}"
    assert club.entity_type is discord.EntityType.voice
    assert club.channel_id == world["general"].id
    assert club.end_time is None
    assert club.status is discord.EventStatus.active
    assert len(without_counts) == 2
    assert sandbox_server.requests_for("GET /guilds/{guild_id}/scheduled-events")
    assert conformance_violations(sandbox_server) == []


def test_an_external_event_needs_a_location_and_an_end(world: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="location and an end time"):
        world["guild"].add_scheduled_event("No place", at("2027-01-01T10:00:00"))

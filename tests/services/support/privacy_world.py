"""A member active in every feature, as a list of per-feature activities (easy to extend).

``ME`` takes part in everything, as a member and as a moderator, alongside others who share
tags, requests, blocks and suggestions with her. Each activity is one feature; a new feature
adds one function to ``ACTIVITIES``. The privacy tests fail when a declared table holds no row
naming ``ME`` after these ran (so a new table cannot be forgotten), and they collect every
text another member wrote (``World.theirs``), which ``ME``'s export must never contain.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func, inspect, or_, select

from bot.clock import FakeClock
from bot.domain.mentorship.matches import FitAnswer, MatchOutcome
from bot.services import Services
from bot.storage.database import Database
from bot.storage.member_data import holds_member_id, member_value
from bot.storage.schema import metadata
from tests.services.support.mentorship import settle_threads

ME, OTHER, CAROL, DAVE, MOD, ERIN = (
    880_000_000_000_000_000 + n for n in (101, 202, 303, 404, 505, 606)
)
NAMES = {
    ME: "Alice Example",
    OTHER: "Bartholomew Quince",
    CAROL: "Carolina Stone",
    DAVE: "Davide Ferro",
    MOD: "Morgan Modwell",
    ERIN: "Erin Roundtree",
}
CHANNEL = 770_000_000_000_000_001


@dataclass
class World:
    guild: int
    theirs: set[str] = field(default_factory=set)  # text other members wrote

    def tag(self, text: str) -> str:
        """Per-server text, so data of one server is recognisable in another."""
        return f"{text} g{self.guild % 1000}"


Activity = Callable[[Services, World], Awaitable[None]]


async def names(services: Services, world: World) -> None:
    for user_id in NAMES:
        async with services.db.transaction() as uow:
            await services.directory.ensure(uow, world.guild, user_id)
        await services.directory.remember_name(world.guild, user_id, NAMES[user_id])


async def settings(services: Services, world: World) -> None:
    await services.settings.set_channel(world.guild, "moderation-log", CHANNEL, actor_id=ME)
    await services.settings.set_defaults(world.guild, actor_id=ME, intro_expiry_days=9)


async def vocabulary(services: Services, world: World) -> None:
    await services.vocabulary.apply_preset(world.guild, "pt", actor_id=MOD)
    await services.vocabulary.add_tag(world.guild, world.tag("Dry Needling"), actor_id=ME)


async def member_tags(services: Services, world: World) -> None:
    for user_id in (ME, OTHER, CAROL, DAVE):
        await services.member_tags.add_member_tag(world.guild, user_id, "ortho")
        await services.member_tags.add_member_tag(world.guild, user_id, "neuro")


async def profiles(services: Services, world: World) -> None:
    await services.profiles.edit(
        world.guild, ME, about=world.tag("my about"), looking_for="a mentor", contact="me@x.org"
    )
    about, contact = world.tag("Bartholomew's own words"), "bart-secret@example.org"
    await services.profiles.edit(world.guild, OTHER, about=about, looking_for=None, contact=contact)
    world.theirs |= {about, contact}


async def tag_suggestions(services: Services, world: World) -> None:
    mine = await services.suggestions.suggest(world.guild, ME, world.tag("Telehealth"))
    await services.suggestions.reject_suggestion(
        world.guild, mine.id, actor_id=MOD, guild_name="SIG"
    )
    theirs = await services.suggestions.suggest(world.guild, OTHER, world.tag("Quince Medicine"))
    await services.suggestions.approve_suggestion(
        world.guild, theirs.id, actor_id=ME, guild_name="SIG"
    )
    first = world.tag("Bartholomew Pelvic")
    await services.suggestions.suggest(world.guild, OTHER, first)
    await services.suggestions.suggest(world.guild, ME, first)  # supports the other's
    # "Quince Medicine" is not in ``theirs``: once approved it is a server tag she created.


async def introductions(services: Services, world: World) -> None:
    for user_id in (ME, OTHER, CAROL):
        await services.privacy.set_discoverable(world.guild, user_id, True)
    note = world.tag("a note Bartholomew wrote")
    await services.introductions.request(world.guild, OTHER, ME, note)
    pending = await services.introductions.pending(world.guild, ME)
    await services.introductions.accept(pending.incoming[0].id, ME)
    await services.introductions.request(world.guild, ME, CAROL, world.tag("my note to Carol"))
    world.theirs.add(note)


async def blocks(services: Services, world: World) -> None:
    await services.privacy.block(world.guild, ME, CAROL)
    await services.privacy.block(world.guild, DAVE, ME)


async def icebreakers(services: Services, world: World) -> None:
    await services.icebreaker_schedules.add(
        world.guild,
        CHANNEL,
        cadence="daily",
        time="09:00",
        weekday=None,
        timezone="UTC",
        thread=False,
        skip_if_quiet=False,
        actor_id=ME,
    )
    await services.icebreaker_prompts.add(world.guild, world.tag("My prompt?"), actor_id=ME)
    await services.icebreaker_prompts.suggest(world.guild, ME, world.tag("My suggestion?"))
    theirs = world.tag("Bartholomew asks: what is your favourite quince?")
    await services.icebreaker_prompts.suggest(world.guild, OTHER, theirs)
    pending, _ = await services.icebreaker_prompts.pending(world.guild)
    their = next(s for s in pending if s.user_id == OTHER)
    await services.icebreaker_prompts.decide(
        world.guild, their.id, approve=False, actor_id=ME, guild_name="SIG"
    )
    world.theirs.add(theirs)


async def delivery(services: Services, world: World) -> None:
    async with services.db.transaction() as uow:  # Discord said her DMs are closed (50007)
        now = services.clock.now()
        await uow.outbox.set_dms_closed(ME, now + timedelta(days=7), now=now)


async def events(services: Services, world: World) -> None:
    start = services.clock.now().date() + timedelta(days=40)
    event = await services.events.add(
        world.guild, world.tag("CSM"), f"{start}", f"{start + timedelta(days=2)}", actor_id=ME
    )
    for user_id in (ME, OTHER):
        await services.events.attend(world.guild, user_id, event.id)


async def mentorship(services: Services, world: World) -> None:
    """Alice mentors Bartholomew (match, fit answer, check-ins, feedback) and asks for a mentor."""
    await services.vocabulary.apply_preset(world.guild, "pt", actor_id=MOD)
    for user_id in (ME, OTHER):  # mentoring is by tag, between discoverable members
        await services.member_tags.add_member_tag(world.guild, user_id, "ortho")
        await services.privacy.set_discoverable(world.guild, user_id, True)
    for purpose in ("mentorship", "mentor-requests"):
        await services.settings.set_channel(world.guild, purpose, CHANNEL, actor_id=ME)
    await services.mentors.set_require_role(world.guild, None, actor_id=ME)
    await services.mentors.offer(
        world.guild, ME, capacity=2, note=world.tag("my mentor note"), topics=["ortho"]
    )
    their_note, their_goals = world.tag("Bart mentors too"), world.tag("Bartholomew's goals")
    await services.mentors.offer(world.guild, OTHER, capacity=1, note=their_note)
    opened = await services.mentor_requests.open(
        world.guild, OTHER, topic="ortho", goals=their_goals, term=None, background=None
    )
    await services.mentor_claims.claim(opened.request.id, ME)
    await settle_threads(services, thread_id=CHANNEL + 1)
    assert isinstance(services.clock, FakeClock)
    services.clock.advance(timedelta(days=15))
    await services.mentor_matches.tick()  # the fit check goes out
    async with services.db.read() as uow:
        (match,) = await uow.mentor_matches.of_member(world.guild, ME)
    await services.mentor_matches.answer_fit(match.id, ME, FitAnswer.GOOD)
    their_checkin = world.tag("Bartholomew's check-in")
    await services.mentor_matches.checkin(world.guild, CHANNEL + 1, ME, world.tag("mine"), 30)
    await services.mentor_matches.checkin(world.guild, CHANNEL + 1, OTHER, their_checkin, None)
    await services.mentor_matches.close(
        match.id, ME, MatchOutcome.COMPLETED, "5", world.tag("my feedback")
    )
    await services.mentor_requests.open(
        world.guild, ME, topic="ortho", goals=world.tag("my goals"), term="12", background=None
    )
    world.theirs |= {their_note, their_goals, their_checkin}


async def rounds(services: Services, world: World) -> None:
    """Alice schedules intro rounds, joins with Erin (whom she has not met), and a round groups
    them."""
    await services.vocabulary.apply_preset(world.guild, "pt", actor_id=MOD)
    for user_id in (ME, ERIN):
        await services.member_tags.add_member_tag(world.guild, user_id, "ortho")
        await services.privacy.set_discoverable(world.guild, user_id, True)
    view = await services.rounds.add(
        world.guild, CHANNEL, cadence="weekly", weekday=2, time="12:00", actor_id=ME
    )
    for user_id in (ME, ERIN):
        await services.round_members.join(world.guild, user_id)
    await services.rounds.run_now(world.guild, view.schedule.id, actor_id=ME)


ACTIVITIES: list[Activity] = [
    names,
    settings,
    vocabulary,
    member_tags,
    profiles,
    tag_suggestions,
    introductions,
    blocks,
    icebreakers,
    delivery,
    events,
    mentorship,
    rounds,
]


async def everywhere(services: Services, world: World) -> World:
    for activity in ACTIVITIES:
        await activity(services, world)
    return world


# -- reading the schema ---------------------------------------------------------------------


async def member_id_columns(database: Database) -> dict[str, list[str]]:
    """Every table of the migrated schema with its columns that can hold a member id."""

    def read(sync_conn: object) -> dict[str, list[str]]:
        inspector = inspect(sync_conn)
        found = {
            table: [c["name"] for c in inspector.get_columns(table) if holds_member_id(c["name"])]
            for table in inspector.get_table_names()
        }
        return {table: columns for table, columns in found.items() if columns}

    async with database.engine.connect() as conn:
        return await conn.run_sync(read)


async def schema_columns(database: Database, table: str) -> list[str]:
    async with database.engine.connect() as conn:
        return await conn.run_sync(
            lambda sync: [c["name"] for c in inspect(sync).get_columns(table)]
        )


async def rows_naming(database: Database, user_id: int, guild_id: int) -> dict[str, int]:
    """Table → rows naming ``user_id`` (in ``guild_id`` when the table is per server)."""
    counts: dict[str, int] = {}
    async with database.read() as uow:
        for name, columns in (await member_id_columns(database)).items():
            table = metadata.tables[name]  # the migrated schema equals it (a test checks)
            naming = or_(*(table.c[c] == member_value(c, user_id) for c in columns))
            query = select(func.count()).select_from(table).where(naming)
            if "guild_id" in table.c:
                query = query.where(table.c.guild_id == guild_id)
            counts[name] = int((await uow.conn.execute(query)).scalar_one())
    return counts


def dumped(export: Any) -> str:
    return json.dumps(export, ensure_ascii=False)

"""The demo community: the Orthopedics SIG of a state chapter, as a sandbox guild."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sandbox.control import Actor
from sandbox.guilds import Guild
from sandbox.server import SandboxServer
from sandbox.snowflake import DISCORD_EPOCH_MS, SnowflakeGenerator
from sandbox.state import SandboxState

CHANNELS = (
    "welcome",
    "general",
    "introductions",
    "mentorship",
    "mentor-requests",
    "icebreakers",
)

# username, display name, Discord roles (career stage / role in the profession)
MEMBERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("maria", "Maria Lopez, DPT", ("Clinician",)),
    ("james", "James Okafor, SPT", ("Student",)),
    ("priya", "Priya Raman, PT, OCS", ("Clinician",)),
    ("tom", "Tom Becker, PTA", ("Clinician",)),
    ("aisha", "Dr. Aisha Karim, PhD", ("Faculty",)),
    ("lena", "Lena Novak, SPT", ("Student",)),
    ("diego", "Diego Alvarez, DPT", ("Clinician",)),
    ("grace", "Grace Chen, PT, SCS", ("Clinician",)),
    ("sam", "Sam Whitaker, SPT", ("Student",)),
    ("ruth", "Ruth Feld, PT (retired)", ("Clinician",)),
    ("kofi", "Kofi Mensah, DPT, PhD", ("Faculty",)),
    ("nina", "Nina Petrova, new grad DPT", ("Clinician",)),
    ("omar", "Omar Haddad, PTA student", ("Student",)),
    ("beth", "Beth Sullivan, PT, residency faculty", ("Faculty",)),
)
MODERATOR = ("dana", "Dana Whitfield (SIG chair)")
# The server's Discord scheduled events (what /setup events import reads): name, first day as
# days from today, days it lasts, location. External events, as a conference is; always ahead,
# so the demo (and its script) can attend them on whatever day it runs.
SCHEDULED_EVENTS: tuple[tuple[str, int, int, str], ...] = (
    ("APTA Combined Sections Meeting", 70, 3, "San Diego, CA"),
    ("Lakeshore Chapter Meeting", 300, 1, "Chicago, IL"),
)


@dataclass
class DemoCommunity:
    server: SandboxServer
    guild: Guild
    moderator: Actor
    members: dict[str, Actor]

    def server_commands(self) -> list[dict[str, Any]]:
        """The command definitions the bot published to this guild, as Discord stores them."""
        return self.server.commands(self.guild)

    def actor(self, name: str) -> Actor:
        name = name.lower().lstrip("@")
        if name == self.moderator.user.username:
            return self.moderator
        try:
            return self.members[name]
        except KeyError:
            names = ", ".join([self.moderator.user.username, *self.members])
            raise KeyError(f"no member called {name!r}; try one of: {names}") from None


# What README.md asks operators to grant when inviting the bot.
BOT_PERMISSIONS = [
    "view_channel",
    "send_messages",
    "send_messages_in_threads",
    "embed_links",
    "attach_files",
    "read_message_history",
    "create_public_threads",
    "create_private_threads",
    "manage_threads",
]


# The instant the demo community's ids count from when they must not change between runs.
STABLE_IDS_FROM_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z


class CountingSnowflakes(SnowflakeGenerator):
    """Snowflakes 1, 2, 3... steps after a fixed instant: the same ids on every run."""

    def __init__(self, from_ms: int = STABLE_IDS_FROM_MS) -> None:
        super().__init__(worker=2)
        self._base = (from_ms - DISCORD_EPOCH_MS) << 22 | 2 << 17
        self._count = 0

    def next(self) -> int:
        self._count += 1
        return self._base + self._count


@contextlib.contextmanager
def counting_ids(state: SandboxState) -> Iterator[None]:
    """Number what is built inside from the fixed instant; the usual clock-based ids after.

    Everything built later (messages, threads, interactions) keeps time-based ids, all newer
    than the community's, so nothing made in one run can reuse an id of another.
    """
    usual, state.ids = state.ids, CountingSnowflakes()
    try:
        yield
    finally:
        state.ids = usual


def build_demo_community(server: SandboxServer, *, stable_ids: bool = False) -> DemoCommunity:
    """The demo server. ``stable_ids``: the same guild, channel, role and member ids on every
    run, so a kept database (``sandbox --db FILE``) finds its server and members again."""
    if not stable_ids:
        return _build(server)
    with counting_ids(server.state):
        return _build(server)


def _build(server: SandboxServer) -> DemoCommunity:
    guild = server.create_guild("Ortho SIG · Lakeshore Chapter")
    guild.set_bot_permissions(allow=BOT_PERMISSIONS)
    roles = {name: guild.add_role(name) for name in ("Student", "Clinician", "Faculty")}
    for name in CHANNELS:
        guild.add_text_channel(name)
    moderator = server.actor(guild.add_moderator(MODERATOR[0], display_name=MODERATOR[1]))
    guild.add_text_channel(
        "mod-log",
        overwrites={
            guild.everyone: (None, ["view_channel"]),
            guild.role("Moderator"): (["view_channel"], None),
            guild.bot_member: (["view_channel", "send_messages", "embed_links"], None),
        },
    )
    members = {
        username: server.actor(
            guild.add_member(username, display_name=display, roles=[roles[r] for r in role_names])
        )
        for username, display, role_names in MEMBERS
    }
    today = datetime.datetime.now(datetime.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    for name, in_days, days, location in SCHEDULED_EVENTS:
        start = today + datetime.timedelta(days=in_days, hours=14)
        end = start + datetime.timedelta(days=days - 1, hours=9)  # 23:00 UTC on the last day
        guild.add_scheduled_event(name, start, end, location=location, creator=moderator.user)
    return DemoCommunity(server=server, guild=guild, moderator=moderator, members=members)


SECOND_SERVER = "Neuro SIG · Lakeshore Chapter"


def add_second_server(community: DemoCommunity, *usernames: str) -> DemoCommunity:
    """A second server of the same chapter, which some of the demo's people also joined (for
    what must stay per server, and what /privacy does from DMs across servers)."""
    server = community.server
    guild = server.create_guild(SECOND_SERVER)
    guild.set_bot_permissions(allow=BOT_PERMISSIONS)
    for name in CHANNELS[:3]:
        guild.add_text_channel(name)
    moderator = server.actor(
        guild.add_user(community.moderator.user, roles=[guild.add_role("Moderator")])
    )
    members = {
        name: server.actor(guild.add_user(community.members[name].user)) for name in usernames
    }
    return DemoCommunity(server=server, guild=guild, moderator=moderator, members=members)

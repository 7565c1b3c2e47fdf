"""Find people and double opt-in introductions, through the sandbox server (PRODUCT.md "Find
people and introductions" and "Consent rules").

The bot runs on a :class:`FakeClock` the tests move (expiry, cool-downs); the outbox sender is
real, so DMs and threads arrive as they would on Discord. Discoverability is set explicitly in
every test: the demo server's default is off.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import build_bot
from bot.client import SigBot
from bot.clock import FakeClock
from config.settings import load_settings
from sandbox.control import Interaction
from sandbox.demo import DemoCommunity
from sandbox.render import render_message
from sandbox.server import SandboxServer
from sandbox.state import Member, Message
from sandbox.testing import run_client
from tests.e2e.conftest import BotRunner

pytestmark = pytest.mark.e2e

NEUTRAL = "Your request is on its way."
ENDED = "didn't work out this time"
NOTE = "A note for them (optional)"


class ClockedRunner(BotRunner):
    """The conftest runner, with the bot's clock injected so tests can move time."""

    def __init__(self, server: SandboxServer, guild_id: int, database: Path) -> None:
        super().__init__(server, guild_id, database)
        self.clock = FakeClock()

    async def start(self, **settings: object) -> SigBot:
        import contextlib

        config = load_settings(
            database_url=f"sqlite+aiosqlite:///{self.database}",
            discord_api_base_url=self.server.api_base_url,
            discord_gateway_url=self.server.gateway_url,
            dev_guild_id=self.guild_id,
            **settings,
        )
        bot = await build_bot(config, clock=self.clock)
        self._stack = contextlib.AsyncExitStack()
        self.bot = await self._stack.enter_async_context(run_client(self.server, bot))
        return bot


@pytest.fixture(autouse=True)
def nothing_pings(server: SandboxServer) -> Iterator[None]:
    """Checked after every test: no message the bot sent or edited could notify anyone."""
    yield
    loud = [m for m in server.state.messages.values() if m.could_ping]
    assert loud == [], [render_message(m) for m in loud]


@pytest.fixture
async def clocked(
    server: SandboxServer, community: DemoCommunity, tmp_path: Path
) -> AsyncIterator[ClockedRunner]:
    runner = ClockedRunner(server, community.guild.id, tmp_path / "bot.sqlite3")
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


def running(runner: ClockedRunner) -> SigBot:
    assert runner.bot is not None
    return runner.bot


async def answer(ix: Interaction) -> str:
    """The bot's settled, ephemeral answer to ``ix``, as the member reads it."""
    message = await ix.final()
    assert ix.ephemeral, f"{ix.label} answered in public: {render_message(message)}"
    return render_message(message)


# Who holds which tags in these tests (the PT preset's names).
TAGS = {
    "maria": ("ortho", "Sports", "Outpatient"),
    "priya": ("ortho", "Outpatient"),
    "grace": ("ortho", "Sports"),
    "james": ("ortho", "Student"),
    "tom": ("ortho",),
}


async def prepare(community: DemoCommunity, *names: str, discoverable: bool = True) -> None:
    """The moderator sets the default and the PT tags; members tag themselves (and so are
    known to the bot, discoverable or not as the default says)."""
    mod = community.moderator
    await answer(await mod.slash("setup defaults", discoverable=discoverable))
    await answer(await mod.slash("setup tags preset", name="pt"))
    for name in names or tuple(TAGS):
        for tag in TAGS.get(name, ("ortho",)):
            await answer(await community.members[name].slash("tags add", tag=tag))


async def dms(server: SandboxServer, member: Member, count: int = 1) -> list[Message]:
    """Wait until ``member`` has at least ``count`` DMs from the bot; all of them."""
    return await server.wait_for(
        lambda: server.dm_messages(member) if len(server.dm_messages(member)) >= count else None,
        what=f"{count} DM(s) to {member}",
    )


async def drained(runner: ClockedRunner) -> None:
    """Everything queued has been sent (so "nothing else arrived" means something)."""
    sender = running(runner).sender
    assert sender is not None
    await sender.drain(timeout=20)


async def request(requester: Member, target: Member, note: str | None = None) -> str:
    options = {"member": target} if note is None else {"member": target, "note": note}
    return await answer(await requester.slash("intro request", **options))


async def expire(runner: ClockedRunner, days: int = 8) -> int:
    runner.clock.advance(timedelta(days=days))
    return await running(runner).services.introductions.end_expired()


# -- find → request → accept ----------------------------------------------------------------


async def test_find_request_accept_introduces_both_with_contact_cards(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya", "grace", "tom")
    maria, priya = community.members["maria"], community.members["priya"]
    profile = await priya.slash("profile edit")
    await answer(
        await priya.submit_modal(
            profile,
            {
                "About me": "OCS, 12 years outpatient.",
                "How to reach me (only for people I meet)": "priya@clinic.example",
            },
        )
    )
    profile = await maria.slash("profile edit")
    await answer(
        await maria.submit_modal(
            profile,
            {
                "About me": "Sports PT.",
                "How to reach me (only for people I meet)": "maria.lopez@pt.example",
            },
        )
    )

    ix = await maria.slash("find", tag="ortho", tag2="Outpatient")
    listing = await ix.final()
    assert ix.ephemeral
    shown = render_message(listing)
    assert "People with Orthopedics, Outpatient" in shown
    assert "@Priya Raman, PT, OCS (Priya Raman, PT, OCS) · Outpatient, Orthopedics" in shown
    assert "priya@clinic.example" not in shown  # the contact card is never listed
    assert "Maria" not in shown  # not me
    assert "Grace" not in shown  # lacks Outpatient

    chose = await maria.select(listing, "Request an introduction", [str(priya.id)])
    assert chose.modal is not None
    assert chose.modal["title"] == "Request an introduction"
    sent = await answer(await maria.submit_modal(chose, {NOTE: "Love to talk return-to-run."}))
    assert NEUTRAL in sent

    asked = (await dms(server, priya))[0]
    text = render_message(asked)
    assert "Someone would like to meet you" in text
    assert "@Maria Lopez, DPT" in text
    assert "Love to talk return-to-run." in text
    assert "Sports PT." in text
    assert "maria.lopez@pt.example" not in text  # not before she accepts

    accepted = await (await priya.click(asked, "Accept")).final()
    assert "You accepted" in accepted.content
    assert list(accepted.iter_components()) == []

    to_maria = render_message((await dms(server, maria))[0])
    assert "You've been introduced" in to_maria
    assert "priya@clinic.example" in to_maria
    to_priya = render_message((await dms(server, priya, 2))[1])
    assert "maria.lopez@pt.example" in to_priya
    assert "Orthopedics" in to_priya  # shared tags and an opener
    assert "A way to start" in to_priya

    again = await request(maria, priya)
    assert "already introduced" in again

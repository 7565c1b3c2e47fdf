"""Plain helpers the end-to-end tests share: bot runners and what a member does and reads.

Fixtures live in ``conftest.py``; test modules import helpers from here, never from each other.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

from bot.app import build_bot
from bot.client import SigBot
from bot.clock import Clock, FakeClock
from config.settings import load_settings
from sandbox.control import Interaction
from sandbox.demo import DemoCommunity
from sandbox.members import Member
from sandbox.messages import Message
from sandbox.render import render_message
from sandbox.server import SandboxServer
from sandbox.testing import run_client

READY_SECONDS: list[float] = []  # server start → bot ready, per bot start

NEUTRAL = "Your request is on its way."
ENDED = "didn't work out this time"
NOTE = "A note for them (optional)"


class ManualClock:
    """A clock for the sandbox's limiter that moves only when a test moves it."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class BotRunner:
    """Starts, stops and restarts the real bot on one database file."""

    def __init__(
        self, server: SandboxServer, guild_id: int, database: Path, clock: Clock | None = None
    ) -> None:
        self.server = server
        self.guild_id = guild_id
        self.database = database
        self.clock = clock  # None: the system clock, as in production
        self.bot: SigBot | None = None
        self.first_start = True
        self._stack: contextlib.AsyncExitStack | None = None

    async def start(self, **settings: object) -> SigBot:
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
        if self.first_start:
            READY_SECONDS.append(time.perf_counter() - self.server.started_at)
            self.first_start = False
        return bot

    async def stop(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
            self._stack = None
            self.bot = None

    async def restart(self) -> SigBot:
        await self.stop()
        return await self.start()


class ClockedRunner(BotRunner):
    """A runner whose bot reads a :class:`FakeClock` the tests move."""

    clock: FakeClock

    def __init__(self, server: SandboxServer, guild_id: int, database: Path) -> None:
        super().__init__(server, guild_id, database, clock=FakeClock())


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


async def write_card(member: Member, card: str) -> None:
    opened = await member.slash("profile edit")
    await answer(await member.submit_modal(opened, {CARD: card}))


CARD = "How to reach me (only for people I meet)"


async def asked_dm(server: SandboxServer, target: Member) -> Message:
    """The request DM (the target's first DM in these tests)."""
    return (await dms(server, target))[0]


def bot_env(server: SandboxServer, tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DISCORD_TOKEN=server.token,
        DISCORD_API_BASE_URL=server.api_base_url,
        DISCORD_GATEWAY_URL=server.gateway_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        LOG_LEVEL="INFO",
    )
    env.pop("DEV_GUILD_ID", None)
    return env


async def python_m_bot(*args: str, env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )

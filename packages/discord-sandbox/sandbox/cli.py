"""``python -m bot sandbox``: the real bot against a local Discord-compatible server.

Starts the sandbox server with the demo community, starts the bot exactly as ``run`` would
(its REST and gateway URLs pointed at the sandbox), seeds the moderator settings a new server
would make, then hands the terminal to the driver (or runs a script of driver lines).
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from bot.app import build_bot
from bot.client import SigBot
from bot.clock import OffsetClock
from bot.domain.settings import ChannelPurpose
from config.settings import Settings
from sandbox import wallclock
from sandbox.demo import DemoCommunity, build_demo_community
from sandbox.dm_archive import load_dms, save_dms
from sandbox.driver import Driver, DriverError
from sandbox.harness import run_client
from sandbox.server import SandboxServer

DEMO_SCRIPT = Path(__file__).with_name("demo_script.txt")
CHANNEL_FOR_PURPOSE = {
    ChannelPurpose.INTRODUCTIONS: "introductions",
    ChannelPurpose.MENTORSHIP: "mentorship",
    ChannelPurpose.MENTOR_REQUESTS: "mentor-requests",
    ChannelPurpose.MODERATION_LOG: "mod-log",
    ChannelPurpose.ICEBREAKERS: "icebreakers",
}


# About half the demo members tagged themselves in the first week (names or aliases, as typed).
DEMO_TAGS: dict[str, tuple[str, ...]] = {
    "maria": ("Orthopedics", "Sports", "Outpatient", "Experienced", "PT", "Midwest"),
    "priya": ("ortho", "Manual Therapy", "Outpatient", "Experienced", "PT"),
    "james": ("Orthopedics", "Sports", "Student"),
    "tom": ("Orthopedics", "Outpatient", "PTA", "Midwest"),
    "aisha": ("Research", "Education", "Academia", "Faculty", "Researcher"),
    "grace": ("Sports", "Orthopedics", "Outpatient", "PT"),
    "nina": ("neuro", "Inpatient", "New grad", "PT", "Midwest"),
}

# about, what I'm looking for, how to reach me (shared only with people they agree to meet)
DEMO_PROFILES: dict[str, tuple[str, str, str]] = {
    "maria": (
        "Outpatient ortho and sports PT, 8 years in. Runner; I love return-to-run programs.",
        "People to swap running-injury cases with, and a student or two to mentor.",
        "maria.lopez@lakeshore-pt.example",
    ),
    "aisha": (
        "Faculty in a DPT program; I research tendon loading and teach MSK.",
        "Clinicians interested in practice-based research.",
        "a.karim@university.example",
    ),
    "priya": (
        "OCS, 12 years in outpatient ortho; manual therapy and spine.",
        "Students and new grads who want to talk manual therapy.",
        "linkedin.com/in/priya-raman-pt-example",
    ),
}


async def seed_settings(bot: SigBot, community: DemoCommunity) -> None:
    """The demo community's first week: channels, discoverability, tags and a few profiles.

    Done through the services, as the moderator's and members' commands would have done it,
    and only once per database: on later runs of a kept file the community carries on.
    """
    guild, moderator = community.guild, community.moderator
    settings, vocabulary = bot.services.settings, bot.services.vocabulary
    if (await settings.show(guild.id)).channels:
        return  # a kept database (--db): this community was set up on an earlier run
    for purpose, name in CHANNEL_FOR_PURPOSE.items():
        await settings.set_channel(guild.id, purpose, guild.channel(name).id, actor_id=moderator.id)
    await settings.set_defaults(
        guild.id, actor_id=moderator.id, discoverable_by_default=True, timezone="America/Chicago"
    )
    await vocabulary.apply_preset(guild.id, "pt", actor_id=moderator.id)
    for username, names in DEMO_TAGS.items():
        member = community.members[username]
        for name in names:
            await bot.services.member_tags.add_member_tag(guild.id, member.id, name)
    for username, (about, looking_for, contact) in DEMO_PROFILES.items():
        await bot.services.profiles.edit(
            guild.id,
            community.members[username].id,
            about=about,
            looking_for=looking_for,
            contact=contact,
        )


async def run_sandbox(settings: Settings, *, db_path: Path | None, script: Path | None) -> int:
    try:  # before anything starts: a mistyped path is one line, not a traceback
        lines = None if script is None else await asyncio.to_thread(read_script, script)
    except OSError as exc:
        print(f"sandbox: cannot read the script {script}: {exc.strerror}", file=sys.stderr)
        return 1
    quiet_logs(settings.log_level)
    with tempfile.TemporaryDirectory(prefix="sigbot-sandbox-") as scratch:
        database = db_path or Path(scratch) / "sandbox.sqlite3"
        async with SandboxServer() as server:
            community = build_demo_community(server, stable_ids=True)
            if db_path is not None:
                await asyncio.to_thread(load_dms, server.state, db_path)
            started = time.perf_counter()
            clock = OffsetClock()
            bot = await build_bot(
                settings.model_copy(
                    update={
                        "database_url": f"sqlite+aiosqlite:///{database}",
                        "discord_api_base_url": server.api_base_url,
                        "discord_gateway_url": server.gateway_url,
                        "dev_guild_id": community.guild.id,
                    }
                ),
                clock=clock,
            )
            try:
                async with run_client(server, bot, timeout=30):
                    await bot.sync_commands()  # global too: commands in a DM with the bot
                    await seed_settings(bot, community)
                    ready = time.perf_counter() - started
                    driver = Driver(
                        community,
                        settle=lambda: settle(bot),
                        travel=lambda span: travel(bot, clock, span),
                    )
                    if script is not None and lines is not None:
                        return await run_script(driver, script.name, lines)
                    return await interactive(driver, community, ready)
            finally:
                if db_path is not None:
                    await asyncio.to_thread(save_dms, server.state, db_path)
    return 0


# Travel moves in steps shorter than the bot's grace for a late slot (2 hours for icebreakers),
# so a slot inside the skipped time is run, not skipped as missed while the bot was down.
TRAVEL_STEP = datetime.timedelta(hours=1)


async def travel(bot: SigBot, clock: OffsetClock, span: datetime.timedelta) -> datetime.datetime:
    """Move the bot's clock and the sandbox's an hour at a time; after each step run every
    scheduled job once (each reads what is due from the database and the clock) and let what
    they queued go out, so what falls due in the skipped time happens in order."""
    left = span
    while left > datetime.timedelta():
        step = min(TRAVEL_STEP, left)
        clock.advance(step)
        wallclock.travel(step.total_seconds())  # the server's dates and ids move the same
        for job_id in bot.scheduler.job_ids():
            await bot.scheduler.run_now(job_id)
        await settle(bot)
        left -= step
    return clock.now()


async def settle(bot: SigBot) -> None:
    """Give the bot a moment to send what it queued, so the member sees the result."""
    if bot.sender is not None:
        await bot.sender.drain(timeout=30)


def read_script(script: Path) -> list[str]:
    return script.read_text(encoding="utf-8").splitlines()


async def run_script(driver: Driver, name: str, lines: list[str]) -> int:
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        print(f"{driver.prompt}{line}")
        try:
            output = await driver.run(line)
        except DriverError as exc:
            print(f"✗ {name}:{number}: {exc}", file=sys.stderr)
            return 1
        if output:
            print(output)
    print(f"✓ {name}: every step passed")
    return 0


async def interactive(driver: Driver, community: DemoCommunity, ready_seconds: float) -> int:
    print(
        f"Sandbox ready in {ready_seconds:.1f} s: {community.guild.name}, "
        f"{len(community.members) + 1} members. You are {driver.actor.display_name} "
        "(moderator). Type help for commands, quit to leave."
    )
    while True:
        try:
            line = await read_line(driver.prompt)
        except (EOFError, KeyboardInterrupt, asyncio.CancelledError):
            print()  # Ctrl-D or Ctrl-C: leave cleanly (the bot and server still shut down)
            return 0
        if line.strip() in ("quit", "exit"):
            return 0
        try:
            output = await driver.run(line)
        except DriverError as exc:
            print(f"✗ {exc}")
            continue
        except asyncio.CancelledError:  # Ctrl-C while the bot is answering
            print()
            return 0
        if output:
            print(output)


async def read_line(prompt: str) -> str:
    """``input()`` on a daemon thread: Ctrl-C ends the run at once instead of waiting for the
    blocked read (``asyncio.to_thread`` would keep the interpreter alive until Enter)."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[str] = loop.create_future()

    def read() -> None:
        try:
            line = blocking_read(prompt)
        except BaseException as exc:  # EOF (Ctrl-D) or an interrupt reaches the loop
            loop.call_soon_threadsafe(_settle_with_error, answer, exc)
        else:
            loop.call_soon_threadsafe(_settle_with_result, answer, line)

    threading.Thread(target=read, name="sandbox-input", daemon=True).start()
    return await answer


def blocking_read(prompt: str) -> str:
    """A line from the terminal (with line editing) or a pipe. A pipe is read with ``os.read``,
    not ``sys.stdin``, whose lock a reader left blocked would hold at interpreter exit."""
    if sys.stdin.isatty():
        return input(prompt)
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = bytearray()
    while not line.endswith(b"\n"):
        byte = os.read(sys.stdin.fileno(), 1)
        if not byte:
            if not line:
                raise EOFError
            break
        line += byte
    return line.decode(errors="replace").rstrip("\r\n")


def _settle_with_result(answer: asyncio.Future[str], line: str) -> None:
    if not answer.done():
        answer.set_result(line)


def _settle_with_error(answer: asyncio.Future[str], exc: BaseException) -> None:
    if not answer.done():
        answer.set_exception(exc)


def quiet_logs(level: str) -> None:
    """The terminal is for the conversation; only warnings unless LOG_LEVEL=DEBUG."""
    if level != "DEBUG":
        for name in ("discord", "bot", "sandbox", "alembic", "cogs"):
            logging.getLogger(name).setLevel(logging.WARNING)

"""The driver's verbs for places, time and files: where commands run (a channel, a thread,
a DM), ``travel``, ``say``, ``dms closed`` and ``save``. Kept apart from :mod:`sandbox.driver`,
which parses commands and presses components."""

from __future__ import annotations

import asyncio
import datetime
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sandbox.channels import GUILD_TEXT, PRIVATE_THREAD, Channel
from sandbox.driver_words import DriverError
from sandbox.messages import Attachment, Message
from sandbox.permissions import VIEW_CHANNEL
from sandbox.rest.posting import store

if TYPE_CHECKING:
    from sandbox.driver import Driver

# Moves the bot's clock (and wakes its jobs); returns the new moment.
Travel = Callable[[datetime.timedelta], Awaitable[datetime.datetime]]

_SPAN = re.compile(r"^(\d+)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_span(text: str) -> datetime.timedelta:
    """``8d``, ``3h``, ``2w``, ``30m`` as a duration."""
    match = _SPAN.match(text.strip().lower())
    if match is None:
        raise DriverError(f"how far? e.g. travel 8d (m, h, d or w), not {text!r}")
    return datetime.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


async def travel(driver: Driver, text: str) -> str:
    if driver.travel is None:
        raise DriverError("time travel needs the bot's clock: run it in python -m bot sandbox")
    moment = await driver.travel(parse_span(text))
    if driver.settle is not None:
        await driver.settle()
    return f"It is now {moment:%A %d %B %Y, %H:%M} UTC; the bot's jobs ran for what fell due."


def threads_numbered(driver: Driver) -> list[Channel]:
    """Every thread in the server, in a fixed order, numbered from 1 by ``threads``."""
    return sorted(driver.community.guild.threads, key=lambda thread: thread.id)


def describe_threads(driver: Driver) -> str:
    lines = []
    for number, thread in enumerate(threads_numbered(driver), 1):
        kind = "private" if thread.type == PRIVATE_THREAD else "public"
        flags = " archived" if thread.archived else ""
        flags += " locked" if thread.locked else ""
        parent = f"#{thread.parent.name}" if thread.parent else "?"
        who = ", ".join(u.display_name for u in thread.members) or "nobody yet"
        lines.append(f"{number}. {thread.name} ({kind} in {parent}{flags}): {who}")
    return "\n".join(lines) or "(no threads)"


def thread_named(driver: Driver, which: str) -> Channel:
    """A thread by its number in ``threads`` or its name (a unique one)."""
    threads = threads_numbered(driver)
    if which.isdigit():
        if not 1 <= int(which) <= len(threads):
            raise DriverError(f"there is no thread {which}: type threads")
        return threads[int(which) - 1]
    named = [t for t in threads if (t.name or "").casefold() == which.strip("\"'").casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        numbers = ", ".join(str(threads.index(t) + 1) for t in named)
        raise DriverError(f"{len(named)} threads are called {which}: pick one of {numbers}")
    raise DriverError(f"no thread called {which}; type threads")


async def move_to(driver: Driver, where: str) -> str:
    """``in dm``, ``in #channel``, ``in thread NAME|N``, ``in server`` (back to #general)."""
    word, _, rest = where.strip().partition(" ")
    if word.lower() == "dm":
        driver.place, driver.in_dm = None, True
        return "Commands now run in your DM with the bot."
    driver.in_dm = False
    if word.lower() == "thread":
        driver.place = thread_named(driver, rest.strip())
        return f"Commands now run in the thread {driver.place.name}."
    if word.lower() in ("server", "general", ""):
        driver.place = None
        return "Commands now run in #general."
    driver.place = driver._channel_named(where.strip())
    return f"Commands now run in #{driver.place.name}."


async def set_dms(driver: Driver, text: str) -> str:
    """``dms closed NAME`` / ``dms open NAME``: whether the bot may DM the member."""
    state, _, name = text.strip().partition(" ")
    if state.lower() not in ("closed", "open") or not name:
        raise DriverError("usage: dms closed NAME | dms open NAME")
    member = driver.community.actor(name.strip())
    member.set_dms_open(state.lower() == "open")
    if state.lower() == "open":
        return f"{member.display_name} accepts DMs again."
    return f"{member.display_name} closed their DMs: the bot's DMs to them are refused (50007)."


async def say(driver: Driver, text: str) -> str:
    """The current member posts a plain message (the bot sees MESSAGE_CREATE and the channel's
    last message id, which is what skip-if-quiet reads)."""
    where, _, words = text.strip().partition(" ")
    if not where.startswith("#") or not words.strip():
        raise DriverError("usage: say #channel some text")
    channel = driver._channel_named(where)
    state = driver.server.state
    store(state, Message(state.ids.next(), channel, driver.actor.user, content=words.strip()))
    return f"{driver.actor.display_name} said in #{channel.name}: {words.strip()}"


def attachments_shown(shown: list[Message]) -> list[Attachment]:
    return [attachment for message in shown for attachment in message.attachments]


async def save(driver: Driver, text: str) -> str:
    """``save N PATH`` or ``save NAME PATH``: write an attachment of the output to a file."""
    which, _, path = text.strip().partition(" ")
    files = attachments_shown(driver.shown)
    if not files:
        raise DriverError("no file in the latest output")
    if not path.strip():
        raise DriverError("usage: save N PATH (or save FILENAME PATH)")
    if which.isdigit() and 1 <= int(which) <= len(files):
        chosen = files[int(which) - 1]
    else:
        named = [f for f in files if f.filename.casefold().startswith(which.casefold())]
        if len(named) != 1:
            have = ", ".join(f"{n}. {f.filename}" for n, f in enumerate(files, 1))
            raise DriverError(f"which file? {have}")
        chosen = named[0]
    target = Path(path.strip().strip("\"'"))
    await asyncio.to_thread(target.write_bytes, chosen.data)
    return f"Saved {chosen.filename} ({len(chosen.data)} bytes) to {target}"


async def channels(driver: Driver, _: str) -> str:
    """The text channels the current member can see, with their messages and threads."""
    lines = []
    for channel in driver.community.guild.channels:
        if channel.type != GUILD_TEXT or not driver.actor.permissions_in(channel) & VIEW_CHANNEL:
            continue
        count = len(channel.visible_messages(driver.actor))
        threads = len(channel.threads)
        extra = f", {threads} thread(s)" if threads else ""
        lines.append(f"#{channel.name:18} {count} message(s){extra}")
    return "\n".join(lines) or "(you can see no channels)"


async def members(driver: Driver, _: str) -> str:
    mod = driver.community.moderator
    lines = [f"{mod.user.username:8} {mod.display_name} (moderator)"]
    lines += [f"{m.user.username:8} {m.display_name}" for m in driver.community.members.values()]
    return "\n".join(lines)

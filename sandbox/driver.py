"""A terminal driver: act as members of the demo community and see what the bot answers.

One line, one action; see ``HELP``. Scripts use the same lines plus ``expect TEXT``.
"""

from __future__ import annotations

import shlex
from collections.abc import Awaitable, Callable
from typing import Any

from sandbox.control import Interaction, SandboxUsageError
from sandbox.demo import DemoCommunity
from sandbox.render import render_messages
from sandbox.state import Channel, Member, Message

HELP = """\
as NAME                      act as another member (members: list them)
/command sub opt:value ...   run a slash command; quote values with spaces: note:"hi there"
                             #channel and @member name channels and members
complete /command opt:text   show autocomplete choices for the option you are typing
view-profile @member         the "View profile" user menu (any user command: user CMD @member)
click N | click LABEL        press button N of the latest message with buttons
select N V [V ...]           choose options (numbers or values) in select menu N
modal field=value ...        fill in and submit the open form (field ids or labels)
inbox                        your DMs from the bot
channel #name                the latest messages in a channel (threads: thread NAME)
threads                      threads in the server and who is in them
wait                         let queued DMs and posts go out
expect TEXT                  (scripts) fail unless the last output contains TEXT
help | quit"""


class DriverError(Exception):
    """A step failed; the message says why."""


class Driver:
    def __init__(
        self,
        community: DemoCommunity,
        *,
        settle: Callable[[], Awaitable[None]] | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.community = community
        self.server = community.server
        self.actor: Member = community.moderator
        self.settle = settle
        self.timeout = timeout
        self.shown: list[Message] = []
        self.modal_source: Interaction | None = None
        self.last_output = ""
        self._dms_seen: dict[int, int] = {}  # DMs each member has read with ``inbox``
        self._dms_noticed: dict[int, int] = {}  # DMs already announced

    @property
    def prompt(self) -> str:
        return f"{self.actor.user.username}> "

    async def run(self, line: str) -> str:
        """Carry out one line and return what to print; raises DriverError on failure."""
        line = line.strip()
        if not line or line.startswith("#"):  # blank lines and comments in scripts
            return ""
        try:
            output = await self._dispatch(line)
        except (SandboxUsageError, KeyError, ValueError, LookupError, TimeoutError) as exc:
            raise DriverError(str(exc).strip("'\"") or type(exc).__name__) from exc
        if line.split()[0] != "expect":
            self.last_output = output
        return output + self._new_dm_notice()

    async def _dispatch(self, line: str) -> str:
        if line.startswith("/"):
            return await self._slash(line)
        verb, _, rest = line.partition(" ")
        handler = self._verbs().get(verb.lower())
        if handler is None:
            raise DriverError(f"unknown command {verb!r}; type help")
        return await handler(rest.strip())

    def _verbs(self) -> dict[str, Callable[[str], Awaitable[str]]]:
        return {
            "help": self._help,
            "as": self._as,
            "members": self._members,
            "complete": self._complete,
            "view-profile": lambda rest: self._user_command(f"View profile {rest}"),
            "user": self._user_command,
            "click": self._click,
            "select": self._select,
            "modal": self._modal,
            "inbox": self._inbox,
            "channel": self._channel,
            "thread": self._thread,
            "threads": self._threads,
            "wait": self._wait,
            "expect": self._expect,
        }

    # -- members and commands -------------------------------------------------------------

    async def _help(self, _: str) -> str:
        return HELP

    async def _as(self, name: str) -> str:
        self.actor = self.community.actor(name)
        self.shown, self.modal_source = [], None
        self._dms_noticed[self.actor.id] = self._dms_seen.get(self.actor.id, 0)  # remind them
        return f"You are now {self.actor.display_name}."

    async def _members(self, _: str) -> str:
        mod = self.community.moderator
        lines = [f"{mod.user.username:8} {mod.display_name} (moderator)"]
        lines += [f"{m.user.username:8} {m.display_name}" for m in self.community.members.values()]
        return "\n".join(lines)

    def _parse_command(self, text: str) -> tuple[str, dict[str, Any]]:
        words: list[str] = []
        options: dict[str, Any] = {}
        for token in shlex.split(text.lstrip("/")):
            name, sep, value = token.partition(":")
            if sep and not words and not name:
                raise DriverError(f"missing command name before {token!r}")
            if sep:
                options[name] = self._value(value)
            else:
                words.append(token)
        if not words:
            raise DriverError("which command? e.g. /tags add tag:Sports")
        return " ".join(words), options

    def _value(self, text: str) -> Any:
        if text.startswith("#") and len(text) > 1:
            return self._channel_named(text)
        if text.startswith("@") and len(text) > 1:
            return self.community.actor(text)
        return text

    def _channel_named(self, name: str) -> Channel:
        name = name.lstrip("#")
        guild = self.community.guild
        for channel in [*guild.channels, *guild.threads]:
            if channel.name == name:
                return channel
        raise DriverError(f"no channel called #{name}")

    async def _slash(self, line: str) -> str:
        command, options = self._parse_command(line)
        ix = await self.actor.slash(command, in_channel=self._here(), **options)
        return await self._outcome(ix)

    def _here(self) -> Channel:
        return self.community.guild.channel("general")

    async def _complete(self, text: str) -> str:
        command, options = self._parse_command(text)
        if not options:
            raise DriverError("say which option you are typing, e.g. complete /tags add tag:ort")
        focused = list(options)[-1]
        value = options.pop(focused)
        choices = await self.actor.autocomplete(
            command, focused=focused, value=str(value), in_channel=self._here(), **options
        )
        return "\n".join(f"  {c['name']}" for c in choices) or "  (no suggestions)"

    async def _user_command(self, text: str) -> str:
        name, _, target = text.rpartition(" ")
        if not name:
            raise DriverError("usage: user COMMAND NAME @member")
        ix = await self.actor.user_command(
            name, self.community.actor(target), in_channel=self._here()
        )
        return await self._outcome(ix)

    # -- components ---------------------------------------------------------------------------

    def _latest_with(self, kind: str) -> Message:
        wanted = (2,) if kind == "button" else (3, 5, 6, 7, 8)
        for message in reversed(self.shown):
            if any(c.get("type") in wanted for c in message.iter_components()):
                return message
        raise DriverError(f"no {kind} in the latest output")

    async def _click(self, which: str) -> str:
        message = self._latest_with("button")
        target: str | int = int(which) - 1 if which.isdigit() else which
        return await self._outcome(await self.actor.click(message, target))

    async def _select(self, rest: str) -> str:
        parts = shlex.split(rest)
        if len(parts) < 2 or not parts[0].isdigit():
            raise DriverError("usage: select N OPTION [OPTION ...]")
        message = self._latest_with("select")
        selects = [c for c in message.iter_components() if c.get("type") != 2]
        menu = selects[int(parts[0]) - 1]
        options = menu.get("options") or []
        values = [
            options[int(p) - 1]["value"] if p.isdigit() and int(p) <= len(options) else p
            for p in parts[1:]
        ]
        return await self._outcome(await self.actor.select(message, int(parts[0]) - 1, values))

    async def _modal(self, rest: str) -> str:
        if self.modal_source is None:
            raise DriverError("no form is open")
        values = {}
        for token in shlex.split(rest):
            field, sep, value = token.partition("=")
            if not sep:
                raise DriverError(f"write field=value, not {token!r}")
            values[field] = value
        source, self.modal_source = self.modal_source, None
        return await self._outcome(await self.actor.submit_modal(source, values))

    async def _outcome(self, ix: Interaction) -> str:
        if ix.modal is not None:
            self.modal_source = ix
            return render_modal(ix.modal)
        await ix.final(timeout=self.timeout)
        if self.settle is not None:
            await self.settle()
        messages = ix.messages or ([ix.source_message] if ix.source_message else [])
        self.shown = list(messages)
        return render_messages(messages) if messages else "(no visible answer)"

    # -- reading ------------------------------------------------------------------------------

    async def _inbox(self, _: str) -> str:
        messages = self.server.dm_messages(self.actor)
        self._dms_seen[self.actor.id] = len(messages)
        self.shown = messages[-10:]
        return render_messages(self.shown) if messages else "(no DMs)"

    async def _channel(self, name: str) -> str:
        channel = self._channel_named(name)
        self.shown = channel.visible_messages(self.actor)[-10:]
        return render_messages(self.shown) if self.shown else f"(nothing in #{channel.name})"

    async def _thread(self, name: str) -> str:
        return await self._channel(name)

    async def _threads(self, _: str) -> str:
        lines = []
        for thread in self.community.guild.threads:
            who = ", ".join(u.display_name for u in thread.members)
            flags = " archived" if thread.archived else ""
            flags += " locked" if thread.locked else ""
            lines.append(
                f"{thread.name} (in #{thread.parent.name if thread.parent else '?'}){flags}: {who}"
            )
        return "\n".join(lines) or "(no threads)"

    async def _wait(self, _: str) -> str:
        if self.settle is not None:
            await self.settle()
        return "(all queued messages went out)"

    async def _expect(self, text: str) -> str:
        if text.lower() not in self.last_output.lower():
            raise DriverError(f"expected {text!r} in the last output")
        return ""

    def _new_dm_notice(self) -> str:
        """Say once when DMs arrive (not again on every line until someone reads them)."""
        notices = []
        for member in [self.community.moderator, *self.community.members.values()]:
            count = len(self.server.dm_messages(member))
            if count <= self._dms_noticed.get(member.id, 0):
                continue
            self._dms_noticed[member.id] = count
            new = count - self._dms_seen.get(member.id, 0)
            if new > 0 and member is not self.actor:
                notices.append(f"📬 {member.user.username} has {new} new DM(s)")
            if member is self.actor and new > 0:
                notices.append(f"📬 you have {new} new DM(s): type inbox")
        return ("\n" + "\n".join(notices)) if notices else ""


def render_modal(modal: dict[str, Any]) -> str:
    lines = [f"[form] {modal.get('title', '')}"]
    for row in modal.get("components") or []:
        items = row.get("components") or ([row["component"]] if row.get("component") else [])
        label = row.get("label")
        for item in items:
            name = item.get("label") or label or item.get("custom_id")
            value = f' (now: "{item["value"]}")' if item.get("value") else ""
            required = "" if item.get("required", True) is False else " *"
            lines.append(f"  {item.get('custom_id')}: {name}{required}{value}")
    lines.append("Fill it in with: modal field=value ...")
    return "\n".join(lines)

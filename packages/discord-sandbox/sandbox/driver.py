"""A terminal driver: act as members of the demo community and see what the bot answers.

One line, one action; see ``HELP``. Scripts use the same lines plus ``expect TEXT``.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Awaitable, Callable
from typing import Any

from sandbox import driver_verbs
from sandbox.channels import Channel
from sandbox.control import Actor, CommandNotFound, Interaction, find_command
from sandbox.demo import DemoCommunity
from sandbox.driver_verbs import Travel, attachments_shown
from sandbox.driver_words import (
    HELP,
    DriverError,
    button_starting,
    choice_value,
    in_words,
    plain_error,
    prefilled_left_out,
    render_modal,
    unquoted,
)
from sandbox.members import Role
from sandbox.messages import Message
from sandbox.render import render_messages

__all__ = ["HELP", "Driver", "DriverError"]

YES, NO = ("yes", "y", "true", "on", "1"), ("no", "n", "false", "off", "0")
MEMBER_OPTION, CHANNEL_OPTION, ROLE_OPTION, MENTIONABLE_OPTION = 6, 7, 8, 9
BOOLEAN_OPTION, SUBCOMMAND_TYPES, SELECT_TYPES = 5, (1, 2), (3, 5, 6, 7, 8)


class Driver:
    def __init__(
        self,
        community: DemoCommunity,
        *,
        settle: Callable[[], Awaitable[None]] | None = None,
        timeout: float = 10.0,
        travel: Travel | None = None,
    ) -> None:
        self.community = community
        self.server = community.server
        self.actor: Actor = community.moderator
        self.settle = settle
        self.timeout = timeout
        self.shown: list[Message] = []
        self.modal_source: Interaction | None = None
        self.last_output = ""
        self.travel = travel
        self.place: Channel | None = None  # where commands run (None: #general)
        self.in_dm = False
        # DMs each member has read with ``inbox`` (those kept from an earlier run count as read)
        self._dms_seen = {m.id: len(self.server.dm_messages(m)) for m in self._everyone()}
        self._dms_noticed = dict(self._dms_seen)  # DMs already announced

    def _everyone(self) -> list[Actor]:
        return [self.community.moderator, *self.community.members.values()]

    @property
    def prompt(self) -> str:
        where = " (dm)" if self.in_dm else f" ({self.place.name})" if self.place else ""
        return f"{self.actor.user.username}{where}> "

    async def run(self, line: str) -> str:
        """Carry out one line and return what to print; raises DriverError on failure."""
        line = line.strip()
        if not line or line.startswith("#"):  # blank lines and comments in scripts
            return ""
        try:
            output = await self._dispatch(line)
        except DriverError:
            raise
        except Exception as exc:  # one plain line for the person typing, never a traceback
            raise DriverError(in_words(plain_error(exc), self.server.state)) from exc
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
            "members": lambda rest: driver_verbs.members(self, rest),
            "complete": self._complete,
            "view-profile": lambda rest: self._user_command(f"View profile {rest}"),
            "user": self._user_command,
            "click": self._click,
            "select": self._select,
            "modal": self._modal,
            "inbox": self._inbox,
            "channels": lambda rest: driver_verbs.channels(self, rest),
            "channel": self._channel,
            "thread": self._thread,
            "threads": self._threads,
            "wait": self._wait,
            "leave": self._leave,
            "rejoin": self._rejoin,
            "expect": self._expect,
            "in": lambda rest: driver_verbs.move_to(self, rest),
            "dm": self._slash_in_dm,
            "say": lambda rest: driver_verbs.say(self, rest),
            "dms": lambda rest: driver_verbs.set_dms(self, rest),
            "travel": lambda rest: driver_verbs.travel(self, rest),
            "save": lambda rest: driver_verbs.save(self, rest),
        }

    # -- members and commands -------------------------------------------------------------

    async def _help(self, _: str) -> str:
        return HELP

    async def _as(self, name: str) -> str:
        self.actor = self.community.actor(name)
        self.shown, self.modal_source = [], None
        self._dms_noticed[self.actor.id] = self._dms_seen.get(self.actor.id, 0)  # remind them
        where = " (in your DM)" if self.in_dm else f" (in {self.place.name})" if self.place else ""
        return f"You are now {self.actor.display_name}{where}."

    async def _leave(self, name: str) -> str:
        member = self.community.actor(name)
        self.community.guild.remove_member(member)
        return f"{member.display_name} left the server."

    async def _rejoin(self, name: str) -> str:
        member = self.community.actor(name)
        self.community.guild.rejoin(member)
        return f"{member.display_name} joined the server again."

    def _parse_command(self, text: str) -> tuple[str, dict[str, str]]:
        """``/cmd sub opt:value ...`` as words and the options as typed (shell-style quotes)."""
        words: list[str] = []
        options: dict[str, str] = {}
        for token in shlex.split(text.lstrip("/")):
            name, sep, value = token.partition(":")
            value = unquoted(value)
            if sep and not words and not name:
                raise DriverError(f"missing command name before {token!r}")
            if sep:
                options[name] = value
            else:
                words.append(token)
        if not words:
            raise DriverError("which command? e.g. /tags add tag:Sports")
        return " ".join(words), options

    def _typed(self, command: str, options: dict[str, str]) -> dict[str, Any]:
        """Each value as its option's type asks: a member, a channel, a role, yes/no or text."""
        definitions = self._option_definitions(command)
        return {name: self._value(definitions.get(name), raw) for name, raw in options.items()}

    def _option_definitions(self, command: str) -> dict[str, dict[str, Any]]:
        """The options of ``/command [group] [sub]`` as the bot registered them ({} if unknown:
        the control API then names what is wrong)."""
        words = command.split()
        try:
            definition = find_command(self.server.state, self.community.guild, words[0], 1)
        except CommandNotFound:
            return {}
        options: list[dict[str, Any]] = definition.get("options") or []
        for word in words[1:]:
            sub = next(
                (o for o in options if o["name"] == word and o["type"] in SUBCOMMAND_TYPES), None
            )
            if sub is None:
                return {}
            options = sub.get("options") or []
        return {o["name"]: o for o in options}

    def _value(self, definition: dict[str, Any] | None, text: str) -> Any:
        if definition is None:
            return text  # an option the command lacks: the control API says so
        kind = definition["type"]
        if kind == BOOLEAN_OPTION:
            return yes_or_no(definition["name"], text)
        if kind in (MEMBER_OPTION, MENTIONABLE_OPTION):
            return self.community.actor(text)
        if kind == CHANNEL_OPTION:
            return self._channel_named(text)
        if kind == ROLE_OPTION:
            return self._role_named(text)
        if definition.get("choices"):
            return choice_value(definition, text)
        return text  # text and numbers as typed, "@" and "#" included

    def _role_named(self, name: str) -> Role:
        try:
            return self.community.guild.role(name.lstrip("@"))
        except KeyError:
            roles = ", ".join(r.name for r in self.community.guild.roles.values())
            raise DriverError(f"no role called {name}; roles: {roles}") from None

    def _channel_named(self, name: str) -> Channel:
        name = name.lstrip("#")
        guild = self.community.guild
        for channel in [*guild.channels, *guild.threads]:
            if channel.name == name:
                return channel
        raise DriverError(f"no channel called #{name}")

    async def _slash(self, line: str) -> str:
        command, typed = self._parse_command(line)
        options = self._typed(command, typed)
        ix = await self.actor.slash(command, in_channel=self._here(), in_dm=self.in_dm, **options)
        return await self._outcome(ix)

    async def _slash_in_dm(self, line: str) -> str:
        saved, self.in_dm = self.in_dm, True
        try:
            return await self._slash(line)
        finally:
            self.in_dm = saved

    def _here(self) -> Channel:
        return self.place or self.community.guild.channel("general")

    async def _complete(self, text: str) -> str:
        command, typed = self._parse_command(text)
        if not typed:
            raise DriverError("say which option you are typing, e.g. complete /tags add tag:ort")
        focused = list(typed)[-1]
        value = typed.pop(focused)  # what is being typed is always plain text
        options = self._typed(command, typed)
        choices = await self.actor.autocomplete(
            command,
            focused=focused,
            value=value,
            in_channel=self._here(),
            in_dm=self.in_dm,
            **options,
        )
        return "\n".join(f"  {c['name']}" for c in choices) or "  (no suggestions)"

    async def _user_command(self, text: str) -> str:
        words = shlex.split(text)
        name, target = " ".join(words[:-1]), words[-1] if words else ""
        if not name:
            raise DriverError('usage: user "COMMAND NAME" @member')
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
        target = int(which) - 1 if which.isdigit() else button_starting(message, which)
        return await self._outcome(await self.actor.click(message, target))

    def _menus(self) -> list[tuple[Message, int]]:
        """Every select menu shown, numbered as in the output: (message, index in message)."""
        menus = []
        for message in self.shown:
            selects = [c for c in message.iter_components() if c.get("type") in SELECT_TYPES]
            menus += [(message, index) for index in range(len(selects))]
        return menus

    async def _select(self, rest: str) -> str:
        parts = shlex.split(rest)
        if len(parts) < 2 or not parts[0].isdigit():
            raise DriverError("usage: select N OPTION [OPTION ...]")
        menus = self._menus()
        if not menus:
            raise DriverError("no select menu in the latest output")
        number = int(parts[0])
        if not 1 <= number <= len(menus):
            raise DriverError(f"there is no menu {number}: pick 1 to {len(menus)}")
        message, index = menus[number - 1]
        selects = [c for c in message.iter_components() if c.get("type") in SELECT_TYPES]
        options = selects[index].get("options") or []
        values = [
            options[int(p) - 1]["value"] if p.isdigit() and 1 <= int(p) <= len(options) else p
            for p in parts[1:]
        ]
        return await self._outcome(await self.actor.select(message, index, values))

    async def _modal(self, rest: str) -> str:
        if self.modal_source is None:
            raise DriverError("no form is open")
        values = {}
        for token in shlex.split(rest):
            field, sep, value = token.partition("=")
            if not sep:
                raise DriverError(f"write field=value, not {token!r}")
            values[field] = value
        values.update(prefilled_left_out(self.modal_source.modal or {}, values))
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
        return self._render() if messages else "(no visible answer)"

    # -- reading ------------------------------------------------------------------------------

    async def _inbox(self, _: str) -> str:
        messages = self.server.dm_messages(self.actor)
        self._dms_seen[self.actor.id] = len(messages)
        self.shown = messages[-10:]
        return self._render() if messages else "(no DMs)"

    async def _channel(self, name: str) -> str:
        channel = self._channel_named(name)
        self.shown = channel.visible_messages(self.actor)[-10:]
        return self._render() if self.shown else f"(nothing in #{channel.name})"

    def _render(self) -> str:
        """The shown messages; select menus numbered through all of them, as ``select`` counts."""
        menus = iter(range(1, len(self._menus()) + 1))
        files = iter(range(1, len(attachments_shown(self.shown)) + 1))
        text = render_messages(self.shown)
        text = _SELECT_LABEL.sub(lambda m: f"{m.group(1)}{next(menus, 0)}:", text)
        return _FILE_LABEL.sub(lambda m: f"[file {next(files, 0)}: ", text)

    async def _thread(self, which: str) -> str:
        thread = driver_verbs.thread_named(self, which)
        self.shown = thread.visible_messages(self.actor)[-10:]
        return self._render() if self.shown else f"(nothing in the thread {thread.name})"

    async def _threads(self, _: str) -> str:
        return driver_verbs.describe_threads(self)

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
        for member in self._everyone():
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


_SELECT_LABEL = re.compile(r"^(  <select )\d+:", re.MULTILINE)
_FILE_LABEL = re.compile(r"^\[file: ", re.MULTILINE)


def yes_or_no(option: str, text: str) -> bool:
    """A yes/no option as a person types it; anything else is refused, not taken as no."""
    if text.strip().lower() in YES:
        return True
    if text.strip().lower() in NO:
        return False
    raise DriverError(f"{option} takes yes or no, not {text!r}")

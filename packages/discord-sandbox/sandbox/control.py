"""Acting as members: slash commands, autocomplete, context menus, clicks, selects, modals.

Each action builds the INTERACTION_CREATE payload Discord would send (from the command
definitions the bot registered), dispatches it over the gateway and returns an
:class:`Interaction` that records how the bot answered.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sandbox.kinds import CallbackType, InteractionType
from sandbox.state import (
    ADMINISTRATOR,
    ATTACH_FILES,
    DM,
    EMBED_LINKS,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    USE_APPLICATION_COMMANDS,
    VIEW_CHANNEL,
    Channel,
    Guild,
    Member,
    Message,
    Role,
    User,
)

if TYPE_CHECKING:
    from sandbox.server import SandboxServer


# Kept for importers of the old names.
APPLICATION_COMMAND = InteractionType.APPLICATION_COMMAND
MESSAGE_COMPONENT = InteractionType.MESSAGE_COMPONENT
AUTOCOMPLETE = InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE
MODAL_SUBMIT = InteractionType.MODAL_SUBMIT
_DM_APP_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
)


class SandboxUsageError(Exception):
    """The test asked for something a Discord client could not do."""


class CommandNotFound(SandboxUsageError, LookupError):
    pass


class CommandNotAvailable(SandboxUsageError, PermissionError):
    """The member would not see this command (permissions or context)."""


class Interaction:
    """One interaction a member started, and everything the bot answered to it."""

    def __init__(
        self,
        server: SandboxServer,
        *,
        type: InteractionType,
        data: dict[str, Any],
        user: User,
        member: Member | None,
        channel: Channel,
        source_message: Message | None = None,
        parent: Interaction | None = None,
        label: str = "",
        message_type: int = 0,
    ) -> None:
        state = server.state
        self.server = server
        self.id = state.ids.next()
        self.token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
        self.type = InteractionType(type)
        self.data = data
        self.user = user
        self.member = member
        self.channel = channel
        self.guild: Guild | None = channel.guild
        self.source_message = source_message
        self.parent = parent
        self.label = label
        self.message_type = message_type
        self.created = asyncio.get_running_loop().time()
        self.created_wall = time.time()
        self.acked = False
        self.expired = False
        self.acked_at: float | None = None
        self.response_type: CallbackType | None = None
        self.original: Message | None = None
        self.followups: list[Message] = []
        self.modal: dict[str, Any] | None = None
        self.choices: list[dict[str, Any]] | None = None
        self.callback_payloads: list[dict[str, Any]] = []

    def __repr__(self) -> str:
        return f"<Interaction {self.label} id={self.id} response_type={self.response_type}>"

    # --- what the bot did ----------------------------------------------------------------------
    @property
    def messages(self) -> list[Message]:
        """Messages this interaction produced (initial response or deferred, then followups)."""
        out = [self.original] if self.original is not None else []
        out += self.followups
        return [m for m in out if not m.deleted]

    @property
    def message(self) -> Message | None:
        msgs = self.messages
        return msgs[0] if msgs else None

    @property
    def ephemeral(self) -> bool:
        m = self.message
        return bool(m and m.ephemeral)

    @property
    def ack_latency(self) -> float | None:
        return None if self.acked_at is None else self.acked_at - self.created

    @property
    def callback_statuses(self) -> list[int]:
        marker = f"/interactions/{self.id}/"
        return [r.status for r in self.server.requests if marker in r.path]

    async def wait_ack(self, timeout: float | None = None) -> Interaction:
        if timeout is None:
            timeout = self.server.interaction_ack_timeout + 1.0
        await self.server.state.wait_for(
            lambda: self.acked,
            timeout=timeout,
            what=f"the bot to acknowledge {self.label} (callback statuses so far: "
            f"{self.callback_statuses})",
        )
        return self

    async def wait_for_message(
        self,
        predicate: Callable[[Message], bool] | None = None,
        *,
        timeout: float = 5.0,
        what: str | None = None,
    ) -> Message:
        """The first settled (not "thinking") message of this interaction matching predicate."""

        def find() -> Message | None:
            for m in self.messages:
                if not m.loading and (predicate is None or predicate(m)):
                    return m
            return None

        result: Message = await self.server.state.wait_for(
            find, timeout=timeout, what=what or f"a message answering {self.label}"
        )
        return result

    async def final(self, *, timeout: float = 5.0) -> Message:
        """The message the member ends up looking at after the bot's answer settles."""
        await self.wait_ack(timeout=timeout)
        rt = self.response_type
        if rt in (CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT, CallbackType.MODAL):
            raise SandboxUsageError(
                f"{self.label} was answered with callback type {rt} (no message); "
                "use ix.choices or ix.modal"
            )
        if rt == CallbackType.DEFERRED_UPDATE_MESSAGE:
            source = self.source_message
            assert source is not None
            edits_before = len(source.history)

            def settled() -> Message | None:
                if self.followups:
                    return self.followups[-1]
                return source if len(source.history) > edits_before else None

            # A deferred update may legitimately end without any visible change.
            if source.edited_timestamp and self.acked_at is not None:
                return source
            result: Message = await self.server.state.wait_for(
                settled, timeout=timeout, what=f"an edit or followup after deferring {self.label}"
            )
            return result
        return await self.wait_for_message(timeout=timeout)

    # --- payloads ------------------------------------------------------------------------------
    def metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "user": self.user.to_dict(),
            "authorizing_integration_owners": self._owners(),
        }
        if self.type == APPLICATION_COMMAND and self.data.get("type") == 2:
            meta["target_user"] = self.server.state.users[int(self.data["target_id"])].to_dict()
        if self.type == MESSAGE_COMPONENT and self.source_message is not None:
            meta["interacted_message_id"] = str(self.source_message.id)
        if self.type == MODAL_SUBMIT and self.parent is not None:
            meta["triggering_interaction_metadata"] = self.parent.metadata()
        if self.original is not None and self.type != MESSAGE_COMPONENT:
            meta["original_response_message_id"] = str(self.original.id)
        return meta

    def _owners(self) -> dict[str, str]:
        if self.guild is not None:
            return {"0": str(self.guild.id)}
        return {"0": "0"}

    def to_payload(self) -> dict[str, Any]:
        state = self.server.state
        payload: dict[str, Any] = {
            "id": str(self.id),
            "application_id": str(state.application_id),
            "type": self.type,
            "data": self.data,
            "token": self.token,
            "version": 1,
            "locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": self._owners(),
            "context": 0 if self.guild is not None else 1,
            "attachment_size_limit": 10 * 1024 * 1024,
            "channel_id": str(self.channel.id),
            "channel": _partial_channel(self.channel, self.member),
        }
        if self.guild is not None:
            assert self.member is not None
            bot = self.guild.bot_member
            payload["app_permissions"] = str(self.guild.permissions_for(bot, self.channel))
            payload["guild_id"] = str(self.guild.id)
            payload["guild_locale"] = "en-US"
            payload["guild"] = {"id": str(self.guild.id), "locale": "en-US", "features": []}
            payload["member"] = self.member.to_dict(
                permissions=self.member.permissions_in(self.channel)
            )
        else:
            payload["app_permissions"] = str(_DM_APP_PERMISSIONS)
            payload["user"] = self.user.to_dict()
        if self.source_message is not None:
            payload["message"] = self.source_message.to_dict()
        return payload


def _partial_channel(channel: Channel, member: Member | None) -> dict[str, Any]:
    if channel.type == DM:
        return channel.to_dict()
    del member  # Discord puts the member's channel permissions in member.permissions
    return channel.to_dict()


# --- dispatching ---------------------------------------------------------------------------
def _server_of(actor: Member | User) -> SandboxServer:
    server: SandboxServer | None = actor.guild.state.server if isinstance(actor, Member) else None
    if server is None:
        raise SandboxUsageError("this member is not attached to a running SandboxServer")
    return server


async def _send(ix: Interaction, wait: bool) -> Interaction:
    server = ix.server
    server.state.interactions[ix.id] = ix
    server.interactions_by_token[ix.token] = ix
    server.state.dispatch("INTERACTION_CREATE", ix.to_payload())
    server.state.changed()
    if wait:
        await ix.wait_ack()
    return ix


def _context_channel(
    member: Member, in_channel: Channel | None, in_dm: bool
) -> tuple[Channel, Member | None]:
    if in_dm:
        return member.state.dm_channel_for(member.user), None
    if in_channel is None:
        candidates = [
            c
            for c in member.guild.channels
            if c.type == 0 and member.permissions_in(c) & VIEW_CHANNEL
        ]
        if not candidates:
            raise SandboxUsageError(f"{member} can see no text channel; pass in_channel=")
        return candidates[0], member
    if in_channel.guild is not member.guild:
        raise SandboxUsageError(f"{in_channel} is not in {member.guild}")
    if not member.permissions_in(in_channel) & VIEW_CHANNEL:
        raise SandboxUsageError(f"{member} cannot see {in_channel}")
    return in_channel, member


def find_command(
    server: SandboxServer, guild: Guild | None, name: str, ctype: int
) -> dict[str, Any]:
    """A registered command by name: guild commands first, then global ones."""
    scopes: list[int | None] = [guild.id] if guild is not None else []
    scopes.append(None)
    for scope in scopes:
        for cmd in server.state.commands.get(scope, {}).values():
            if cmd["name"] == name and cmd.get("type", 1) == ctype:
                return cmd
    known = sorted(c["name"] for s in scopes for c in server.state.commands.get(s, {}).values())
    raise CommandNotFound(f"no registered command {name!r} (type {ctype}); registered: {known}")


def _check_available(cmd: dict[str, Any], member: Member | None, channel: Channel) -> None:
    if member is None:  # DM with the bot
        contexts = cmd.get("contexts")
        if (
            "guild_id" in cmd
            or (contexts is not None and 1 not in contexts)
            or (contexts is None and cmd.get("dm_permission") is False)
        ):
            raise CommandNotAvailable(f"/{cmd['name']} is not available in DMs")
        return
    contexts = cmd.get("contexts")
    if contexts is not None and 0 not in contexts:
        raise CommandNotAvailable(f"/{cmd['name']} is not available in servers")
    perms = member.permissions_in(channel)
    if not perms & USE_APPLICATION_COMMANDS:
        raise CommandNotAvailable(f"{member} lacks Use Application Commands in {channel}")
    required = cmd.get("default_member_permissions")
    if required is not None and not member.guild_permissions & ADMINISTRATOR:
        need = int(required)
        if need == 0 or member.guild_permissions & need != need:
            raise CommandNotAvailable(
                f"{member} lacks default_member_permissions={required} for /{cmd['name']}"
            )


def _resolve_path(cmd: dict[str, Any], path: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Option definitions of the leaf (sub)command and the names leading to it."""
    options: list[dict[str, Any]] = cmd.get("options") or []
    names: list[str] = []
    for part in path:
        nxt = next((o for o in options if o["name"] == part and o["type"] in (1, 2)), None)
        if nxt is None:
            subs = [o["name"] for o in options if o["type"] in (1, 2)]
            raise CommandNotFound(f"/{cmd['name']} has no subcommand {part!r}; it has {subs}")
        names.append(part)
        options = nxt.get("options") or []
    if any(o["type"] in (1, 2) for o in options):
        subs = [o["name"] for o in options if o["type"] in (1, 2)]
        raise CommandNotFound(f"/{cmd['name']} {' '.join(path)} needs a subcommand: {subs}")
    return options, names


def _wrap(cmd: dict[str, Any], names: list[str], leaf: list[dict[str, Any]]) -> list[Any]:
    """Nest leaf option values inside subcommand groups/subcommands as Discord does."""
    options: list[Any] = leaf
    defs: list[dict[str, Any]] = cmd.get("options") or []
    chain = []
    for name in names:
        d = next(o for o in defs if o["name"] == name)
        chain.append(d)
        defs = d.get("options") or []
    for d in reversed(chain):
        options = [{"name": d["name"], "type": d["type"], "options": options}]
    return options


class _Resolved:
    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {}

    def add_user(self, target: Member | User, channel: Channel) -> str:
        user = target.user if isinstance(target, Member) else target
        self.data.setdefault("users", {})[str(user.id)] = user.to_dict()
        member = target if isinstance(target, Member) else None
        if member is None and channel.guild is not None:
            member = channel.guild.members.get(user.id)
        if member is not None:
            item = member.to_dict(with_user=False, permissions=member.permissions_in(channel))
            del item["deaf"], item["mute"]  # resolved members carry no voice state
            self.data.setdefault("members", {})[str(user.id)] = item
        return str(user.id)

    def add_role(self, role: Role) -> str:
        self.data.setdefault("roles", {})[str(role.id)] = role.to_dict()
        return str(role.id)

    def add_channel(self, target: Channel, actor: Member | None) -> str:
        item: dict[str, Any] = {
            "id": str(target.id),
            "name": target.name,
            "type": target.type,
            "permissions": str(actor.permissions_in(target) if actor else 0),
        }
        if target.parent_id:
            item["parent_id"] = str(target.parent_id)
        if target.is_thread:
            item["thread_metadata"] = target.thread_metadata()
        self.data.setdefault("channels", {})[str(target.id)] = item
        return str(target.id)


def _convert_option(
    d: dict[str, Any], value: Any, resolved: _Resolved, channel: Channel, actor: Member | None
) -> Any:
    t = d["type"]
    name = d["name"]
    if t == 3:
        value = str(value)
        if d.get("min_length") is not None and len(value) < d["min_length"]:
            raise SandboxUsageError(f"option {name}: shorter than min_length {d['min_length']}")
        if d.get("max_length") is not None and len(value) > d["max_length"]:
            raise SandboxUsageError(f"option {name}: longer than max_length {d['max_length']}")
        if len(value) > 6000:
            raise SandboxUsageError(f"option {name}: Discord clients cap input at 6000 chars")
    elif t in (4, 10):
        value = int(value) if t == 4 else float(value)
        if d.get("min_value") is not None and value < d["min_value"]:
            raise SandboxUsageError(f"option {name}: below min_value {d['min_value']}")
        if d.get("max_value") is not None and value > d["max_value"]:
            raise SandboxUsageError(f"option {name}: above max_value {d['max_value']}")
    elif t == 5:
        if isinstance(value, str):  # typed by a person: yes/no, true/false, on/off, 1/0
            value = value.strip().lower() in ("yes", "true", "on", "1", "y")
        value = bool(value)
    elif t == 6:
        if not isinstance(value, Member | User):
            raise SandboxUsageError(f"option {name}: pass a Member or User")
        return resolved.add_user(value, channel)
    elif t == 7:
        if not isinstance(value, Channel):
            raise SandboxUsageError(f"option {name}: pass a Channel")
        types = d.get("channel_types")
        if types and value.type not in types:
            raise SandboxUsageError(f"option {name}: channel type {value.type} not in {types}")
        return resolved.add_channel(value, actor)
    elif t == 8:
        if not isinstance(value, Role):
            raise SandboxUsageError(f"option {name}: pass a Role")
        return resolved.add_role(value)
    elif t == 9:
        if isinstance(value, Role):
            return resolved.add_role(value)
        if isinstance(value, Member | User):
            return resolved.add_user(value, channel)
        raise SandboxUsageError(f"option {name}: pass a Member, User or Role")
    else:
        raise SandboxUsageError(f"option {name}: option type {t} is not supported by the sandbox")
    choices = d.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        by_name = {c["name"]: c["value"] for c in choices}
        if value in by_name:
            return by_name[value]
        raise SandboxUsageError(f"option {name}: {value!r} is not one of the choices {choices}")
    return value


def _build_command_data(
    server: SandboxServer,
    member: Member,
    command: str,
    channel: Channel,
    actor: Member | None,
    options: dict[str, Any],
    focused: str | None = None,
    /,
) -> tuple[dict[str, Any], dict[str, Any]]:
    parts = command.strip().lstrip("/").split()
    if not parts:
        raise SandboxUsageError("empty command name")
    guild = channel.guild
    cmd = find_command(server, guild, parts[0], 1)
    _check_available(cmd, actor, channel)
    defs, names = _resolve_path(cmd, parts[1:])
    by_name = {d["name"]: d for d in defs}
    unknown = set(options) - set(by_name)
    if focused is not None and focused not in by_name:
        unknown.add(focused)
    if unknown:
        raise SandboxUsageError(
            f"/{command} has no option(s) {sorted(unknown)}; options: {sorted(by_name)}"
        )
    resolved = _Resolved()
    leaf: list[dict[str, Any]] = []
    for d in defs:  # Discord sends options in definition order when typed that way
        if focused is not None and d["name"] == focused:
            if not d.get("autocomplete"):
                raise SandboxUsageError(f"option {focused} of /{command} has no autocomplete")
            leaf.append(
                {
                    "name": focused,
                    "type": d["type"],
                    "value": str(options.get(focused, "")),
                    "focused": True,
                }
            )
            continue
        if d["name"] in options:
            value = _convert_option(d, options[d["name"]], resolved, channel, actor)
            leaf.append({"name": d["name"], "type": d["type"], "value": value})
        elif d.get("required") and focused is None:
            raise SandboxUsageError(f"/{command}: required option {d['name']!r} missing")
    data: dict[str, Any] = {
        "id": cmd["id"],
        "name": cmd["name"],
        "type": 1,
        "options": _wrap(cmd, names, leaf),
    }
    if resolved.data:
        data["resolved"] = resolved.data
    if cmd.get("guild_id"):
        data["guild_id"] = cmd["guild_id"]
    del member
    return data, cmd


async def slash(
    member: Member,
    command: str,
    /,
    *,
    in_channel: Channel | None = None,
    in_dm: bool = False,
    wait: bool = True,
    **options: Any,
) -> Interaction:
    """Run ``/command [group] [sub]`` with typed options; waits for the bot's acknowledgement."""
    server = _server_of(member)
    channel, actor = _context_channel(member, in_channel, in_dm)
    data, _cmd = _build_command_data(server, member, command, channel, actor, options)
    ix = Interaction(
        server,
        type=APPLICATION_COMMAND,
        data=data,
        user=member.user,
        member=actor,
        channel=channel,
        label=f"/{command.strip().lstrip('/')}",
        message_type=20,
    )
    return await _send(ix, wait)


async def autocomplete(
    member: Member,
    command: str,
    /,
    *,
    focused: str,
    value: str = "",
    in_channel: Channel | None = None,
    in_dm: bool = False,
    **options: Any,
) -> list[dict[str, Any]]:
    """Type ``value`` into option ``focused``; returns the bot's choices."""
    server = _server_of(member)
    channel, actor = _context_channel(member, in_channel, in_dm)
    options = {**options, focused: value}
    data, _cmd = _build_command_data(server, member, command, channel, actor, options, focused)
    ix = Interaction(
        server,
        type=AUTOCOMPLETE,
        data=data,
        user=member.user,
        member=actor,
        channel=channel,
        label=f"autocomplete /{command.strip()} {focused}={value!r}",
    )
    await _send(ix, True)
    return list(ix.choices or [])


async def user_command(
    member: Member,
    name: str,
    target: Member | User,
    *,
    in_channel: Channel | None = None,
    wait: bool = True,
) -> Interaction:
    """Right-click ``target`` → Apps → ``name``."""
    server = _server_of(member)
    channel, actor = _context_channel(member, in_channel, False)
    cmd = find_command(server, channel.guild, name, 2)
    _check_available(cmd, actor, channel)
    resolved = _Resolved()
    target_id = resolved.add_user(target, channel)
    data: dict[str, Any] = {
        "id": cmd["id"],
        "name": cmd["name"],
        "type": 2,
        "target_id": target_id,
        "resolved": resolved.data,
    }
    if cmd.get("guild_id"):
        data["guild_id"] = cmd["guild_id"]
    ix = Interaction(
        server,
        type=APPLICATION_COMMAND,
        data=data,
        user=member.user,
        member=actor,
        channel=channel,
        label=f"user command {name!r}",
        message_type=23,
    )
    return await _send(ix, wait)


def _actor_for_message(member: Member, message: Message) -> Member | None:
    if message.visible_to is not None and message.visible_to != member.id:
        raise SandboxUsageError(f"{member} cannot see ephemeral message {message.id}")
    if message.deleted:
        raise SandboxUsageError(f"message {message.id} was deleted")
    channel = message.channel
    if channel.type == DM:
        if member.user not in channel.recipients:
            raise SandboxUsageError(f"{member} cannot see DM message {message.id}")
        return None
    actor = channel.guild.members.get(member.id) if channel.guild else None
    if actor is None or not actor.permissions_in(channel) & VIEW_CHANNEL:
        raise SandboxUsageError(f"{member} cannot see {channel}")
    return actor


def _pick(components: list[dict[str, Any]], which: str | int, kind: str) -> dict[str, Any]:
    if isinstance(which, int):
        if not 0 <= which < len(components):
            raise SandboxUsageError(f"no {kind} #{which} (0-based); there are {len(components)}")
        return components[which]
    for key in ("custom_id", "label", "placeholder"):
        for c in components:
            if c.get(key) == which:
                return c
    for c in components:
        if str(c.get("label", "")).casefold() == which.casefold():
            return c
    have = [c.get("label") or c.get("placeholder") or c.get("custom_id") for c in components]
    raise SandboxUsageError(f"no {kind} matching {which!r}; have {have}")


async def click(
    member: Member, message: Message, which: str | int, *, wait: bool = True
) -> Interaction:
    """Click a button by label, custom_id, or 0-based index among the message's buttons."""
    actor = _actor_for_message(member, message)
    buttons = [c for c in message.iter_components() if c.get("type") == 2]
    button = _pick(buttons, which, "button")
    if button.get("disabled"):
        raise SandboxUsageError(f"button {button.get('label')!r} is disabled")
    if button.get("style") in (5, 6):
        raise SandboxUsageError(f"button {button.get('label')!r} is a link/premium button")
    server = _server_of(member)
    ix = Interaction(
        server,
        type=MESSAGE_COMPONENT,
        data={"custom_id": button["custom_id"], "component_type": 2},
        user=member.user,
        member=actor,
        channel=message.channel,
        source_message=message,
        label=f"click {button.get('label') or button['custom_id']!r}",
    )
    return await _send(ix, wait)


async def select(
    member: Member,
    message: Message,
    which: str | int,
    values: list[Any],
    *,
    wait: bool = True,
) -> Interaction:
    """Pick ``values`` (option values or labels; Members/Roles/Channels for entity selects)."""
    actor = _actor_for_message(member, message)
    selects = [c for c in message.iter_components() if c.get("type") in (3, 5, 6, 7, 8)]
    comp = _pick(selects, which, "select")
    if comp.get("disabled"):
        raise SandboxUsageError(f"select {comp.get('custom_id')!r} is disabled")
    data, label = _select_data(comp, values, message.channel, actor)
    server = _server_of(member)
    ix = Interaction(
        server,
        type=MESSAGE_COMPONENT,
        data=data,
        user=member.user,
        member=actor,
        channel=message.channel,
        source_message=message,
        label=label,
    )
    return await _send(ix, wait)


def _select_data(
    comp: dict[str, Any], values: list[Any], channel: Channel, actor: Member | None
) -> tuple[dict[str, Any], str]:
    min_v, max_v = comp.get("min_values", 1), comp.get("max_values", 1)
    if not min_v <= len(values) <= max_v:
        raise SandboxUsageError(
            f"select {comp['custom_id']!r} takes {min_v}..{max_v} values, got {len(values)}"
        )
    data: dict[str, Any] = {"custom_id": comp["custom_id"], "component_type": comp["type"]}
    if comp["type"] == 3:
        options = comp.get("options") or []
        out = []
        for v in values:
            match = next((o for o in options if o["value"] == v), None) or next(
                (o for o in options if o["label"] == v), None
            )
            if match is None:
                raise SandboxUsageError(f"{v!r} is not an option of {comp['custom_id']!r}")
            out.append(match["value"])
        data["values"] = out
    else:
        resolved = _Resolved()
        out = []
        for v in values:
            if isinstance(v, Role):
                out.append(resolved.add_role(v))
            elif isinstance(v, Channel):
                out.append(resolved.add_channel(v, actor))
            elif isinstance(v, Member | User):
                out.append(resolved.add_user(v, channel))
            else:
                raise SandboxUsageError(f"entity select value {v!r} must be a Member/Role/Channel")
        data["values"] = out
        data["resolved"] = resolved.data
    return data, f"select {comp['custom_id']!r}={data['values']}"


async def submit_modal(
    member: Member, ix: Interaction, values: Mapping[str, Any], *, wait: bool = True
) -> Interaction:
    """Fill in and submit the modal the bot opened in answer to ``ix``.

    ``values`` keys are text input custom_ids or labels; values are strings (or lists for
    selects inside labels).
    """
    if ix.modal is None:
        raise SandboxUsageError(
            f"{ix.label} was not answered with a modal (response type {ix.response_type})"
        )
    modal = ix.modal
    remaining = dict(values)
    components: list[dict[str, Any]] = []

    def take(c: dict[str, Any], label: str | None) -> Any:
        for key in (c.get("custom_id"), label, c.get("label")):
            if key is not None and key in remaining:
                return remaining.pop(key)
        return None

    for comp in modal.get("components") or []:
        if comp.get("type") == 1:
            inner = comp["components"][0]
            components.append({"type": 1, "components": [_modal_value(inner, take(inner, None))]})
        elif comp.get("type") == 18:
            inner = comp["component"]
            item = {"type": 18, "component": _modal_value(inner, take(inner, comp.get("label")))}
            if "id" in comp:
                item["id"] = comp["id"]
            components.append(item)
    if remaining:
        raise SandboxUsageError(f"modal {modal.get('title')!r} has no field(s) {list(remaining)}")
    server = ix.server
    sub = Interaction(
        server,
        type=MODAL_SUBMIT,
        data={"custom_id": modal["custom_id"], "components": components},
        user=ix.user,
        member=ix.member,
        channel=ix.channel,
        source_message=ix.source_message,
        parent=ix,
        label=f"modal {modal.get('title')!r}",
    )
    del member
    return await _send(sub, wait)


def _modal_value(c: dict[str, Any], value: Any) -> dict[str, Any]:
    if c.get("type") == 4:
        text = "" if value is None else str(value)
        if c.get("required", True) and not text:
            raise SandboxUsageError(f"modal field {c.get('custom_id')!r} is required")
        if text and c.get("min_length") and len(text) < c["min_length"]:
            raise SandboxUsageError(f"modal field {c['custom_id']!r} shorter than min_length")
        if c.get("max_length") and len(text) > c["max_length"]:
            raise SandboxUsageError(f"modal field {c['custom_id']!r} longer than max_length")
        return {"type": 4, "custom_id": c["custom_id"], "value": text}
    vals = list(value or [])
    return {"type": c["type"], "custom_id": c["custom_id"], "values": [str(v) for v in vals]}

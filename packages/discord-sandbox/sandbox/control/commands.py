"""Slash commands as a member types them: find the command, check it is offered, and build
the ``data`` Discord sends (options typed, nested and resolved)."""

from __future__ import annotations

from typing import Any

from sandbox.channels import Channel
from sandbox.control.errors import CommandNotAvailable, CommandNotFound, SandboxUsageError
from sandbox.control.resolved import Resolved
from sandbox.guilds import Guild
from sandbox.members import Member, Role, User, is_member_like
from sandbox.permissions import ADMINISTRATOR, USE_APPLICATION_COMMANDS, VIEW_CHANNEL
from sandbox.state import SandboxState

CHAT_INPUT, USER_COMMAND = 1, 2
SUBCOMMAND_TYPES = (1, 2)


def context_channel(
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


def find_command(state: SandboxState, guild: Guild | None, name: str, ctype: int) -> dict[str, Any]:
    """A registered command by name: guild commands first, then global ones."""
    scopes: list[int | None] = [guild.id] if guild is not None else []
    scopes.append(None)
    for scope in scopes:
        for cmd in state.commands.get(scope, {}).values():
            if cmd["name"] == name and cmd.get("type", 1) == ctype:
                return cmd
    known = sorted(c["name"] for s in scopes for c in state.commands.get(s, {}).values())
    raise CommandNotFound(f"no registered command {name!r} (type {ctype}); registered: {known}")


def check_available(cmd: dict[str, Any], member: Member | None, channel: Channel) -> None:
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
        nxt = next(
            (o for o in options if o["name"] == part and o["type"] in SUBCOMMAND_TYPES), None
        )
        if nxt is None:
            subs = [o["name"] for o in options if o["type"] in SUBCOMMAND_TYPES]
            raise CommandNotFound(f"/{cmd['name']} has no subcommand {part!r}; it has {subs}")
        names.append(part)
        options = nxt.get("options") or []
    if any(o["type"] in SUBCOMMAND_TYPES for o in options):
        subs = [o["name"] for o in options if o["type"] in SUBCOMMAND_TYPES]
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


def _convert_option(
    d: dict[str, Any], value: Any, resolved: Resolved, channel: Channel, actor: Member | None
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
        if not (is_member_like(value) or isinstance(value, User)):
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
        if is_member_like(value) or isinstance(value, User):
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


def build_command_data(
    state: SandboxState,
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
    cmd = find_command(state, guild, parts[0], CHAT_INPUT)
    check_available(cmd, actor, channel)
    defs, names = _resolve_path(cmd, parts[1:])
    by_name = {d["name"]: d for d in defs}
    unknown = set(options) - set(by_name)
    if focused is not None and focused not in by_name:
        unknown.add(focused)
    if unknown:
        raise SandboxUsageError(
            f"/{command} has no option(s) {sorted(unknown)}; options: {sorted(by_name)}"
        )
    resolved = Resolved()
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
    return data, cmd

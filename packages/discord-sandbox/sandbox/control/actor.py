"""``Actor``: a guild member a test (or the terminal driver) acts as.

It holds the member and the server context; the model's ``Member`` knows nothing of it. Where
the sandbox takes a member (an option value, ``guild.remove_member``, an overwrite), an actor
is accepted too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.channels import Channel
from sandbox.context import ServerContext
from sandbox.control.commands import (
    USER_COMMAND,
    build_command_data,
    check_available,
    context_channel,
    find_command,
)
from sandbox.control.components import actor_for_message, modal_components, pick, select_data
from sandbox.control.errors import SandboxUsageError
from sandbox.control.interaction import Interaction
from sandbox.control.resolved import Resolved
from sandbox.guilds import Guild
from sandbox.kinds import InteractionType
from sandbox.members import Member, MemberLike, Role, User
from sandbox.messages import BUTTON, SELECT_TYPES, Message

LINK_OR_PREMIUM = (5, 6)  # button styles that open a link or a store page, not the bot


class Actor:
    """``server.actor(member)``: run commands, click and fill in forms as ``member``."""

    def __init__(self, ctx: ServerContext, member: Member) -> None:
        self.ctx = ctx
        self.member = member

    def __repr__(self) -> str:
        return repr(self.member)

    # --- who: the member's own attributes, read through ----------------------------------------
    @property
    def id(self) -> int:
        return self.member.id

    @property
    def user(self) -> User:
        return self.member.user

    @property
    def guild(self) -> Guild:
        return self.member.guild

    @property
    def display_name(self) -> str:
        return self.member.display_name

    @property
    def mention(self) -> str:
        return self.member.mention

    @property
    def roles(self) -> list[Role]:
        return self.member.roles

    def permissions_in(self, channel: Channel | None) -> int:
        return self.member.permissions_in(channel)

    def add_role(self, role: Role) -> None:
        self.member.add_role(role)

    def remove_role(self, role: Role) -> None:
        self.member.remove_role(role)

    def set_dms_open(self, value: bool) -> None:
        self.member.set_dms_open(value)

    # --- commands ------------------------------------------------------------------------------
    async def slash(
        self,
        command: str,
        /,
        *,
        in_channel: Channel | None = None,
        in_dm: bool = False,
        wait: bool = True,
        **options: Any,
    ) -> Interaction:
        """Run ``/command [group] [sub]`` with typed options; waits for the acknowledgement."""
        channel, actor = context_channel(self.member, in_channel, in_dm)
        data, _cmd = build_command_data(self.ctx.state, command, channel, actor, options)
        ix = self._interaction(
            InteractionType.APPLICATION_COMMAND,
            data,
            channel,
            actor,
            label=f"/{command.strip().lstrip('/')}",
            message_type=20,
        )
        return await ix.send(wait=wait)

    async def autocomplete(
        self,
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
        channel, actor = context_channel(self.member, in_channel, in_dm)
        options = {**options, focused: value}
        data, _cmd = build_command_data(self.ctx.state, command, channel, actor, options, focused)
        ix = self._interaction(
            InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE,
            data,
            channel,
            actor,
            label=f"autocomplete /{command.strip()} {focused}={value!r}",
        )
        await ix.send(wait=True)
        return list(ix.choices or [])

    async def user_command(
        self,
        name: str,
        target: MemberLike | User,
        *,
        in_channel: Channel | None = None,
        wait: bool = True,
    ) -> Interaction:
        """Right-click ``target`` → Apps → ``name``."""
        channel, actor = context_channel(self.member, in_channel, False)
        cmd = find_command(self.ctx.state, channel.guild, name, USER_COMMAND)
        check_available(cmd, actor, channel)
        resolved = Resolved()
        target_id = resolved.add_user(target, channel)
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": cmd["name"],
            "type": USER_COMMAND,
            "target_id": target_id,
            "resolved": resolved.data,
        }
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        ix = self._interaction(
            InteractionType.APPLICATION_COMMAND,
            data,
            channel,
            actor,
            label=f"user command {name!r}",
            message_type=23,
        )
        return await ix.send(wait=wait)

    # --- components ----------------------------------------------------------------------------
    async def click(self, message: Message, which: str | int, *, wait: bool = True) -> Interaction:
        """Click a button by label, custom_id, or 0-based index among the message's buttons."""
        actor = actor_for_message(self.member, message)
        buttons = [c for c in message.iter_components() if c.get("type") == BUTTON]
        button = pick(buttons, which, "button")
        if button.get("disabled"):
            raise SandboxUsageError(f"button {button.get('label')!r} is disabled")
        if button.get("style") in LINK_OR_PREMIUM:
            raise SandboxUsageError(f"button {button.get('label')!r} is a link/premium button")
        ix = self._interaction(
            InteractionType.MESSAGE_COMPONENT,
            {"custom_id": button["custom_id"], "component_type": BUTTON},
            message.channel,
            actor,
            source_message=message,
            label=f"click {button.get('label') or button['custom_id']!r}",
        )
        return await ix.send(wait=wait)

    async def select(
        self, message: Message, which: str | int, values: list[Any], *, wait: bool = True
    ) -> Interaction:
        """Pick ``values`` (option values or labels; Members/Roles/Channels for entity selects)."""
        actor = actor_for_message(self.member, message)
        selects = [c for c in message.iter_components() if c.get("type") in SELECT_TYPES]
        comp = pick(selects, which, "select")
        if comp.get("disabled"):
            raise SandboxUsageError(f"select {comp.get('custom_id')!r} is disabled")
        data, label = select_data(comp, values, message.channel, actor)
        ix = self._interaction(
            InteractionType.MESSAGE_COMPONENT,
            data,
            message.channel,
            actor,
            source_message=message,
            label=label,
        )
        return await ix.send(wait=wait)

    async def submit_modal(
        self, ix: Interaction, values: Mapping[str, Any], *, wait: bool = True
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
        sub = Interaction(
            self.ctx,
            type=InteractionType.MODAL_SUBMIT,
            data={"custom_id": modal["custom_id"], "components": modal_components(modal, values)},
            user=ix.user,
            member=ix.member,
            channel=ix.channel,
            source_message=ix.source_message,
            parent=ix,
            label=f"modal {modal.get('title')!r}",
        )
        return await sub.send(wait=wait)

    def _interaction(
        self,
        kind: InteractionType,
        data: dict[str, Any],
        channel: Channel,
        actor: Member | None,
        **details: Any,  # label, source_message, message_type
    ) -> Interaction:
        """An interaction this member starts (``actor``: as a guild member, None in a DM)."""
        user = self.member.user
        return Interaction(
            self.ctx, type=kind, data=data, user=user, member=actor, channel=channel, **details
        )

"""One interaction a member started, the payload Discord sends for it, and the bot's answer."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from sandbox import shapes, wallclock
from sandbox.channels import Channel
from sandbox.context import ServerContext
from sandbox.control.errors import SandboxUsageError
from sandbox.guilds import Guild
from sandbox.kinds import CallbackType, InteractionType
from sandbox.members import Member, User
from sandbox.messages import Message
from sandbox.permissions import (
    ATTACH_FILES,
    EMBED_LINKS,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
)

_DM_APP_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
)


class Interaction:
    """One interaction a member started, and everything the bot answered to it."""

    def __init__(
        self,
        ctx: ServerContext,
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
        self.ctx = ctx
        self.id = ctx.state.ids.next()
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
        self.created = ctx.clock.loop()
        self.created_wall = wallclock.now()
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
        return [r.status for r in self.ctx.requests if marker in r.path]

    async def wait_ack(self, timeout: float | None = None) -> Interaction:
        if timeout is None:
            timeout = self.ctx.deadlines.ack + 1.0
        await self.ctx.state.wait_for(
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

        result: Message = await self.ctx.state.wait_for(
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
            result: Message = await self.ctx.state.wait_for(
                settled, timeout=timeout, what=f"an edit or followup after deferring {self.label}"
            )
            return result
        return await self.wait_for_message(timeout=timeout)

    # --- payloads ------------------------------------------------------------------------------
    def metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "user": shapes.user(self.user),
            "authorizing_integration_owners": self._owners(),
        }
        if self.type == InteractionType.APPLICATION_COMMAND and self.data.get("type") == 2:
            target = self.ctx.state.users[int(self.data["target_id"])]
            meta["target_user"] = shapes.user(target)
        if self.type == InteractionType.MESSAGE_COMPONENT and self.source_message is not None:
            meta["interacted_message_id"] = str(self.source_message.id)
        if self.type == InteractionType.MODAL_SUBMIT and self.parent is not None:
            meta["triggering_interaction_metadata"] = self.parent.metadata()
        if self.original is not None and self.type != InteractionType.MESSAGE_COMPONENT:
            meta["original_response_message_id"] = str(self.original.id)
        return meta

    def _owners(self) -> dict[str, str]:
        if self.guild is not None:
            return {"0": str(self.guild.id)}
        return {"0": "0"}

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": str(self.id),
            "application_id": str(self.ctx.state.application_id),
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
            # Discord puts the member's channel permissions in member.permissions
            "channel": shapes.channel(self.channel),
        }
        if self.guild is not None:
            assert self.member is not None
            bot = self.guild.bot_member
            payload["app_permissions"] = str(self.guild.permissions_for(bot, self.channel))
            payload["guild_id"] = str(self.guild.id)
            payload["guild_locale"] = "en-US"
            payload["guild"] = {"id": str(self.guild.id), "locale": "en-US", "features": []}
            payload["member"] = shapes.member(
                self.member, permissions=self.member.permissions_in(self.channel)
            )
        else:
            payload["app_permissions"] = str(_DM_APP_PERMISSIONS)
            payload["user"] = shapes.user(self.user)
        if self.source_message is not None:
            payload["message"] = shapes.message(self.source_message)
        return payload

    async def send(self, *, wait: bool) -> Interaction:
        """Dispatch INTERACTION_CREATE to the bot; with ``wait``, until it acknowledges."""
        state = self.ctx.state
        state.interactions[self.id] = self
        state.interactions_by_token[self.token] = self
        state.dispatch("INTERACTION_CREATE", self.to_payload())
        state.changed()
        if wait:
            await self.wait_ack()
        return self

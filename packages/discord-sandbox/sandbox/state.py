"""Everything the sandbox server knows, and a change signal tests wait on (``wait_for``).

The objects themselves live by resource: :mod:`sandbox.members` (users, roles, members),
:mod:`sandbox.guilds`, :mod:`sandbox.channels`, :mod:`sandbox.messages`,
:mod:`sandbox.scheduled_events`; their JSON in :mod:`sandbox.shapes`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sandbox import shapes
from sandbox.channels import DM, Channel
from sandbox.guilds import Guild
from sandbox.members import Role, User
from sandbox.messages import Message
from sandbox.snowflake import SnowflakeGenerator

if TYPE_CHECKING:
    from sandbox.control.interaction import Interaction

GUILDS_INTENT = 0


class SandboxState:
    """The world: users, guilds, channels, messages, commands and interactions."""

    def __init__(self, bot_name: str = "SandboxBot") -> None:
        self.ids = SnowflakeGenerator()
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.dm_channels: dict[int, Channel] = {}  # recipient user id -> DM channel
        self.owner = self.create_user("sandbox-owner", "Sandbox Owner")
        self.bot_user = self.create_user(bot_name, None, bot=True)
        self.application_id = self.bot_user.id
        # Application commands: guild id (None for global) -> command id -> definition.
        self.commands: dict[int | None, dict[int, dict[str, Any]]] = {}
        self.interactions: dict[int, Interaction] = {}
        self.interactions_by_token: dict[str, Interaction] = {}
        self.version = 0
        self._event: asyncio.Event | None = None
        # Set by the server: send a gateway dispatch to the bot (event name, payload).
        self.dispatch: Callable[[str, dict[str, Any]], None] = lambda _t, _d: None
        self.intents = 0  # what the connected bot asked for

    # --- users ----------------------------------------------------------------------------
    def create_user(
        self,
        username: str,
        global_name: str | None = None,
        *,
        bot: bool = False,
        dms_open: bool = True,
    ) -> User:
        user = User(self.ids.next(), username, global_name, bot, dms_open)
        self.users[user.id] = user
        return user

    def user_by_name(self, username: str) -> User | None:
        return next((u for u in self.users.values() if u.username == username), None)

    # --- guilds ---------------------------------------------------------------------------
    def create_guild(self, name: str, *, owner: User | None = None) -> Guild:
        guild = Guild(self, self.ids.next(), name, (owner or self.owner).id)
        self.guilds[guild.id] = guild
        guild.add_user(self.owner if owner is None else owner)
        bot_role = Role(self.ids.next(), guild, self.bot_user.username, 0, 1)
        guild.roles[bot_role.id] = bot_role
        guild.add_user(self.bot_user, roles=[bot_role])
        self.dispatch("GUILD_CREATE", shapes.guild_create(guild))
        self.changed()
        return guild

    def dm_channel_for(self, user: User) -> Channel:
        channel = self.dm_channels.get(user.id)
        if channel is None:
            channel = Channel(self, self.ids.next(), DM, None)
            channel.recipients = [user]
            self.channels[channel.id] = channel
            self.dm_channels[user.id] = channel
        return channel

    # --- events ---------------------------------------------------------------------------
    def changed(self) -> None:
        self.version += 1
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait_for(
        self, predicate: Callable[[], Any], *, timeout: float = 5.0, what: str = "condition"
    ) -> Any:
        """Wait until ``predicate()`` is truthy, re-checking on every state change."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"sandbox: timed out after {timeout:.1f}s waiting for {what}")
            if self._event is None:
                self._event = asyncio.Event()
            try:
                await asyncio.wait_for(self._event.wait(), remaining)
            except TimeoutError:
                continue

    def has_intent(self, bit: int) -> bool:
        return bool(self.intents & (1 << bit))

    def emit_guild(self, event: str, payload: dict[str, Any]) -> None:
        """GUILDS-intent events (channels, roles, threads)."""
        if self.has_intent(GUILDS_INTENT):
            self.dispatch(event, payload)

    def notify_channel_update(self, channel: Channel) -> None:
        if channel.guild is not None:
            event = "THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE"
            self.emit_guild(event, shapes.channel(channel))
        self.changed()

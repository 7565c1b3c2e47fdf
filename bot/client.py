"""The Bot subclass: start-up in ``setup_hook``, clean shutdown, minimal intents."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import discord
import yarl
from discord.ext import commands

from bot.delivery.bucket import TokenBucket
from bot.delivery.sender import OutboxSender, SenderConfig
from bot.delivery.transport import DiscordTransport
from bot.features import EXTENSIONS, FEATURES
from bot.heartbeat import HeartbeatFile, is_heartbeat_ack
from bot.jobs import register_jobs
from bot.manifest import Feature
from bot.responding import respond
from bot.scheduling import Scheduler
from bot.services import Services
from bot.tree import AppCommandTree

log = logging.getLogger(__name__)

# Commands learn names before they run (the tree's before_command); other interactions here.
TREE_TYPES = (discord.InteractionType.application_command,)


FORM_EXPIRED = (
    "That form was open while I restarted, so I could not read it and nothing was changed. "
    "Please open it again."
)


def configure_endpoints(api_base_url: str, gateway_url: str) -> None:
    """Point discord.py at Discord, the sandbox server or a proxy (ARCHITECTURE rule 12)."""
    discord.http.Route.BASE = api_base_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def minimal_intents() -> discord.Intents:
    """No privileged intents: the bot learns about members from interactions."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class SigBot(commands.Bot):
    def __init__(
        self,
        *,
        services: Services,
        scheduler: Scheduler,
        dev_guild_id: int | None = None,
        features: Sequence[Feature] = FEATURES,
        extensions: Sequence[str] = EXTENSIONS,
        delivery_rate: float = 20.0,
        dm_open_rate: float = 2.0,
        sender_config: SenderConfig | None = None,
        heartbeat: HeartbeatFile | None = None,
    ) -> None:
        # The bot never joins voice: skip discord.py's warnings about voice libraries.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=minimal_intents(),
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=AppCommandTree,
            max_messages=None,
            # Raw gateway messages reach on_socket_raw_receive: how heartbeat ACKs are seen.
            enable_debug_events=heartbeat is not None,
        )
        self.services = services
        self.scheduler = scheduler
        self.dev_guild_id = dev_guild_id
        self.features = tuple(features)  # /help reads the moderators' lines from them
        self.extension_names = tuple(extensions)
        self.setup_runs = 0  # tests check start-up work never repeats on reconnect
        self.delivery_rate = delivery_rate
        self.dm_open_rate = dm_open_rate
        self.sender_config = sender_config
        self.sender: OutboxSender | None = None
        self.heartbeat = heartbeat
        self._shutdown: asyncio.Task[None] | None = None
        assert isinstance(self.tree, AppCommandTree)
        self.tree.before_command = self.remember_names

    async def setup_hook(self) -> None:
        self.setup_runs += 1
        await self.services.db.migrate()
        for name in self.extension_names:
            await self.load_extension(name)
        register_jobs(self.scheduler, self.services)
        await self.scheduler.start()
        await self.services.find.rebuild_all()
        await self.start_delivery()
        if self.dev_guild_id is not None:
            await self.sync_commands(self.dev_guild_id)

    async def start_delivery(self) -> None:
        """The outbox sender, with its own rate-aware transport (same token and endpoint)."""
        assert self.http.token is not None, "setup_hook runs after login"
        transport = DiscordTransport(
            api_base_url=discord.http.Route.BASE,
            token=self.http.token,
            bucket=TokenBucket(self.delivery_rate),
            dm_open_bucket=TokenBucket(self.dm_open_rate),
        )
        self.sender = OutboxSender(
            self.services.db,
            self.services.clock,
            transport,
            self.services.outcomes,
            self.sender_config,
        )
        await self.sender.start()

    async def on_socket_raw_receive(self, message: str | bytes) -> None:
        if self.heartbeat is not None and is_heartbeat_ack(message):
            self.heartbeat.record()

    async def on_guild_available(self, guild: discord.Guild) -> None:
        self.services.directory.remember_guild(guild.id, guild.name)

    async def on_interaction(self, interaction: discord.Interaction[SigBot]) -> None:
        """Learn names from interactions (no GUILD_MEMBERS intent); and a form submitted after
        a restart has no handler left: say so instead of timing out."""
        if interaction.type not in TREE_TYPES:
            await self.remember_names(interaction)
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, object] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if self._knows_modal(custom_id) or interaction.response.is_done():
            return
        await respond(interaction, FORM_EXPIRED)

    async def remember_names(self, interaction: discord.Interaction[Any]) -> None:
        """The names of the member acting and of any member the interaction names (a member
        picked in a menu or a member: option may never interact themselves)."""
        if interaction.guild is None:
            return
        user = interaction.user
        await self._remember(interaction.guild, user.id, user.display_name)
        for user_id, name in resolved_names(dict(interaction.data or {})).items():
            await self._remember(interaction.guild, user_id, name)

    async def _remember(self, guild: discord.Guild, user_id: int, name: str) -> None:
        directory = self.services.directory
        directory.remember_guild(guild.id, guild.name)
        try:
            await directory.remember_name(guild.id, user_id, name)
        except Exception:  # a name is a nicety: never fail the member's action for it
            log.exception("Could not remember the display name of %s", user_id)

    def _knows_modal(self, custom_id: str) -> bool:
        # discord.py keeps open modals in its view store; if that ever changes, assume handled.
        store = getattr(self._connection, "_view_store", None)
        modals = getattr(store, "_modals", None)
        return not isinstance(modals, dict) or custom_id in modals

    async def sync_commands(self, guild_id: int | None = None) -> int:
        """Publish slash commands globally, or to one server (instant, for development)."""
        guild = discord.Object(id=guild_id) if guild_id is not None else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        log.info("Published %d commands %s", len(synced), f"to {guild_id}" if guild else "globally")
        return len(synced)

    async def close(self) -> None:
        """Scheduler first (no new work), the sender (≤ 10 s), then Discord, then the database.

        One shutdown however many callers ask (a signal handler, ``async with``, discord.py
        itself): each awaits the same task, so none returns while the database is still
        closing and ``asyncio.run`` never cancels a connection half-closed.
        """
        if self._shutdown is None:
            self._shutdown = asyncio.create_task(self._shut_down(), name="sigbot-shutdown")
        await asyncio.shield(self._shutdown)

    async def _shut_down(self) -> None:
        self.scheduler.shutdown()
        if self.sender is not None:
            await self.sender.stop()
        if self.heartbeat is not None:
            self.heartbeat.remove()  # no file: `check` reports the bot as not running
        try:
            await super().close()
        finally:
            await self.services.db.close()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # discord.py's own __aexit__ awaits only its part of close(), not the database's.
        await self.close()


def resolved_names(data: dict[str, Any]) -> dict[int, str]:
    """The display names of the members an interaction names (resolved users and members):
    the server nickname, else the global display name, else the username; bots left out."""
    resolved = data.get("resolved") or {}
    users: dict[str, Any] = resolved.get("users") or {}
    members: dict[str, Any] = resolved.get("members") or {}
    names = {}
    for user_id, user in users.items():
        nick = (members.get(user_id) or {}).get("nick")
        name = nick or user.get("global_name") or user.get("username")
        if name and not user.get("bot"):
            names[int(user_id)] = str(name)
    return names

"""Running a discord.py client against a sandbox server (no pytest needed: the CLI uses it)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any, TypeVar

import discord
import discord.gateway
import discord.http
import yarl

from sandbox.context import ConformanceChecker
from sandbox.server import SandboxServer

ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.contextmanager
def discord_endpoints(server: SandboxServer) -> Iterator[None]:
    """Point discord.py's REST base and gateway URL at the sandbox, restoring them after."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = server.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(server.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


@contextlib.asynccontextmanager
async def run_client(
    server: SandboxServer, client: ClientT, *, timeout: float = 30.0, fast: bool = True
) -> AsyncIterator[ClientT]:
    """Log ``client`` in against ``server``, wait until it is ready, close it afterwards.

    ``timeout`` only bounds a start that never finishes (a few seconds on a quiet machine, far
    more on a busy shared one); tests never measure it.

    With ``fast`` (default) two discord.py waits meant for the real Discord are shortened on
    this client instance: the 2 s ``guild_ready_timeout`` after the last GUILD_CREATE and the
    5 s sleep before re-IDENTIFYing after a non-resumable invalid session.
    """
    if fast:
        make_fast(client)
    with discord_endpoints(server):
        task = asyncio.create_task(client.start(server.token), name="sandbox-client")
        try:
            waiter = asyncio.create_task(client.wait_until_ready())
            done, _ = await asyncio.wait(
                {task, waiter}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if waiter not in done:
                waiter.cancel()
                if task in done:
                    task.result()  # re-raise the client's start-up error
                raise TimeoutError(f"sandbox: client not ready within {timeout}s")
            await server.wait_ready(timeout)
            yield client
        finally:
            await client.close()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, timeout)


def make_fast(client: discord.Client) -> None:
    """Shorten discord.py's start-up and re-identify waits on this client (tests only)."""

    async def no_wait(shard_id: int | None, *, initial: bool = False) -> None:
        return None

    client._connection.guild_ready_timeout = 0.05
    client.before_identify_hook = no_wait  # type: ignore[method-assign]


def load_conformance() -> ConformanceChecker | None:
    """The reference validator when ../shared is present (and SANDBOX_CONFORMANCE != "0")."""
    if os.environ.get("SANDBOX_CONFORMANCE") == "0":
        return None
    try:
        from sandbox.conformance import Conformance, ConformanceUnavailable
    except ImportError:
        return None
    try:
        checker: ConformanceChecker = Conformance.load()
    except ConformanceUnavailable:
        return None
    return checker


# Deliberate divergences from the references, allowed everywhere: Discord's real nested 50035
# error codes are strings (the spec types them as integers), and discord.py needs RESUMED's
# ``d`` to be an object (the schema wants it absent).
KNOWN_DIVERGENCES = ("_errors[0].code", "t=RESUMED")


def conformance_violations(server: SandboxServer) -> list[str]:
    """Violations of Discord's references seen by ``server``, less the known divergences."""
    return [v for v in server.violations if not any(k in v for k in KNOWN_DIVERGENCES)]


def new_server(conformance: ConformanceChecker | None = None, **kwargs: Any) -> SandboxServer:
    return SandboxServer(conformance, **kwargs)

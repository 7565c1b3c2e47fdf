"""Reusable test helpers: point discord.py at a sandbox server and run a client against it.

In a conftest::

    from sandbox.testing import sandbox_server  # noqa: F401  (the fixture)

    async def test_x(sandbox_server):
        guild = sandbox_server.create_guild("Guild")
        async with run_client(sandbox_server, MyClient()) as client:
            ...
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from sandbox.harness import (
    KNOWN_DIVERGENCES,
    conformance_violations,
    discord_endpoints,
    load_conformance,
    make_fast,
    new_server,
    run_client,
)
from sandbox.server import SandboxServer

__all__ = [
    "KNOWN_DIVERGENCES",
    "conformance_violations",
    "discord_endpoints",
    "load_conformance",
    "make_fast",
    "new_server",
    "run_client",
    "sandbox_server",
]


@pytest.fixture
async def sandbox_server() -> AsyncIterator[SandboxServer]:
    """A started SandboxServer with the reference validator attached when available
    (violations collect in ``server.violations``; not asserted here). Fails the test if the
    bot called a route the sandbox does not implement."""
    server = SandboxServer(load_conformance())
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
    assert not server.unknown_routes, f"bot called unknown routes: {server.unknown_routes}"

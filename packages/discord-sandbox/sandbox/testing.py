"""Reusable test helpers: point discord.py at a sandbox server and run a client against it.

In a conftest::

    from sandbox.testing import sandbox_server  # noqa: F401  (the fixture)

    async def test_x(sandbox_server):
        guild = sandbox_server.create_guild("Guild")
        async with run_client(sandbox_server, MyClient()) as client:
            ...
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import NoReturn

import pytest

from sandbox.context import ConformanceChecker
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
    "conformance_status",
    "conformance_violations",
    "discord_endpoints",
    "load_conformance",
    "make_fast",
    "new_server",
    "require_conformance_in_ci",
    "run_client",
    "running_in_ci",
    "sandbox_server",
    "without_conformance",
]


def conformance_status() -> tuple[ConformanceChecker | None, str]:
    """The reference validator, or None and the reason it is not there."""
    if os.environ.get("SANDBOX_CONFORMANCE") == "0":
        return None, "SANDBOX_CONFORMANCE=0 switched the checks against Discord's references off"
    try:
        from sandbox.conformance import Conformance, ConformanceUnavailable
    except ImportError as exc:
        return None, f"the conformance validators are not installed ({exc})"
    try:
        return Conformance.load(), ""
    except ConformanceUnavailable as exc:
        return None, f"Discord's references are unavailable: {exc}"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1")


def require_conformance_in_ci(checker: ConformanceChecker | None, reason: str) -> None:
    """In CI the references are part of the contract: their absence fails the test."""
    if checker is None and running_in_ci():
        pytest.fail(f"conformance is required in CI (CI=true): {reason}", pytrace=False)


def without_conformance(reason: str) -> NoReturn:
    """The visible outcome of a test whose conformance assertions could not run."""
    if running_in_ci():
        pytest.fail(f"conformance is required in CI (CI=true): {reason}", pytrace=False)
    pytest.skip(f"conformance not checked: {reason}")


@pytest.fixture
async def sandbox_server() -> AsyncIterator[SandboxServer]:
    """A started SandboxServer with the reference validator attached when available
    (violations collect in ``server.violations``; not asserted here). Fails the test if the
    bot called a route the sandbox does not implement, or if CI lacks the references."""
    checker, reason = conformance_status()
    require_conformance_in_ci(checker, reason)
    server = SandboxServer(checker)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
    assert not server.unknown_routes, f"bot called unknown routes: {server.unknown_routes}"

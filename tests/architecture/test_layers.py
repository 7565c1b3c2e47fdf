"""House rules that code review alone would miss."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import discord
import pytest
from discord import app_commands

from bot.client import EXTENSIONS, SigBot
from bot.scheduling import Scheduler
from bot.services import Services
from tests.architecture.support import imported_modules

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"^[-_\w]{1,32}$")


def offending_imports(layer: str, forbidden: Callable[[str], bool]) -> list[str]:
    """``<file> imports <module>`` for each import under ``layer`` that ``forbidden`` names."""
    return [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / layer).rglob("*.py"))
        for module in imported_modules(path)
        if forbidden(module)
    ]


@pytest.mark.parametrize("layer", ["bot/domain", "bot/services"])
def test_domain_and_services_never_import_discord(layer: str) -> None:
    offenders = offending_imports(
        layer, lambda module: module == "discord" or module.startswith("discord.")
    )
    assert offenders == []


def test_domain_is_pure() -> None:
    forbidden = ("discord", "sqlalchemy", "aiosqlite", "bot.storage", "bot.services", "aiohttp")
    offenders = offending_imports("bot/domain", lambda module: module.startswith(forbidden))
    assert offenders == []


@pytest.mark.parametrize("layer", ["bot/domain/rounds", "bot/services/rounds"])
def test_rounds_never_import_icebreakers(layer: str) -> None:
    """What rounds share with icebreakers lives in neutral ``schedules`` modules."""
    offenders = offending_imports(layer, lambda module: "icebreakers" in module.split("."))
    assert offenders == []


def test_cogs_hold_no_sql() -> None:
    offenders = offending_imports(
        "cogs", lambda module: module.startswith(("sqlalchemy", "bot.storage"))
    )
    assert offenders == []


@pytest.fixture
async def loaded_bot(services: Services) -> AsyncIterator[SigBot]:
    bot = SigBot(services=services, scheduler=Scheduler())
    for name in EXTENSIONS:
        await bot.load_extension(name)
    yield bot
    for name in EXTENSIONS:
        await bot.unload_extension(name)


async def test_every_extension_loads(loaded_bot: SigBot) -> None:
    assert set(loaded_bot.extensions) == set(EXTENSIONS)
    assert loaded_bot.tree.get_commands()


def walk_parameters(
    tree: app_commands.CommandTree[SigBot],
) -> Iterator[tuple[str, app_commands.Parameter]]:
    for command in tree.walk_commands():
        if isinstance(command, app_commands.Command):
            for parameter in command.parameters:
                yield command.qualified_name, parameter


async def test_command_names_are_unique_and_within_discord_limits(loaded_bot: SigBot) -> None:
    tree = loaded_bot.tree
    top_level = [
        (c.name, getattr(c, "type", discord.AppCommandType.chat_input)) for c in tree.get_commands()
    ]
    assert len(top_level) == len(set(top_level)), "duplicate top-level command"
    assert len(tree.get_commands(type=discord.AppCommandType.chat_input)) <= 100
    for command in tree.walk_commands():
        assert NAME.match(command.name), command.name
        assert command.name == command.name.lower(), command.name
        assert 1 <= len(command.description) <= 100, command.qualified_name
        if isinstance(command, app_commands.Group):
            names = [c.name for c in command.commands]
            assert len(names) == len(set(names)), command.qualified_name
            assert len(names) <= 25, command.qualified_name
        else:
            assert len(command.parameters) <= 25, command.qualified_name


async def test_options_are_within_discord_limits(loaded_bot: SigBot) -> None:
    for command, parameter in walk_parameters(loaded_bot.tree):
        where = f"/{command} {parameter.name}"
        assert NAME.match(parameter.name), where
        assert 1 <= len(parameter.description) <= 100, where
        assert len(parameter.choices) <= 25, where
        if parameter.type is discord.AppCommandOptionType.string and not parameter.choices:
            assert parameter.max_value is not None, f"{where} must declare max_length"


def test_slash_commands_answer_through_respond() -> None:
    """Auto-defer may answer first; only respond()/respond_with_modal() handle that race."""
    command_modules = [
        *ROOT.glob("cogs/*/_cog.py"),
        *ROOT.glob("cogs/*/_admin.py"),
        ROOT / "cogs/help.py",
    ]
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in command_modules
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "response.send_message(" in line or "response.send_modal(" in line
    ]
    assert command_modules
    assert offenders == []

"""The seams every feature plugs into: the member-data contract, the layout, /setup groups."""

from __future__ import annotations

import ast
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
from discord import app_commands
from sqlalchemy import inspect

from bot.client import EXTENSIONS, SigBot
from bot.domain.settings import GuildDefaults
from bot.scheduling import Scheduler
from bot.services import Services
from bot.storage.database import Database
from bot.storage.member_data import MemberData, descriptions_of, holds_member_id
from tests.architecture.support import imported_modules

ROOT = Path(__file__).resolve().parents[2]
MODULE_LINE_LIMIT = 400


async def schema_columns(database: Database) -> dict[str, list[str]]:
    """Every table of the migrated schema and its columns (Alembic's own table aside)."""

    def read(sync_conn: object) -> dict[str, list[str]]:
        inspector = inspect(sync_conn)
        return {
            table: [column["name"] for column in inspector.get_columns(table)]
            for table in inspector.get_table_names()
            if table != "alembic_version"
        }

    async with database.engine.connect() as conn:
        return await conn.run_sync(read)


async def declared_member_columns(database: Database) -> dict[str, set[str]]:
    declared: dict[str, set[str]] = {}
    async with database.read() as uow:
        for repository in uow.member_data:
            assert isinstance(repository, MemberData), type(repository).__name__
            for table, columns in repository.member_columns.items():
                assert table not in declared, f"{table} is declared by two repositories"
                declared[table] = set(columns)
    return declared


def test_member_id_rule() -> None:
    held = ["user_id", "created_by", "decided_by", "updated_by", "subject_user_id"]
    held += ["requester_id", "target_id", "mentor_id", "mentee_id", "recipient"]
    assert all(holds_member_id(name) for name in held)
    not_held = ["guild_id", "channel_id", "tag_id", "id", "category_id", "thread_id", "key"]
    assert not any(holds_member_id(name) for name in not_held)


async def test_every_column_that_can_hold_a_member_id_is_covered(database: Database) -> None:
    """A new table that stores a member's id and forgets export/delete fails here."""
    schema = await schema_columns(database)
    declared = await declared_member_columns(database)
    uncovered = [
        f"{table}.{column}"
        for table, columns in schema.items()
        for column in columns
        if holds_member_id(column) and column not in declared.get(table, set())
    ]
    assert uncovered == [], "declare these in a repository's member_columns (member_data.py)"
    stale = [
        f"{table}.{column}"
        for table, columns in declared.items()
        for column in columns
        if column not in schema.get(table, [])
    ]
    assert stale == [], "declared member columns that the schema does not have"


async def test_every_member_table_describes_itself(database: Database) -> None:
    """/privacy show and the export's readme say in plain words what each table holds."""
    undescribed = []
    async with database.read() as uow:
        for repository in uow.member_data:
            descriptions = descriptions_of(repository)
            undescribed += [
                f"{type(repository).__name__}: {table}"
                for table in repository.member_columns
                if not descriptions.get(table, "").strip()
            ]
    assert undescribed == [], "describe these in the repository's table_descriptions"


async def test_every_table_is_checked(database: Database) -> None:
    """Guards the scan itself: it sees the tables that hold member data today."""
    schema = await schema_columns(database)
    assert {"members", "member_tags", "member_profiles", "tag_suggestions", "outbox"} <= set(schema)


def _python_modules(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def test_no_module_is_too_big() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines())
        for path in _python_modules("bot", "cogs")
        if "migrations" not in path.parts
    }
    assert {name: n for name, n in sizes.items() if n > MODULE_LINE_LIMIT} == {}


def test_services_never_touch_sql() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _python_modules("bot/services")
        for module in imported_modules(path)
        if module.startswith("sqlalchemy")
    ]
    assert offenders == []


def test_services_use_the_unit_of_work() -> None:
    """Services ask the unit of work for repositories instead of building them."""
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _python_modules("bot/services")
        for module in imported_modules(path)
        if module.startswith("bot.storage.repositories") and not _imports_only_records(path)
    ]
    assert offenders == []


def _imports_only_records(path: Path) -> bool:
    """Record types (``MemberRecord``) may be imported for type hints; classes ending in
    ``Repository`` may not, except as types for helper signatures."""
    tree = ast.parse(path.read_text())
    names = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot.storage.repo")
        for alias in node.names
    ]
    constructed = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    return not (set(names) & constructed)


def test_cogs_import_no_other_cogs_private_modules() -> None:
    """Features plug into /setup through ``cogs.setup.groups``; nobody reaches into ``_x``."""
    offenders = []
    for path in _python_modules("cogs"):
        package = path.relative_to(ROOT).parts[1]
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[0] != "cogs" or len(parts) < 2 or parts[1] == package.removesuffix(".py"):
                continue
            if any(part.startswith("_") for part in parts[2:]):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_setup_imports_no_feature() -> None:
    shared = ("cogs.setup", "cogs.rendering")  # cogs.rendering is every cog's, no feature
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _python_modules("cogs/setup")
        for module in imported_modules(path)
        if module.startswith("cogs.") and not module.startswith(shared)
    ]
    assert offenders == []


@pytest.fixture
async def loaded_bot(services: Services) -> AsyncIterator[SigBot]:
    bot = SigBot(services=services, scheduler=Scheduler())
    for name in EXTENSIONS:
        await bot.load_extension(name)
    yield bot
    for name in reversed(EXTENSIONS):
        await bot.unload_extension(name)


def _setup(bot: SigBot) -> app_commands.Group:
    group = bot.tree.get_command("setup")
    assert isinstance(group, app_commands.Group)
    return group


async def test_feature_groups_register_under_setup(loaded_bot: SigBot) -> None:
    setup = _setup(loaded_bot)
    tags = setup.get_command("tags")
    assert isinstance(tags, app_commands.Group)
    assert tags.root_parent is setup  # inherits Manage Server and guild-only from /setup
    await loaded_bot.unload_extension("cogs.tags")
    assert setup.get_command("tags") is None
    await loaded_bot.load_extension("cogs.tags")
    assert setup.get_command("tags") is not None


async def test_setup_defaults_options_come_from_the_declarations(loaded_bot: SigBot) -> None:
    command = _setup(loaded_bot).get_command("defaults")
    assert isinstance(command, app_commands.Command)
    options = {p.name: p for p in command.parameters}
    settings = GuildDefaults.settings()
    assert list(options) == [s.option for s in settings]
    for setting in settings:
        option = options[setting.option]
        assert not option.required
        assert option.description == setting.help
        if setting.limit is not None:
            assert option.type is discord.AppCommandOptionType.integer
            assert (option.min_value, option.max_value) == (setting.limit.low, setting.limit.high)
        elif setting.kind is bool:
            assert option.type is discord.AppCommandOptionType.boolean
        else:
            assert option.type is discord.AppCommandOptionType.string
            assert option.max_value == setting.max_length
    assert options["timezone"].autocomplete

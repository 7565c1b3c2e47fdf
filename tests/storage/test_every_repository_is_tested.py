"""Every repository module has storage tests: a module under ``bot/storage/repositories`` counts
as tested when a test module here imports from it, or reaches a repository it defines through
the unit of work (``uow.events``). A new repository without tests fails here."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import cast

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage import repositories
from bot.storage.unit_of_work import UnitOfWork
from tests.architecture.support import imported_modules

PACKAGE = repositories.__name__
HERE = Path(__file__).resolve().parent


def repository_modules() -> list[str]:
    folder = Path(repositories.__file__).parent
    return sorted(path.stem for path in folder.glob("*.py") if path.stem != "__init__")


def unit_of_work_attributes(module_name: str) -> set[str]:
    """The ``uow`` attributes holding a repository defined in ``module`` (not a subclass of
    one: a mixin such as the round groups counts only when its own module is imported)."""
    # Repositories only keep the connection, so no database is needed to see their types.
    uow = UnitOfWork(cast(AsyncConnection, None))
    return {name for name, value in vars(uow).items() if type(value).__module__ == module_name}


def uow_attributes_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "uow"
    }


def test_every_repository_module_is_exercised_by_a_storage_test() -> None:
    tests = [path for path in sorted(HERE.glob("test_*.py")) if path.name != Path(__file__).name]
    imported = {module for path in tests for module in imported_modules(path)}
    used = set().union(*(uow_attributes_used(path) for path in tests))
    modules = repository_modules()
    assert len(modules) >= 18  # the scan found the package
    untested = [
        module
        for module in modules
        if f"{PACKAGE}.{module}" not in imported
        and not unit_of_work_attributes(f"{PACKAGE}.{module}") & used
    ]
    assert untested == [], f"no test in tests/storage exercises {untested}"

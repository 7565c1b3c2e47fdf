"""One feature, one place: everything a feature adds is in its manifest (``bot.features``).

Each test fails when a feature adds a table, repository, service, job or cog without
declaring it in exactly one manifest, so the central places that read the manifests (the
unit of work, the services container, the job registry, the extension list) never miss it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import typing
from collections import Counter
from pathlib import Path

from sqlalchemy import Table

from bot.features import EXTENSIONS, FEATURES, JOB_IDS
from bot.jobs import register_jobs
from bot.scheduling import Scheduler
from bot.services import Services
from bot.storage import schema
from bot.storage.unit_of_work import UnitOfWork, declared_repositories

ROOT = Path(__file__).resolve().parents[2]


def test_feature_names_are_unique() -> None:
    assert [name for name, n in Counter(f.name for f in FEATURES).items() if n > 1] == []


def test_every_table_is_in_exactly_one_manifest() -> None:
    claimed = Counter(
        table.name
        for feature in FEATURES
        for module in feature.schema
        for table in vars(module).values()
        if isinstance(table, Table)
    )
    assert set(claimed) == set(schema.metadata.tables)
    assert [name for name, n in claimed.items() if n > 1] == []


def test_every_repository_is_in_exactly_one_manifest() -> None:
    declared = Counter(
        repository for feature in FEATURES for repository in feature.repositories.values()
    )
    defined = {
        cls
        for path in sorted((ROOT / "bot/storage/repositories").glob("*.py"))
        for _, cls in inspect.getmembers(
            importlib.import_module(f"bot.storage.repositories.{path.stem}"), inspect.isclass
        )
        if cls.__name__.endswith("Repository") and cls.__module__.endswith(path.stem)
    }
    assert defined == set(declared)
    assert [cls for cls, n in declared.items() if n > 1] == []


def test_the_unit_of_work_types_only_declared_repositories() -> None:
    hints = typing.get_type_hints(UnitOfWork)
    assert set(hints) <= set(declared_repositories())
    assert all(declared_repositories()[name] is hint for name, hint in hints.items())


async def test_every_service_is_built_by_exactly_one_manifest(services: Services) -> None:
    hints = {name for name in typing.get_type_hints(Services) if name not in {"db", "clock"}}
    built = set(vars(services)) - {"db", "clock", "outcomes", "_built"}
    assert hints - {"outcomes"} <= built
    for name in built:
        assert services.get(type(getattr(services, name))) is getattr(services, name)


def test_every_cog_extension_is_in_exactly_one_manifest() -> None:
    """A cogs module with an extension ``setup`` function is loaded only if a manifest lists it."""
    with_setup = set()
    for path in sorted((ROOT / "cogs").rglob("*.py")):
        tree = ast.parse(path.read_text())
        if any(isinstance(n, ast.AsyncFunctionDef) and n.name == "setup" for n in tree.body):
            parts = path.relative_to(ROOT).with_suffix("").parts
            with_setup.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    assert with_setup == set(EXTENSIONS)
    assert [name for name, n in Counter(EXTENSIONS).items() if n > 1] == []


async def test_the_scheduler_holds_exactly_the_declared_jobs(services: Services) -> None:
    scheduler = Scheduler()
    register_jobs(scheduler, services)
    await scheduler.start()
    try:
        assert sorted(scheduler.job_ids()) == sorted(JOB_IDS)
    finally:
        scheduler.shutdown()

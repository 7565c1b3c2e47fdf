"""How the tests share code: fixtures in ``conftest.py``, plain helpers in a suite's ``support``.

A test module that imports another one runs that module's autouse fixtures and re-collects its
fixtures under a second name, and moving or deleting a test then breaks an unrelated one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"


def is_test_module(dotted: str) -> bool:
    """``tests.e2e.test_tags``, ``test_tags`` (relative) or a conftest: not to be imported."""
    last = dotted.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def imported_names(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, ``from x import y`` also as ``x.y`` (y may be a module)."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def test_no_module_under_tests_imports_a_test_module_or_a_conftest() -> None:
    offenders = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in TESTS.rglob("*.py")
        for name in imported_names(path)
        if is_test_module(name)
    )
    assert offenders == [], "move shared fixtures to conftest.py and helpers to support"


def test_the_check_sees_every_way_of_importing_a_test_module(tmp_path: Path) -> None:
    module = tmp_path / "test_example.py"
    module.write_text(
        "from tests.e2e.test_tags import answer\n"
        "from .test_rounds import clocked\n"
        "from tests.e2e import test_privacy\n"
        "import tests.services.test_reports\n"
        "from tests.e2e.conftest import BotRunner\n"
        "from tests.e2e.support import answer as fine\n"
    )
    flagged = sorted({name for name in imported_names(module) if is_test_module(name)})
    assert flagged == [
        ".test_rounds",
        "tests.e2e.conftest",
        "tests.e2e.test_privacy",
        "tests.e2e.test_tags",
        "tests.services.test_reports",
    ]

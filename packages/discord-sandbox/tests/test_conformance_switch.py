"""Conformance may not switch itself off quietly: skipped visibly per test, failed in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # the folder holding the sandbox package

INNER_CONFTEST = "from sandbox.testing import sandbox_server  # noqa: F401\n"
INNER_TEST = """
from sandbox.testing import without_conformance


async def test_flow(sandbox_server):
    sandbox_server.create_guild("G")
    if sandbox_server.conformance is None:
        without_conformance("no references")
"""


def run_inner(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text(INNER_CONFTEST)
    (tmp_path / "test_inner.py").write_text(INNER_TEST)
    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "SANDBOX_CONFORMANCE")}
    environ.update(env, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "-o",
            "asyncio_mode=auto",
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "switch",
    [{"SIGBOT_SHARED_DIR": "/nonexistent/shared"}, {"SANDBOX_CONFORMANCE": "0"}],
    ids=["references missing", "switched off"],
)
def test_without_references_a_local_run_skips_with_the_reason(
    tmp_path: Path, switch: dict[str, str]
) -> None:
    result = run_inner(tmp_path, **switch)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "conformance not checked" in result.stdout


@pytest.mark.parametrize(
    "switch",
    [{"SIGBOT_SHARED_DIR": "/nonexistent/shared"}, {"SANDBOX_CONFORMANCE": "0"}],
    ids=["references missing", "switched off"],
)
def test_without_references_ci_fails(tmp_path: Path, switch: dict[str, str]) -> None:
    result = run_inner(tmp_path, CI="true", **switch)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "conformance is required in CI" in result.stdout

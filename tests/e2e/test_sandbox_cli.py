"""`python -m bot sandbox --script`: the demo script passes, and a failing step fails the run."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


async def run_sandbox(script: Path, tmp_path: Path, *more: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "sandbox",
        "--script",
        str(script),
        *more,
        cwd=tmp_path,  # no .env, a scratch working directory
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def test_demo_script_passes(tmp_path: Path) -> None:
    code, out, err = await run_sandbox(
        ROOT / "packages" / "discord-sandbox" / "sandbox" / "demo_script.txt", tmp_path
    )
    assert code == 0, out + err
    assert "every step passed" in out
    assert "Settings for Ortho SIG" in out


async def test_a_failing_step_fails_the_run(tmp_path: Path) -> None:
    script = tmp_path / "broken.txt"
    script.write_text("/help\nexpect a sentence the bot never says\n/help\n")
    code, out, err = await run_sandbox(script, tmp_path)
    assert code == 1
    assert "broken.txt:2" in err
    assert out.count("> /help") == 1  # stopped at the failing step


async def test_a_missing_script_is_one_line(tmp_path: Path) -> None:
    code, _, err = await run_sandbox(tmp_path / "missing.txt", tmp_path)
    assert code == 1
    assert err.strip() == f"sandbox: cannot read the script {tmp_path / 'missing.txt'}: " + (
        "No such file or directory"
    )


async def test_a_kept_database_finds_its_community_again(tmp_path: Path) -> None:
    """--db FILE: the same server and members on the next run, so suggestions carry over."""
    suggest, review = tmp_path / "suggest.txt", tmp_path / "review.txt"
    suggest.write_text("as sam\n/tags suggest name:Telehealth\nexpect passed\n")
    review.write_text("/setup tags review\nexpect Telehealth\nclick Approve\nexpect Approved\n")
    database = str(tmp_path / "demo.sqlite3")
    for script in (suggest, review):
        code, out, err = await run_sandbox(script, tmp_path, "--db", database)
        assert code == 0, out + err

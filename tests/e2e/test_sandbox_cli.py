"""`python -m bot sandbox --script`: the demo script passes, and a failing step fails the run."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


async def run_sandbox(script: Path, tmp_path: Path) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "sandbox",
        "--script",
        str(script),
        cwd=tmp_path,  # no .env, a scratch working directory
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def test_demo_script_passes(tmp_path: Path) -> None:
    code, out, err = await run_sandbox(ROOT / "sandbox" / "demo_script.txt", tmp_path)
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

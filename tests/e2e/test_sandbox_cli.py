"""`python -m bot sandbox --script`: the demo script passes, and a failing step fails the run."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


async def start_sandbox(
    tmp_path: Path, *args: str, stdin: int | None = None
) -> asyncio.subprocess.Process:
    """``python -m bot sandbox ARGS`` in a scratch directory (no .env), without a token."""
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "sandbox",
        *args,
        cwd=tmp_path,
        env=env | {"PYTHONUNBUFFERED": "1"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        stdin=stdin,
    )


async def run_sandbox(script: Path, tmp_path: Path, *more: str) -> tuple[int, str, str]:
    process = await start_sandbox(tmp_path, "--script", str(script), *more)
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


async def test_travel_runs_what_fell_due_and_dms_are_kept_with_the_database(
    tmp_path: Path,
) -> None:
    """travel 8d ends an unanswered introduction request; the next run on the same --db
    still shows both members' DMs (kept beside the database)."""
    ask, later = tmp_path / "ask.txt", tmp_path / "later.txt"
    ask.write_text(
        "as sam\n/intro request member:@priya\nwait\ntravel 8d\nexpect It is now\n"
        "inbox\nexpect didn't work out this time\n"
    )
    later.write_text(
        "as priya\ninbox\nexpect Someone would like to meet you\n"
        "as sam\ninbox\nexpect didn't work out this time\n"
    )
    database = tmp_path / "demo.sqlite3"
    for script in (ask, later):
        code, out, err = await run_sandbox(script, tmp_path, "--db", str(database))
        assert code == 0, out + err
    assert (tmp_path / "demo.sqlite3.dms.json").exists()


async def test_ctrl_c_leaves_the_interactive_driver_cleanly(tmp_path: Path) -> None:
    # stdin open and silent: the driver waits at its prompt
    process = await start_sandbox(tmp_path, stdin=asyncio.subprocess.PIPE)
    assert process.stdout is not None
    ready = await asyncio.wait_for(process.stdout.readline(), 120)
    assert b"Sandbox ready" in ready
    process.send_signal(signal.SIGINT)
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode() + stdout.decode()


async def test_travel_and_say_show_skip_if_quiet(tmp_path: Path) -> None:
    """Travel steps through each daily slot; a quiet day is skipped, a member's message lets
    the next prompt out."""
    script = tmp_path / "icebreakers.txt"
    script.write_text(
        '/setup icebreakers add-prompt text:"What got you into PT?"\n'
        '/setup icebreakers add-prompt text:"Best book this year?"\n'
        "/setup icebreakers schedule channel:#icebreakers cadence:daily time:09:00 "
        "timezone:UTC weekday:monday skip_if_quiet:yes\n"
        "travel 1d\nchannel #icebreakers\n"
        "travel 1d\nchannel #icebreakers\n"
        "as maria\nsay #icebreakers Running a 10k on Sunday!\n"
        "travel 1d\nchannel #icebreakers\n"
    )
    code, out, err = await run_sandbox(script, tmp_path)
    assert code == 0, out + err
    shown = out.split("> channel #icebreakers")[1:]
    assert [part.count("**Icebreaker**") for part in shown] == [1, 1, 2]
    assert "It is now" in out
    assert "missed" not in err  # no slot was jumped over

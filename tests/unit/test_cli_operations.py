"""Operator commands (issue #20, item 15): a missing PostgreSQL driver, a backup over an existing
file, and what `check` (the Docker health check) says about the token and the gateway heartbeat.

Run in-process as `python -m bot ...` would run them.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.heartbeat import STALE_AFTER_SECONDS, HeartbeatFile, heartbeat_status, is_heartbeat_ack

HEARTBEAT = Path("data/sigbot.sqlite3.heartbeat")  # beside the default database


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "DATABASE_URL", "DEV_GUILD_ID", "LOG_LEVEL", "HEARTBEAT_FILE"):
        monkeypatch.delenv(name, raising=False)


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert err
    assert "\n" not in err, err
    assert "Traceback" not in err
    return err


def migrated(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("command", ["check", "migrate"])
def test_postgresql_without_its_driver_says_how_to_install_it(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "asyncpg", None)  # as if installed without the extra
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://sigbot:hunter2@127.0.0.1/sigbot")
    assert main([command]) == 1
    err = one_line_error(capsys)
    assert "pip install 'sigbot[postgres]'" in err
    assert "hunter2" not in err


def test_backup_refuses_to_replace_an_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrated(capsys)
    earlier = tmp_path / "monday.sqlite3"
    earlier.write_bytes(b"last week's backup")
    assert main(["backup", str(earlier)]) == 1
    err = one_line_error(capsys)
    assert "already exists" in err
    assert "--force" in err
    assert earlier.read_bytes() == b"last week's backup"


def test_backup_with_force_replaces_an_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrated(capsys)
    earlier = tmp_path / "monday.sqlite3"
    earlier.write_bytes(b"last week's backup")
    assert main(["backup", "--force", str(earlier)]) == 0
    with sqlite3.connect(earlier) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_check_says_whether_the_token_is_present(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    migrated(capsys)
    assert main(["check"]) == 0
    assert "DISCORD_TOKEN missing" in capsys.readouterr().out
    monkeypatch.setenv("DISCORD_TOKEN", "a-token")
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "DISCORD_TOKEN present" in out
    assert "a-token" not in out


def test_check_without_a_heartbeat_reports_the_bot_not_running(
    capsys: pytest.CaptureFixture[str],
) -> None:
    migrated(capsys)
    assert main(["check"]) == 0
    assert "gateway heartbeat: none recorded" in capsys.readouterr().out


def test_check_reports_a_recent_heartbeat(capsys: pytest.CaptureFixture[str]) -> None:
    migrated(capsys)
    HeartbeatFile(HEARTBEAT).record()
    assert main(["check"]) == 0
    assert "(recent)" in capsys.readouterr().out


def test_check_fails_on_a_stale_heartbeat(capsys: pytest.CaptureFixture[str]) -> None:
    migrated(capsys)
    HeartbeatFile(HEARTBEAT).record(at=time.time() - 3600)
    assert main(["check"]) == 1
    assert "stale" in capsys.readouterr().out


def test_heartbeat_file_setting_moves_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    migrated(capsys)
    elsewhere = tmp_path / "run" / "beat"
    monkeypatch.setenv("HEARTBEAT_FILE", str(elsewhere))
    HeartbeatFile(elsewhere).record()
    assert main(["check"]) == 0
    assert "(recent)" in capsys.readouterr().out


def test_heartbeat_age_is_measured_against_the_given_time(tmp_path: Path) -> None:
    beat = HeartbeatFile(tmp_path / "beat")
    beat.record(at=1000.0)
    assert heartbeat_status(beat, now=1010.0).ok
    assert not heartbeat_status(beat, now=1000.0 + STALE_AFTER_SECONDS + 1).ok
    beat.remove()
    assert heartbeat_status(beat, now=5000.0).age_seconds is None


@pytest.mark.parametrize(
    ("raw", "ack"),
    [
        ('{"t":null,"s":null,"op":11,"d":null}', True),
        ('{"op": 11}', True),
        ('{"t":"READY","s":1,"op":0,"d":{}}', False),
        ('{"op":1,"d":5}', False),
        ("not json", False),
        ('{"op":11,"d":"' + "x" * 500 + '"}', False),
    ],
)
def test_only_heartbeat_acks_count(raw: str, ack: bool) -> None:
    assert is_heartbeat_ack(raw) is ack

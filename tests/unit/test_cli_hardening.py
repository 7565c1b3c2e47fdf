"""Operator commands fail in one line with a non-zero exit, and never harm the database.

Run in-process as `python -m bot ...` would run them (issues #9 and #20).
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.__main__ import OneLineReconnects, main
from bot.heartbeat import STALE_AFTER_SECONDS, HeartbeatFile, heartbeat_status, is_heartbeat_ack

LIVE = Path("data/sigbot.sqlite3")  # the default DATABASE_URL, under the test's cwd
HEARTBEAT = Path("data/sigbot.sqlite3.heartbeat")  # beside it


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "DATABASE_URL", "DEV_GUILD_ID", "LOG_LEVEL", "HEARTBEAT_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections (bound, never listening)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    assert err
    assert "\n" not in err, err
    assert "Traceback" not in err
    return err


def live_database(capsys: pytest.CaptureFixture[str]) -> int:
    """A migrated database holding one precious row; returns the file's inode."""
    assert main(["migrate"]) == 0
    db = sqlite3.connect(LIVE)
    with db:
        db.execute("CREATE TABLE precious (x)")
        db.execute("INSERT INTO precious VALUES (42)")
    db.close()
    capsys.readouterr()
    return LIVE.stat().st_ino


def untouched(inode: int) -> bool:
    """Still the same file (not replaced by a copy) and still holding its row."""
    db = sqlite3.connect(LIVE)
    try:
        return LIVE.stat().st_ino == inode and db.execute("SELECT x FROM precious").fetchall() == [
            (42,)
        ]
    finally:
        db.close()


def leftovers(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.iterdir() if p.name.endswith(".partial")]


@pytest.mark.parametrize("spelling", ["data/sigbot.sqlite3", "./data/../data/sigbot.sqlite3"])
def test_backup_onto_the_live_database_is_refused(
    spelling: str, capsys: pytest.CaptureFixture[str]
) -> None:
    inode = live_database(capsys)
    assert main(["backup", spelling]) == 1
    assert "live database" in one_line_error(capsys)
    assert untouched(inode)


def test_backup_onto_a_link_to_the_live_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inode = live_database(capsys)
    link = tmp_path / "looks-new.sqlite3"
    os.link(LIVE, link)  # another name, the same inode
    assert main(["backup", str(link)]) == 1
    assert "live database" in one_line_error(capsys)
    assert untouched(inode)


def test_backup_into_a_folder_is_one_line_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live_database(capsys)
    folder = tmp_path / "backups"
    folder.mkdir()
    assert main(["backup", str(folder)]) == 1
    assert "is a folder" in one_line_error(capsys)
    assert leftovers(tmp_path, folder) == []


def test_backup_to_an_unwritable_place_is_one_line_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live_database(capsys)
    if os.geteuid() == 0:  # root writes anywhere a disk allows; /proc takes no new files
        folder = Path("/proc")
    else:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o500)
    assert main(["backup", str(folder / "copy.sqlite3")]) == 1
    assert "cannot write the backup" in one_line_error(capsys)
    assert leftovers(folder) == []


def test_check_never_creates_a_missing_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "nonexistent2" / "x.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{typo}")
    assert main(["check"]) == 1
    assert "does not exist" in one_line_error(capsys)
    assert not typo.parent.exists()


def test_check_writes_nothing_to_an_existing_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.sqlite3"
    live_database(capsys)
    assert main(["backup", str(copy)]) == 0  # a backup is in rollback-journal mode
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{copy}")
    assert main(["check"]) == 0
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)


@pytest.mark.usefixtures("asyncpg_installed")
def test_check_against_an_unreachable_postgresql_is_one_line(
    monkeypatch: pytest.MonkeyPatch, closed_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql+asyncpg://sigbot:hunter2@127.0.0.1:{closed_port}/sigbot"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["check"]) == 1
    err = one_line_error(capsys)
    assert "cannot connect to the database" in err
    assert f"127.0.0.1:{closed_port}" in err
    assert "hunter2" not in err


def test_a_gateway_retry_is_one_line(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("discord.client")
    only_this = OneLineReconnects()
    logger.addFilter(only_this)
    try:
        try:
            raise OSError("Cannot connect to host gateway.discord.gg:443")
        except OSError:
            logger.exception("Attempting a reconnect in %.2fs", 1.5)
    finally:
        logger.removeFilter(only_this)
    [record] = caplog.records
    assert record.exc_info is None
    assert record.levelno == logging.WARNING
    assert record.getMessage() == (
        "Lost the connection to Discord (Cannot connect to host gateway.discord.gg:443); "
        "attempting a reconnect in 1.50s"
    )


# -- issue #20 item 15: a missing driver, an existing backup, the gateway heartbeat --------


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


def test_backup_keeps_an_existing_file_unless_forced(
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

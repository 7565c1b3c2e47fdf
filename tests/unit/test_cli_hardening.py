"""Operator commands fail in one line with a non-zero exit, and never harm the database.

Run in-process as `python -m bot ...` would run them (issue #9).
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.__main__ import OneLineReconnects, main

LIVE = Path("data/sigbot.sqlite3")  # the default DATABASE_URL, under the test's cwd


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "DATABASE_URL", "DEV_GUILD_ID", "LOG_LEVEL"):
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

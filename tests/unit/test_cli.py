"""The operator interface, run in-process as `python -m bot ...` would run it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.__main__ import main


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # default database under ./data, no stray .env
    for name in ("DISCORD_TOKEN", "DATABASE_URL", "DEV_GUILD_ID", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)


def test_run_without_token_prints_one_hint_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("DISCORD_TOKEN is not set")
    assert "\n" not in err


def test_bad_setting_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://nope")
    assert main(["check"]) == 2
    assert capsys.readouterr().err.strip().startswith("DATABASE_URL is invalid")


def test_check_on_a_new_database(capsys: pytest.CaptureFixture[str]) -> None:
    Path("data").mkdir()
    Path("data/sigbot.sqlite3").touch()  # created, never migrated (check itself creates nothing)
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "schema version none" in out
    assert "integrity ok" in out
    assert "will be upgraded" in out


def test_migrate_then_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "Database schema at version" in out
    assert "integrity ok" in out
    assert "will be upgraded" not in out


def test_check_refuses_a_database_from_the_future(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    with sqlite3.connect("data/sigbot.sqlite3") as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    assert main(["check"]) == 1
    assert "newer version" in capsys.readouterr().out


def test_backup_writes_a_verified_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert main(["backup", str(tmp_path / "copy.sqlite3")]) == 0
    assert "integrity ok" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "copy.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)


def test_help_reads_well(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for command in ("run", "sync", "migrate", "backup", "check", "sandbox"):
        assert command in out

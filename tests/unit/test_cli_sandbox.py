"""`python -m bot sandbox` where the sandbox package is not installed (the runtime image)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.__main__ import main


def test_sandbox_absent_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("DISCORD_TOKEN", "DATABASE_URL", "DEV_GUILD_ID", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    for module in ("sandbox", "sandbox.cli"):  # as if the package were not installed
        monkeypatch.setitem(sys.modules, module, None)
    assert main(["sandbox"]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert "\n" not in err  # one line, no traceback
    assert "pip install -e packages/discord-sandbox" in err
    assert "make install" in err
    assert captured.out == ""

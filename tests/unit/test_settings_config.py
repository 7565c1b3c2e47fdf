"""Operator settings: defaults, and one clear line for every bad value."""

from __future__ import annotations

import pytest

from config.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings

ENV_NAMES = [
    "DISCORD_TOKEN",
    "DATABASE_URL",
    "DISCORD_API_BASE_URL",
    "DISCORD_GATEWAY_URL",
    "DEV_GUILD_ID",
    "LOG_LEVEL",
    "DEFAULT_TIMEZONE",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults() -> None:
    settings = load_settings()
    assert settings.discord_token is None
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert str(settings.sqlite_path) == "data/sigbot.sqlite3"
    assert settings.discord_api_base_url == "https://discord.com/api/v10"
    assert settings.discord_gateway_url == "wss://gateway.discord.gg/"
    assert settings.dev_guild_id is None
    assert settings.log_level == "INFO"
    assert settings.default_timezone == "UTC"


def test_reads_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    from pathlib import Path

    Path(".env").write_text("DEV_GUILD_ID=42\nLOG_LEVEL=debug\n")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "America/Denver")
    settings = load_settings()
    assert settings.dev_guild_id == 42
    assert settings.log_level == "DEBUG"
    assert settings.default_timezone == "America/Denver"


def test_token_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "very-secret-token-value")
    settings = load_settings()
    assert "very-secret-token-value" not in repr(settings)
    assert "very-secret-token-value" not in str(settings)
    assert settings.token() == "very-secret-token-value"


def test_missing_token_has_a_hint() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings().token()
    message = str(caught.value)
    assert message.startswith("DISCORD_TOKEN is not set")
    assert "sandbox" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://localhost/bot"),
        ("DATABASE_URL", "data.sqlite3"),
        ("DISCORD_API_BASE_URL", "ftp://discord.com"),
        ("DISCORD_GATEWAY_URL", "https://gateway.discord.gg"),
        ("DEV_GUILD_ID", "not-a-number"),
        ("DEV_GUILD_ID", "-5"),
        ("LOG_LEVEL", "LOUD"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus_Mons"),
    ],
)
def test_bad_value_gives_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{name} is invalid: ")
    assert "\n" not in message

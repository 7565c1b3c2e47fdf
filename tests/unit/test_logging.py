"""The token never reaches a log line, whichever way it gets into the record."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logging import configure_logging

# Shaped like a bot token (base64 user id . timestamp . HMAC); not a real one.
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbCdE.abcdefghijklmnopqrstuvwxyz0123456789AB"
PLAIN_SECRET = "hunter2-not-token-shaped"


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """The CLI's logging set-up, with its handler writing into a buffer."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    configure_logging("INFO", secrets=[PLAIN_SECRET])
    buffer = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    try:
        yield buffer
    finally:
        root.handlers[:], root.level = saved_handlers, saved_level


def test_a_token_in_the_message_is_redacted(log_output: io.StringIO) -> None:
    logging.getLogger("bot.test").info(f"logging in with {TOKEN}")  # noqa: G004 (in msg itself)
    assert TOKEN not in log_output.getvalue()
    assert "logging in with [token]" in log_output.getvalue()


def test_a_token_in_the_arguments_is_redacted(log_output: io.StringIO) -> None:
    logging.getLogger("discord.http").warning("headers %s", {"Authorization": f"Bot {TOKEN}"})
    assert TOKEN not in log_output.getvalue()
    assert "Bot [token]" in log_output.getvalue()


def test_a_configured_secret_is_redacted_even_if_not_token_shaped(
    log_output: io.StringIO,
) -> None:
    logging.getLogger("bot.test").error("password is %s", PLAIN_SECRET)
    assert PLAIN_SECRET not in log_output.getvalue()
    assert "password is [token]" in log_output.getvalue()


def test_a_token_in_a_logged_traceback_is_redacted(log_output: io.StringIO) -> None:
    try:
        raise RuntimeError(f"login failed for {TOKEN}")
    except RuntimeError:
        logging.getLogger("bot.test").exception("could not start")
    output = log_output.getvalue()
    assert "could not start" in output
    assert "RuntimeError: login failed for [token]" in output
    assert TOKEN not in output


def test_other_lines_pass_unchanged(log_output: io.StringIO) -> None:
    logging.getLogger("bot.test").info("delivered %d of %d", 3, 4)
    assert "delivered 3 of 4" in log_output.getvalue()

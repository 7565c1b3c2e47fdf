"""Logging set-up for the CLI; the token never reaches a log line."""

from __future__ import annotations

import logging
import re

_TOKEN_LIKE = re.compile(r"[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}")


class RedactTokens(logging.Filter):
    """Belt and braces: settings keep the token secret, this masks anything token-shaped."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        self.secrets = [s for s in (secrets or []) if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _TOKEN_LIKE.sub("[token]", message)
        for secret in self.secrets:
            redacted = redacted.replace(secret, "[token]")
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(level: str, secrets: list[str] | None = None) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
    )
    handler.addFilter(RedactTokens(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("discord").setLevel(max(logging.getLevelName(level), logging.INFO))
    for noisy in ("apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.getLevelName(level), logging.WARNING))

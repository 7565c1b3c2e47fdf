"""Where Discord's references are, the error when they are not there, and the constants
the checks share."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

SHARED_DIR_ENV = "SIGBOT_SHARED_DIR"
# This package lives at <project root>/packages/discord-sandbox/sandbox/conformance/.
PROJECT_ROOT = Path(__file__).resolve().parents[4]
API_HOST = "https://discord.com"
API_PREFIX = "/api/v10"
SNOWFLAKE_PATTERN = "^(0|[1-9][0-9]*)$"
SNOWFLAKE_OR_INT: dict[str, Any] = {
    "type": ["string", "integer"],
    "pattern": SNOWFLAKE_PATTERN,
    "minimum": 0,
}
FLAGS_RELAXED: dict[str, Any] = {"type": "integer", "minimum": 0}

_SPEC_SNOWFLAKE_REF = "#/components/schemas/SnowflakeType"
_SPEC_SNOWFLAKE_OR_INT = "SnowflakeTypeOrInteger"
_SPEC_URI = "urn:discord-api-spec"
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_ERRORS = 8
_MAX_MESSAGE = 240


class ConformanceUnavailable(Exception):
    """The shared references are missing or unreadable; the message says which and where."""


def default_shared_dir() -> Path:
    """``$SIGBOT_SHARED_DIR``, else ``<project root>/../shared``."""
    env = os.environ.get(SHARED_DIR_ENV)
    if env:
        return Path(env)
    return PROJECT_ROOT.parent / "shared"

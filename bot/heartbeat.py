"""The gateway heartbeat file: how ``python -m bot check`` knows the running bot is connected.

The running bot writes the time of its last gateway heartbeat ACK to a small file; ``check``
(the Docker health check, another process) reads its age without ever touching Discord. The
file is removed on a clean shutdown, so "no file" means the bot is not running. Times are
wall-clock seconds: the reader is another process, so a monotonic clock would not compare.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

HEARTBEAT_ACK = 11  # the gateway opcode Discord answers each heartbeat with
# Discord asks for a heartbeat every ~41 s; three missed ones mean the connection is gone.
STALE_AFTER_SECONDS = 150.0
ACK_MESSAGE_MAX_LENGTH = 200  # an ACK is tiny: skip parsing the (large) dispatch payloads


def is_heartbeat_ack(raw_message: str | bytes) -> bool:
    """Whether a raw gateway message is a heartbeat ACK (op 11)."""
    if len(raw_message) > ACK_MESSAGE_MAX_LENGTH:
        return False
    try:
        payload = json.loads(raw_message)
    except ValueError:
        return False
    return isinstance(payload, dict) and payload.get("op") == HEARTBEAT_ACK


class HeartbeatFile:
    """One small file holding the wall-clock time of the last heartbeat ACK."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def record(self, at: float | None = None) -> None:
        """Write atomically (a temporary file renamed over), so a reader never sees half."""
        written_at = time.time() if at is None else at
        partial = self.path.with_name(self.path.name + ".partial")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(f"{written_at:.3f}\n", encoding="utf-8")
            os.replace(partial, self.path)
        except OSError:  # health reporting must never take the bot down
            log.warning("Could not write the heartbeat file %s", self.path, exc_info=True)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)

    def last_ack(self) -> float | None:
        """The recorded time, or None when there is no (readable) file."""
        try:
            return float(self.path.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None


@dataclass(frozen=True)
class HeartbeatStatus:
    age_seconds: float | None  # None: no file, the bot is not running (or not connected yet)

    @property
    def ok(self) -> bool:
        return self.age_seconds is None or self.age_seconds <= STALE_AFTER_SECONDS

    def describe(self) -> str:
        if self.age_seconds is None:
            return "gateway heartbeat: none recorded (the bot is not running or not connected yet)"
        age = f"{max(self.age_seconds, 0.0):.0f}s ago"
        if self.ok:
            return f"gateway heartbeat: last ACK {age} (recent)"
        return (
            f"gateway heartbeat: last ACK {age}, stale (over {STALE_AFTER_SECONDS:.0f}s): "
            "the bot is not connected to Discord, or stopped without cleaning up"
        )


def heartbeat_status(heartbeat: HeartbeatFile, now: float | None = None) -> HeartbeatStatus:
    last = heartbeat.last_ack()
    if last is None:
        return HeartbeatStatus(None)
    return HeartbeatStatus((time.time() if now is None else now) - last)

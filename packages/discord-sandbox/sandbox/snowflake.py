"""Discord-style snowflake ids, monotonic within one sandbox server."""

from __future__ import annotations

from sandbox import wallclock

DISCORD_EPOCH_MS = 1420070400000


class SnowflakeGenerator:
    """Makes unique, increasing snowflakes whose timestamp part is the current time."""

    def __init__(self, worker: int = 1) -> None:
        self._worker = worker & 0x1F
        self._last_ms = 0
        self._increment = 0

    def next(self) -> int:
        now_ms = int(wallclock.now() * 1000)
        if now_ms <= self._last_ms:
            self._increment += 1
            if self._increment > 0xFFF:
                self._last_ms += 1
                self._increment = 0
        else:
            self._last_ms = now_ms
            self._increment = 0
        return ((self._last_ms - DISCORD_EPOCH_MS) << 22) | (self._worker << 17) | self._increment


def snowflake_time_ms(snowflake: int) -> int:
    return (snowflake >> 22) + DISCORD_EPOCH_MS

"""The sandbox's wall clock: real time, plus however far ``travel`` moved it.

Message timestamps, join times and snowflake ids read it, so after ``travel 8d`` in
``python -m bot sandbox`` the server's dates agree with the bot's moved clock. One offset per
process (the sandbox CLI runs one server); it only moves forward, and tests that move it put
it back with :func:`reset`.
"""

from __future__ import annotations

import time

_offset = 0.0


def now() -> float:
    """Epoch seconds, moved by :func:`travel`."""
    return time.time() + _offset


def travel(seconds: float) -> None:
    global _offset
    if seconds < 0:
        raise ValueError("time only travels forward")
    _offset += seconds


def reset() -> None:
    global _offset
    _offset = 0.0

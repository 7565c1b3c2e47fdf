"""The people, servers and moments the repository tests share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

GUILD, OTHER = 1, 2  # two servers: nothing of one is ever read or touched through the other
ALICE, BOB, CARL, DAN = 100, 200, 300, 400
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # a Monday
HOUR, DAY, WEEK = timedelta(hours=1), timedelta(days=1), timedelta(days=7)

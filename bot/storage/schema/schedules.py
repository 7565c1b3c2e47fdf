"""The table shape every recurring schedule shares (icebreakers, rounds, the next features).

Where it is posted, how it recurs (``bot.domain.schedules``), and where it stands: ``paused``,
``next_slot_at`` (the next slot as the domain computed it; the scheduler only wakes the service,
which reads what is due) and ``last_slot_at``. A feature adds its own options between the
recurrence and the state, and its own bookkeeping after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Index, Integer, String, Table

from bot.storage.schema.base import metadata


def recurring_schedule_table(
    name: str, *, options: Sequence[Column[Any]], bookkeeping: Sequence[Column[Any]] = ()
) -> Table:
    """The ``name`` table: the shared columns and indexes around the feature's own columns."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("guild_id", BigInteger, nullable=False),
        Column("channel_id", BigInteger, nullable=False),
        Column("cadence", String(16), nullable=False),
        Column("local_time", String(5), nullable=False),  # HH:MM in ``timezone``
        Column("weekday", Integer, nullable=True),  # 0 = Monday
        Column("timezone", String(64), nullable=False),
        Column("anchor", Date, nullable=False),  # biweekly parity, monthly day
        *options,
        Column("paused", Boolean, nullable=False),
        Column("next_slot_at", DateTime(timezone=True), nullable=False),
        Column("last_slot_at", DateTime(timezone=True), nullable=True),
        *bookkeeping,
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("created_by", BigInteger, nullable=True),
        Index(f"ix_{name}_due", "paused", "next_slot_at"),
        Index(f"ix_{name}_guild", "guild_id"),
    )

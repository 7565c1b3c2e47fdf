"""The outbox table: enqueue inside a feature's transaction; the sender claims and settles."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.delivery import (
    Delivery,
    DeliveryKind,
    DeliveryState,
    FailureReason,
    nonce_for,
)
from bot.storage.schema.outbox import delivery_flags, dm_status, outbox
from bot.storage.sql import upsert
from bot.storage.types import as_utc


@dataclass(frozen=True)
class OutboxItem:
    id: int
    key: str
    kind: DeliveryKind
    target_id: int
    payload: dict[str, Any]
    state: DeliveryState
    attempts: int
    guild_id: int | None
    outcome_handler: str | None
    result: dict[str, Any]

    @classmethod
    def from_row(cls, row: Any) -> OutboxItem:
        return cls(
            id=row.id,
            key=row.idempotency_key,
            kind=DeliveryKind(row.kind),
            target_id=int(row.recipient.split(":", 1)[1]),
            payload=json.loads(row.payload),
            state=DeliveryState(row.state),
            attempts=row.attempts,
            guild_id=row.guild_id,
            outcome_handler=row.outcome_handler,
            result=json.loads(row.result) if row.result else {},
        )

    def nonce(self, step: str = "") -> str:
        """Discord's nonce for this item: stable across retries, and never an earlier item's.

        A key can be enqueued again once its old row is deleted (a member's data, retention);
        the row id is never reused (AUTOINCREMENT), so the new item's nonce is new too and
        Discord does not answer with the old message.
        """
        return nonce_for(f"{self.id}|{self.key}", step)


class OutboxRepository:
    member_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "outbox": ("recipient", "subject_user_id"),
        "dm_status": ("user_id",),
    }
    table_descriptions: ClassVar[Mapping[str, str]] = {
        "outbox": "messages the bot sent or will send to you or about you (kept 30 days)",
        "dm_status": "whether your DMs were closed to the bot, and until when it waits",
    }
    # A message's content may describe its subject and is read by its recipient: it is the
    # member's only when both are them (or nobody), otherwise withheld.
    text_owners: ClassVar[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
        "outbox": {
            "payload": ("recipient", "subject_user_id"),
            "result": ("recipient", "subject_user_id"),
        }
    }
    code_columns: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "outbox": ("outcome_handler", "failure")
    }

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def enqueue(self, delivery: Delivery, *, now: datetime) -> bool:
        """Queue ``delivery``; False when its idempotency key was queued before (a no-op)."""
        insert = postgresql.insert if self.conn.dialect.name == "postgresql" else sqlite.insert
        statement = (
            insert(outbox)
            .values(
                idempotency_key=delivery.key,
                guild_id=delivery.guild_id,
                kind=delivery.kind.value,
                recipient=delivery.recipient,
                payload=json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False),
                state=DeliveryState.QUEUED.value,
                attempts=0,
                not_before=now,
                created_at=now,
                updated_at=now,
                outcome_handler=delivery.outcome_handler,
                subject_user_id=delivery.subject_user_id,
            )
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
        )
        result = await self.conn.execute(statement)
        return bool(result.rowcount)

    async def cancel(self, keys: list[str], *, now: datetime) -> int:
        """Withdraw queued items (consent changed); items already sending are left to finish."""
        if not keys:
            return 0
        result = await self.conn.execute(
            update(outbox)
            .where(
                outbox.c.idempotency_key.in_(keys),
                outbox.c.state == DeliveryState.QUEUED.value,
            )
            .values(
                state=DeliveryState.FAILED.value,
                failure=FailureReason.CANCELLED.value,
                updated_at=now,
            )
        )
        return int(result.rowcount)

    async def get(self, key: str) -> OutboxItem | None:
        row = (
            await self.conn.execute(select(outbox).where(outbox.c.idempotency_key == key))
        ).first()
        return OutboxItem.from_row(row) if row else None

    async def state_of(self, key: str) -> tuple[DeliveryState, FailureReason | None] | None:
        row = (
            await self.conn.execute(
                select(outbox.c.state, outbox.c.failure).where(outbox.c.idempotency_key == key)
            )
        ).first()
        if row is None:
            return None
        return DeliveryState(row.state), FailureReason(row.failure) if row.failure else None

    # -- the sender's side ------------------------------------------------------------------

    async def due(self, *, now: datetime, limit: int, exclude_dms: bool) -> list[OutboxItem]:
        """The oldest queued item of each recipient lane that is idle and due, oldest first."""
        busy = select(outbox.c.recipient).where(outbox.c.state == DeliveryState.SENDING.value)
        head = (
            select(func.min(outbox.c.id))
            .where(outbox.c.state == DeliveryState.QUEUED.value)
            .group_by(outbox.c.recipient)
        )
        conditions = [
            outbox.c.id.in_(head),
            outbox.c.not_before <= now,
            outbox.c.recipient.not_in(busy),
        ]
        if exclude_dms:
            conditions.append(outbox.c.kind != DeliveryKind.SEND_DM.value)
        rows = await self.conn.execute(
            select(outbox).where(and_(*conditions)).order_by(outbox.c.id).limit(limit)
        )
        return [OutboxItem.from_row(row) for row in rows]

    async def next_due_at(self) -> datetime | None:
        value = (
            await self.conn.execute(
                select(func.min(outbox.c.not_before)).where(
                    outbox.c.state == DeliveryState.QUEUED.value
                )
            )
        ).scalar()
        return as_utc(value) if value else None

    async def mark_sending(self, item_id: int, *, now: datetime) -> bool:
        """queued → sending, atomically; False if someone else moved it first."""
        result = await self.conn.execute(
            update(outbox)
            .where(outbox.c.id == item_id, outbox.c.state == DeliveryState.QUEUED.value)
            .values(
                state=DeliveryState.SENDING.value,
                attempts=outbox.c.attempts + 1,
                updated_at=now,
            )
        )
        return bool(result.rowcount)

    async def checkpoint(self, item_id: int, result: dict[str, Any], *, now: datetime) -> None:
        """Save progress of a multi-step item (e.g. the thread exists) before the next step."""
        await self.conn.execute(
            update(outbox)
            .where(outbox.c.id == item_id)
            .values(result=json.dumps(result), updated_at=now)
        )

    async def mark_sent(self, item_id: int, result: dict[str, Any], *, now: datetime) -> None:
        await self.conn.execute(
            update(outbox)
            .where(outbox.c.id == item_id)
            .values(state=DeliveryState.SENT.value, result=json.dumps(result), updated_at=now)
        )

    async def mark_failed(self, item_id: int, reason: FailureReason, *, now: datetime) -> None:
        await self.conn.execute(
            update(outbox)
            .where(outbox.c.id == item_id)
            .values(state=DeliveryState.FAILED.value, failure=reason.value, updated_at=now)
        )

    async def retry_later(self, item_id: int, *, not_before: datetime, now: datetime) -> None:
        """sending → queued, due again at ``not_before``."""
        await self.conn.execute(
            update(outbox)
            .where(outbox.c.id == item_id)
            .values(state=DeliveryState.QUEUED.value, not_before=not_before, updated_at=now)
        )

    async def requeue_interrupted(self, *, now: datetime) -> int:
        """After a crash: items left ``sending`` go back to the queue (nonces prevent doubles)."""
        result = await self.conn.execute(
            update(outbox)
            .where(outbox.c.state == DeliveryState.SENDING.value)
            .values(state=DeliveryState.QUEUED.value, not_before=now, updated_at=now)
        )
        return int(result.rowcount)

    async def purge_settled(self, *, before: datetime) -> int:
        """Forget items that were sent or failed before ``before`` (never queued or in flight)."""
        settled = (DeliveryState.SENT.value, DeliveryState.FAILED.value)
        result = await self.conn.execute(
            outbox.delete().where(outbox.c.state.in_(settled), outbox.c.updated_at < before)
        )
        return int(result.rowcount)

    async def counts(self) -> dict[str, int]:
        rows = await self.conn.execute(
            select(outbox.c.state, func.count()).group_by(outbox.c.state)
        )
        return {str(state): int(count) for state, count in rows.all()}

    # -- privacy ----------------------------------------------------------------------------

    def _about_member(self, guild_id: int, user_id: int) -> Any:
        """Rows in this server addressed to the member (DMs) or describing them."""
        return and_(
            outbox.c.guild_id == guild_id,
            or_(
                outbox.c.subject_user_id == user_id,
                outbox.c.recipient == f"user:{user_id}",  # only DMs use a user lane
            ),
        )

    async def delete_member(self, guild_id: int, user_id: int) -> int:
        """Forget what was or would be sent about the member here; queued items are dropped,
        and so is a queued private thread that would add them."""
        result = await self.conn.execute(
            outbox.delete().where(self._about_member(guild_id, user_id))
        )
        threads = await self.conn.execute(
            select(outbox.c.id, outbox.c.payload).where(
                outbox.c.guild_id == guild_id,
                outbox.c.kind == DeliveryKind.CREATE_THREAD.value,
                outbox.c.state == DeliveryState.QUEUED.value,
            )
        )
        adding = [i for i, p in threads.all() if user_id in json.loads(p).get("member_ids", [])]
        if adding:
            await self.conn.execute(outbox.delete().where(outbox.c.id.in_(adding)))
        return int(result.rowcount) + len(adding)

    async def holds_unscoped(self, user_id: int) -> bool:
        """Whether anything about the member is kept outside any one server."""
        c = outbox.c
        unscoped = select(c.id).where(
            c.guild_id.is_(None),
            or_(c.subject_user_id == user_id, c.recipient == f"user:{user_id}"),
        )
        status = select(dm_status.c.user_id).where(dm_status.c.user_id == user_id)
        for query in (status, unscoped):
            if (await self.conn.execute(query.limit(1))).first() is not None:
                return True
        return False

    async def forget_everywhere(self, user_id: int) -> int:
        """What is not tied to one server (DMs sent outside any server, the DM cool-off):
        dropped when the member deletes everything, from DMs."""
        c = outbox.c
        unscoped = await self.conn.execute(
            outbox.delete().where(
                c.guild_id.is_(None),
                or_(c.subject_user_id == user_id, c.recipient == f"user:{user_id}"),
            )
        )
        status = await self.conn.execute(dm_status.delete().where(dm_status.c.user_id == user_id))
        return int(unscoped.rowcount) + int(status.rowcount)

    # -- DM status and switches -----------------------------------------------------------------

    async def dms_closed_until(self, user_id: int) -> datetime | None:
        value = (
            await self.conn.execute(
                select(dm_status.c.closed_until).where(dm_status.c.user_id == user_id)
            )
        ).scalar()
        return as_utc(value) if value else None

    async def set_dms_closed(self, user_id: int, until: datetime, *, now: datetime) -> None:
        values = {"user_id": user_id, "closed_until": until, "updated_at": now}
        await upsert(self.conn, dm_status, values, keys=["user_id"])

    async def flag(self, name: str) -> tuple[str | None, datetime | None] | None:
        row = (
            await self.conn.execute(
                select(delivery_flags.c.value, delivery_flags.c.until).where(
                    delivery_flags.c.name == name
                )
            )
        ).first()
        if row is None:
            return None
        return row.value, as_utc(row.until) if row.until else None

    async def set_flag(
        self, name: str, *, value: str | None, until: datetime | None, now: datetime
    ) -> None:
        values = {"name": name, "value": value, "until": until, "updated_at": now}
        await upsert(self.conn, delivery_flags, values, keys=["name"])

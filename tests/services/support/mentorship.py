"""Shared set-up for the mentorship service tests: a PT server, mentors, the outbox."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.domain.delivery import DeliveryKind, FailureReason, Outcome
from bot.services import Services
from bot.services.mentorship import THREAD_HANDLER
from bot.storage.schema.outbox import outbox

GUILD = 1001
MOD, MENTEE, ANA, BEN, CAT, DEV, EVE = 7, 100, 200, 300, 400, 500, 600
MENTORS = (ANA, BEN, CAT, DEV, EVE)
MENTORSHIP_CHANNEL, REQUESTS_CHANNEL, MODLOG_CHANNEL = 9001, 9002, 9003


async def prepare(services: Services, mentors: tuple[int, ...] = MENTORS) -> Services:
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    await services.settings.set_defaults(GUILD, actor_id=MOD, discoverable_by_default=True)
    for purpose, channel in (
        ("mentorship", MENTORSHIP_CHANNEL),
        ("mentor-requests", REQUESTS_CHANNEL),
        ("moderation-log", MODLOG_CHANNEL),
    ):
        await services.settings.set_channel(GUILD, purpose, channel, actor_id=MOD)
    await services.member_tags.add_member_tag(GUILD, MENTEE, "Orthopedics")
    for mentor in mentors:
        await services.member_tags.add_member_tag(GUILD, mentor, "Orthopedics")
        await services.mentors.offer(GUILD, mentor, capacity=1)
    return services


async def queued(services: Services, kind: DeliveryKind | None = None) -> list[dict[str, Any]]:
    async with services.db.read() as uow:
        rows = (await uow.conn.execute(select(outbox).order_by(outbox.c.id))).all()
    return [
        {
            "key": row.idempotency_key,
            "kind": row.kind,
            "recipient": row.recipient,
            "payload": json.loads(row.payload),
            "state": row.state,
        }
        for row in rows
        if row.state == "queued" and (kind is None or row.kind == kind.value)
    ]


async def told_by_dm(services: Services, request_id: int) -> list[int]:
    return [
        int(item["recipient"].split(":")[1])
        for item in await queued(services, DeliveryKind.SEND_DM)
        if item["key"].startswith(f"mentor:req:{request_id}:dm:")
    ]


async def settle_threads(
    services: Services, *, failure: FailureReason | None = None, thread_id: int = 777
) -> int:
    """Play the sender for every queued mentorship thread: made (or refused)."""
    settled = 0
    for item in await queued(services, DeliveryKind.CREATE_THREAD):
        if not item["key"].startswith("mentor:match:"):
            continue  # another feature's thread (an intro round's group)
        async with services.db.transaction() as uow:
            row = await uow.outbox.get(item["key"])
            assert row is not None
            now = services.clock.now()
            if failure is None:
                await uow.outbox.mark_sent(row.id, {"thread_id": thread_id + settled}, now=now)
            else:
                await uow.outbox.mark_failed(row.id, failure, now=now)
            outcome = Outcome(
                item_id=row.id,
                key=row.key,
                kind=row.kind,
                target_id=row.target_id,
                guild_id=row.guild_id,
                sent=failure is None,
                failure=failure,
                result={"thread_id": thread_id + settled} if failure is None else {},
            )
            await services.outcomes.dispatch(uow, THREAD_HANDLER, outcome, now)
        settled += 1
    return settled


async def request(services: Services, mentee: int = MENTEE, **extra: Any) -> int:
    opened = await services.mentor_requests.open(
        GUILD,
        mentee,
        topic=extra.pop("topic", "ortho"),
        goals=extra.pop("goals", "Pass the OCS exam; build a home-exercise library."),
        term=extra.pop("term", None),
        background=extra.pop("background", None),
    )
    return opened.request.id

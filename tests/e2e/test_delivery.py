"""The outbox and its sender against the sandbox server: exactly once, never spammy.

These drive a standalone sender (the same classes the bot starts in ``setup_hook``) with
budgets chosen so each test runs in seconds; the figures are printed for the closing note.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import signal
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import SystemClock
from bot.delivery.bucket import TokenBucket
from bot.delivery.sender import QUARANTINE_NOTICE, OutboxSender, SenderConfig
from bot.delivery.transport import DiscordTransport
from bot.domain.delivery import Delivery, DeliveryState, FailureReason, Outcome
from bot.services import Services
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWork
from sandbox.members import Member
from sandbox.server import SandboxServer, peak_per_second

pytestmark = pytest.mark.e2e

WORKER = Path(__file__).with_name("delivery_worker.py")
DM_OPEN = "POST /users/@me/channels"
CREATE_MESSAGE = "POST /channels/{channel_id}/messages"
# Between the bucket's clock reading and the transport's (a few statements, no await).
SPACING_SLACK = 0.0005


@dataclass
class Delivering:
    server: SandboxServer
    services: Services
    sender: OutboxSender
    rate: float

    async def enqueue(self, *deliveries: Delivery) -> None:
        async with self.services.db.transaction() as uow:
            outbox = uow.outbox
            for delivery in deliveries:
                await outbox.enqueue(delivery, now=self.services.clock.now())


def make_sender(
    server: SandboxServer,
    services: Services,
    *,
    rate: float,
    dm_open_rate: float,
    config: SenderConfig | None = None,
) -> OutboxSender:
    transport = DiscordTransport(
        api_base_url=server.api_base_url,
        token=server.token,
        bucket=TokenBucket(rate),
        dm_open_bucket=TokenBucket(dm_open_rate),
    )
    return OutboxSender(services.db, services.clock, transport, services.outcomes, config)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = await Database.open(f"sqlite+aiosqlite:///{tmp_path / 'outbox.sqlite3'}")
    await db.migrate()
    yield db
    await db.close()


@pytest.fixture
def services(database: Database) -> Services:
    return Services.build(database, SystemClock())


@pytest.fixture
async def start_sender(
    server: SandboxServer, services: Services
) -> Callable[..., AsyncIterator[Delivering]]:
    senders: list[OutboxSender] = []

    async def start(
        rate: float = 200.0, dm_open_rate: float = 200.0, **config: object
    ) -> Delivering:
        sender = make_sender(
            server,
            services,
            rate=rate,
            dm_open_rate=dm_open_rate,
            config=SenderConfig(**config),  # type: ignore[arg-type]
        )
        senders.append(sender)
        await sender.start()
        return Delivering(server, services, sender, rate)

    yield start  # type: ignore[misc]
    for sender in senders:
        await sender.stop()


async def wait_for_state(services: Services, key: str, state: DeliveryState) -> None:
    async with asyncio.timeout(5):
        while True:
            async with services.db.read() as uow:
                found = await uow.outbox.state_of(key)
            if found is not None and found[0] is state:
                return
            await asyncio.sleep(0.01)


def dm(key: str, member: Member, text: str, **extra: object) -> Delivery:
    return Delivery.dm(key, member.id, {"content": text}, **extra)  # type: ignore[arg-type]


@pytest.mark.slow
async def test_500_dms_with_30_percent_429s_arrive_exactly_once(
    server: SandboxServer, start_sender: Callable[..., object]
) -> None:
    guild = server.create_guild("Big chapter")
    members = [guild.add_member(f"member{n}") for n in range(500)]
    server.faults.seed(7)
    server.faults.rate_limit(probability=0.3, retry_after=0.05)
    delivering: Delivering = await start_sender(rate=150.0, dm_open_rate=150.0)  # type: ignore[misc]
    await delivering.enqueue(*(dm(f"hello:{m.id}", m, f"Hello {m.display_name}") for m in members))
    await delivering.sender.drain(timeout=120)
    await delivering.sender.stop()

    received = [len(server.dm_messages(m)) for m in members]
    throttled = sum(1 for r in server.requests if r.status == 429)
    peak = server.peak_request_rate()  # as the server saw them (arrival jitter included)
    sent_peak = peak_per_second(delivering.sender.transport.sent_at)  # as the bot sent them
    sent = sorted(delivering.sender.transport.sent_at)
    closest = min(b - a for a, b in itertools.pairwise(sent))
    print(
        f"\n500 DMs: delivered {sum(received)}, dropped {received.count(0)}, duplicated "
        f"{sum(n - 1 for n in received if n > 1)}; requests {len(server.requests)} "
        f"({throttled} answered 429); peak {sent_peak}/s sent, {peak}/s received, "
        f"budget {delivering.rate:.0f}/s; closest sends {closest * 1000:.2f} ms apart "
        f"(spacing {1000 / delivering.rate:.2f} ms)"
    )
    assert received == [1] * 500
    assert throttled > 100  # the faults really happened
    # The budget, on any machine: the bucket (burst 1) spaces every request 1/rate after the
    # previous one, so no two sends may be closer, however fast or slow the run was.
    assert len(sent) == len(server.requests)  # every request the server saw was counted
    assert closest >= 1 / delivering.rate - SPACING_SLACK, f"{closest * 1000:.2f} ms apart"


@pytest.mark.slow
async def test_closed_dms_fall_back_once_per_cool_off(
    server: SandboxServer, services: Services, start_sender: Callable[..., object]
) -> None:
    guild = server.create_guild("Chapter")
    intros = guild.add_text_channel("introductions")
    members = [guild.add_member(f"m{n}") for n in range(50)]
    closed = members[::5]  # 20%
    for member in closed:
        server.faults.close_dms(member)
    fallbacks: list[int] = []

    async def fall_back(uow: UnitOfWork, outcome: Outcome, now: datetime) -> None:
        if outcome.failure is FailureReason.DMS_CLOSED:
            fallbacks.append(outcome.target_id)
            thread = Delivery.thread(
                f"{outcome.key}:thread",
                intros.id,
                name="Your introduction",
                private=True,
                member_ids=(outcome.target_id,),
                message={"content": "Your DMs are closed, so here it is."},
            )
            await uow.outbox.enqueue(thread, now=now)

    services.outcomes.register("test.intro", fall_back)
    delivering: Delivering = await start_sender()  # type: ignore[misc]
    for round_ in (1, 2):  # two notices per member: the second must not retry closed DMs
        await delivering.enqueue(
            *(dm(f"n{round_}:{m.id}", m, "Hi", outcome_handler="test.intro") for m in members)
        )
        await delivering.sender.drain(timeout=60)

    dm_posts_to_closed = [
        r
        for r in server.requests_for(CREATE_MESSAGE)
        if any(r.path.endswith(f"/{server.dm_channel(m).id}/messages") for m in closed)  # type: ignore[union-attr]
    ]
    print(
        f"\nclosed DMs: {len(closed)} of {len(members)} closed, {len(dm_posts_to_closed)} "
        f"attempts to them over 2 rounds, {len(fallbacks)} fallbacks"
    )
    assert len(dm_posts_to_closed) == len(closed)  # once per cool-off, not per message
    assert sorted(fallbacks) == sorted([m.id for m in closed] * 2)
    assert all(len(server.dm_messages(m)) == 2 for m in members if m not in closed)
    threads = intros.threads
    assert len(threads) == 2 * len(closed)
    assert all(len(t.members) == 2 for t in threads)  # the member and the bot


async def test_40003_pauses_dm_opens(
    server: SandboxServer, start_sender: Callable[..., object]
) -> None:
    guild = server.create_guild("Chapter")
    members = [guild.add_member(f"m{n}") for n in range(6)]
    server.faults.dm_open_too_fast(count=1)
    delivering: Delivering = await start_sender(  # type: ignore[misc]
        concurrency=1, dm_open_pause=timedelta(seconds=0.6)
    )
    await delivering.enqueue(*(dm(f"k{m.id}", m, "Hi") for m in members))
    await delivering.sender.drain(timeout=30)
    opens = server.requests_for(DM_OPEN)
    refused = next(r for r in opens if r.status == 403)
    after = [r for r in opens if r.time > refused.time]
    assert after
    assert after[0].time - refused.time >= 0.55  # paused, then resumed
    assert all(len(server.dm_messages(m)) == 1 for m in members)


async def test_quarantine_stops_all_dms_and_tells_moderators_once(
    server: SandboxServer, services: Services, start_sender: Callable[..., object]
) -> None:
    guild = server.create_guild("Chapter")
    log_channel = guild.add_text_channel("mod-log")
    await services.settings.set_channel(guild.id, "moderation-log", log_channel.id, actor_id=1)
    early, *others = [guild.add_member(f"m{n}") for n in range(10)]
    delivering: Delivering = await start_sender(concurrency=1)  # type: ignore[misc]
    await delivering.enqueue(dm("first", early, "Hi"))
    await delivering.sender.drain(timeout=10)
    assert len(server.dm_messages(early)) == 1

    server.faults.quarantine()
    await delivering.enqueue(*(dm(f"k{m.id}", m, "Hi") for m in others))
    await delivering.enqueue(dm("again", early, "Hi again"))  # its DM channel is open

    def notices() -> list[str]:
        return [m.content for m in log_channel.messages if QUARANTINE_NOTICE in m.content]

    await server.wait_for(notices, what="the moderators' notice")
    await delivering.sender.stop()

    refused = next(r for r in server.requests if r.status == 403)
    dm_ids = {c.id for m in [early, *others] if (c := server.dm_channel(m))}
    sent_after = [
        r
        for r in server.requests_for(CREATE_MESSAGE)
        if r.time > refused.time and r.status < 300 and int(r.path.split("/")[-2]) in dm_ids
    ]
    assert sent_after == []
    assert len(notices()) == 1
    async with services.db.read() as uow:
        counts = await uow.outbox.counts()
    assert counts.get(DeliveryState.QUEUED.value) == len(others) + 1  # kept, not lost


# Where the SIGKILL test stops the worker: (before|after, transport call, n-th call).
# "after" is the window that duplicates: Discord did it, the outbox does not know yet.
STALLS = [
    ("after", "create_thread", 1),
    ("after", "update_thread", 1),
    ("after", "edit_message", 1),
    ("after", "open_dm", 2),
    ("after", "add_thread_member", 1),
    ("after", "create_message", 2),
    ("before", "create_thread", 1),
    ("after", "create_thread", 2),
    ("before", "create_message", 1),
]


async def run_worker(url: str, server: SandboxServer, stall: str | None) -> tuple[str, int]:
    """Start a worker, read until it stalls or drains, SIGKILL it; (its last line, restarts)."""
    args = [str(WORKER), url, server.api_base_url, server.token, *([stall] if stall else [])]
    worker = await asyncio.create_subprocess_exec(
        sys.executable, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    assert worker.stdout is not None
    assert worker.stderr is not None
    try:
        async with asyncio.timeout(60):
            line = ""
            while not line.startswith(("stalled", "drained")):
                raw = await worker.stdout.readline()
                assert raw, f"worker exited: {(await worker.stderr.read()).decode()}"
                line = raw.decode().strip()
    finally:
        worker.send_signal(signal.SIGKILL)
        await worker.wait()
    return line, (await worker.stderr.read()).count(b"Re-queued")


@pytest.mark.slow
async def test_sigkill_mid_send_then_restart_has_every_effect_exactly_once(
    server: SandboxServer, tmp_path: Path
) -> None:
    guild = server.create_guild("Chapter")
    general = guild.add_text_channel("general")
    intros = guild.add_text_channel("introductions")
    projects = guild.add_text_channel("projects")
    guild.set_bot_permissions(projects, allow=["manage_threads"])  # locking takes it
    members = [guild.add_member(f"m{n}") for n in range(24)]
    url = f"sqlite+aiosqlite:///{tmp_path / 'crash.sqlite3'}"
    db = await Database.open(url)
    await db.migrate()
    services = Services.build(db, SystemClock())
    # What the edits and thread updates act on, made beforehand by an ordinary sender.
    setup = make_sender(server, services, rate=200.0, dm_open_rate=200.0)
    await setup.start()
    async with db.transaction() as uow:
        outbox = uow.outbox
        for n in range(6):
            await outbox.enqueue(
                Delivery.post(f"old:{n}", general.id, {"content": f"draft {n}"}),
                now=setup.clock.now(),
            )
            thread = Delivery.thread(f"old:t{n}", projects.id, name=f"Project {n}", private=False)
            await outbox.enqueue(thread, now=setup.clock.now())
    await setup.drain(timeout=30)
    await setup.stop()
    async with db.read() as uow:
        outbox = uow.outbox
        drafts = [(await outbox.get(f"old:{n}")).result["message_id"] for n in range(6)]  # type: ignore[union-attr]
        projects_ids = [(await outbox.get(f"old:t{n}")).result["thread_id"] for n in range(6)]  # type: ignore[union-attr]

    # Every kind of delivery, interleaved, for the kill loop. Fallback threads share one name;
    # m0 gets two (same name, same member), like a second notice while DMs stay closed.
    thread_for = [*members[:6], members[0]]
    items = [dm(f"dm:{m.id}", m, "Hello") for m in members[6:]]
    items += [
        Delivery.thread(
            f"thread:{n}",
            intros.id,
            name="Your introduction",
            private=True,
            member_ids=(m.id,),
            message={"content": f"welcome {n}"},
        )
        for n, m in enumerate(thread_for)
    ]
    items += [
        Delivery.edit(f"edit:{n}", general.id, mid, {"content": f"final {n}"})
        for n, mid in enumerate(drafts)
    ]
    items += [
        Delivery.update_thread(f"close:{n}", tid, archived=True, locked=True)
        for n, tid in enumerate(projects_ids)
    ]
    items += [Delivery.post(f"post:{n}", general.id, {"content": f"news {n}"}) for n in range(6)]
    random.Random(11).shuffle(items)
    async with db.transaction() as uow:
        for item in items:
            await uow.outbox.enqueue(item, now=SystemClock().now())
    await db.close()

    landed: list[str] = []  # "after" kills: Discord acted, the worker died before recording it
    restarts = 0
    for when, call, n in STALLS:
        line, requeued = await run_worker(url, server, f"{when}:{call}:{n}")
        restarts += requeued
        if line.startswith("stalled after"):
            landed.append(line.split()[-1])
    line, requeued = await run_worker(url, server, None)  # the last restart finishes the queue
    restarts += requeued
    assert line == "drained"

    reader = await Database.open(url, writer=False)
    try:
        async with reader.read() as uow:
            counts = await uow.outbox.counts()
        integrity = await reader.integrity_check()
    finally:
        await reader.close()
    fallback = intros.threads
    print(
        f"\nSIGKILL x{len(STALLS) + 1} ({len(landed)} right after Discord acted: "
        f"{sorted(set(landed))}; {restarts} restarts re-queued 'sending' items): "
        f"{len(items)} items, outbox {counts}, {len(fallback)} threads for {len(thread_for)}"
    )
    # The kills really landed mid-send, in every kind of call.
    assert set(landed) >= {"create_thread", "add_thread_member", "edit_message"}
    assert set(landed) >= {"update_thread", "open_dm", "create_message"}
    assert counts == {"sent": len(items) + 12}
    assert integrity == "ok"
    # Exactly once, per kind of effect.
    assert [len(server.dm_messages(m)) for m in members[6:]] == [1] * 18
    assert len(fallback) == len(thread_for)  # one thread per item, none twice
    assert sorted(sorted(u.id for u in t.members) for t in fallback) == sorted(
        sorted([server.state.bot_user.id, m.id]) for m in thread_for
    )
    assert sorted(m.content for t in fallback for m in t.messages) == sorted(
        f"welcome {n}" for n in range(len(thread_for))
    )
    assert sorted(m.content for m in general.messages) == sorted(
        [f"final {n}" for n in range(6)] + [f"news {n}" for n in range(6)]
    )
    assert all(t.archived and t.locked for t in projects.threads)
    assert len(projects.threads) == 6


async def test_shutdown_returns_in_flight_items_to_the_queue(
    server: SandboxServer, services: Services, start_sender: Callable[..., object]
) -> None:
    guild = server.create_guild("Chapter")
    channel = guild.add_text_channel("general")
    server.faults.slow(CREATE_MESSAGE, delay=3)  # Discord hangs
    delivering: Delivering = await start_sender(shutdown_seconds=0.3)  # type: ignore[misc]
    await delivering.enqueue(Delivery.post("stuck", channel.id, {"content": "hello"}))
    await wait_for_state(services, "stuck", DeliveryState.SENDING)
    await delivering.sender.stop()  # how long it takes is a figure for bench/
    async with services.db.read() as uow:
        assert await uow.outbox.state_of("stuck") == (DeliveryState.QUEUED, None)
    answered = [r.status for r in server.requests_for(CREATE_MESSAGE) if (r.status or 0) >= 200]
    assert answered == []  # cut off while Discord hung, not waited out
    assert channel.messages == []


async def test_server_errors_are_retried_with_backoff_until_delivered(
    server: SandboxServer, start_sender: Callable[..., object]
) -> None:
    guild = server.create_guild("Chapter")
    channel = guild.add_text_channel("general")
    server.faults.seed(3)
    server.faults.server_error(CREATE_MESSAGE, probability=0.4, status=502)
    delivering: Delivering = await start_sender(retry_base_seconds=0.02)  # type: ignore[misc]
    await delivering.enqueue(
        *(Delivery.post(f"post:{n}", channel.id, {"content": f"post {n}"}) for n in range(40))
    )
    await delivering.sender.drain(timeout=60)
    contents = sorted(m.content for m in channel.messages)
    failures = sum(1 for r in server.requests_for(CREATE_MESSAGE) if r.status == 502)
    assert failures > 5
    assert contents == sorted(f"post {n}" for n in range(40))  # each exactly once

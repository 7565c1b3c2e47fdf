"""The outbox and its sender against the sandbox server: exactly once, never spammy.

These drive a standalone sender (the same classes the bot starts in ``setup_hook``) with
budgets chosen so each test runs in seconds; the figures are printed for the closing note.
"""

from __future__ import annotations

import asyncio
import contextlib
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
from sandbox.server import SandboxServer, peak_per_second
from sandbox.state import Member

pytestmark = pytest.mark.e2e

WORKER = Path(__file__).with_name("delivery_worker.py")
DM_OPEN = "POST /users/@me/channels"
CREATE_MESSAGE = "POST /channels/{channel_id}/messages"


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
    print(
        f"\n500 DMs: delivered {sum(received)}, dropped {received.count(0)}, duplicated "
        f"{sum(n - 1 for n in received if n > 1)}; requests {len(server.requests)} "
        f"({throttled} answered 429); peak {sent_peak}/s sent, {peak}/s received, "
        f"budget {delivering.rate:.0f}/s"
    )
    assert received == [1] * 500
    assert throttled > 100  # the faults really happened
    assert sent_peak <= delivering.rate + 1  # +1: a window edge can hold both ends


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


async def test_sigkill_while_sending_then_restart_delivers_exactly_once(
    server: SandboxServer, tmp_path: Path
) -> None:
    guild = server.create_guild("Chapter")
    members = [guild.add_member(f"m{n}") for n in range(120)]
    url = f"sqlite+aiosqlite:///{tmp_path / 'crash.sqlite3'}"
    db = await Database.open(url)
    await db.migrate()
    async with db.transaction() as uow:
        outbox = uow.outbox
        for m in members:
            await outbox.enqueue(dm(f"k{m.id}", m, "Hello"), now=SystemClock().now())
    await db.close()
    server.faults.slow(CREATE_MESSAGE, delay=0.03)  # requests in flight when the kill lands
    rng = random.Random(11)
    kills = recovered = 0

    def delivered() -> int:
        return sum(1 for m in members if server.dm_messages(m))

    while delivered() < len(members):
        worker = await asyncio.create_subprocess_exec(
            sys.executable,
            str(WORKER),
            url,
            server.api_base_url,
            server.token,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert worker.stdout is not None
        assert worker.stderr is not None
        await asyncio.wait_for(worker.stdout.readline(), 30)  # "started"
        target = min(len(members), delivered() + rng.randint(5, 25))
        with contextlib.suppress(TimeoutError):
            await server.wait_for(
                lambda goal=target: delivered() >= goal, timeout=20, what="progress"
            )
        await asyncio.sleep(rng.uniform(0, 0.05))
        worker.send_signal(signal.SIGKILL)
        await worker.wait()
        recovered += (await worker.stderr.read()).count(b"Re-queued")
        kills += 1

    reader = await Database.open(url, writer=False)
    try:
        async with reader.read() as uow:
            counts = await uow.outbox.counts()
        integrity = await reader.integrity_check()
    finally:
        await reader.close()
    received = [len(server.dm_messages(m)) for m in members]
    print(
        f"\nSIGKILL x{kills} ({recovered} restarts found items left 'sending'): "
        f"{sum(received)} DMs for {len(members)} items, outbox {counts}"
    )
    assert kills >= 3
    assert received == [1] * len(members)  # none lost, none twice
    assert integrity == "ok"


async def test_shutdown_returns_in_flight_items_to_the_queue(
    server: SandboxServer, services: Services, start_sender: Callable[..., object]
) -> None:
    guild = server.create_guild("Chapter")
    channel = guild.add_text_channel("general")
    server.faults.slow(CREATE_MESSAGE, delay=3)  # Discord hangs
    delivering: Delivering = await start_sender(shutdown_seconds=0.3)  # type: ignore[misc]
    await delivering.enqueue(Delivery.post("stuck", channel.id, {"content": "hello"}))
    await wait_for_state(services, "stuck", DeliveryState.SENDING)
    await asyncio.sleep(0.1)  # the request is now hanging inside the sandbox
    loop = asyncio.get_running_loop()
    started = loop.time()
    await delivering.sender.stop()
    assert loop.time() - started < 2
    async with services.db.read() as uow:
        assert await uow.outbox.state_of("stuck") == (DeliveryState.QUEUED, None)


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

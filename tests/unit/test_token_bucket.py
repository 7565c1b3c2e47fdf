"""The delivery token bucket on a fake clock: its spacing and budget, with no real waiting."""

from __future__ import annotations

import asyncio

from bot.delivery.bucket import TokenBucket


class FakeTime:
    """A monotonic clock that only moves when the bucket sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def bucket(rate: float, burst: int, clock: FakeTime) -> TokenBucket:
    return TokenBucket(rate, burst=burst, monotonic=clock.monotonic, sleep=clock.sleep)


async def grant_times(b: TokenBucket, clock: FakeTime, n: int) -> list[float]:
    times = []
    for _ in range(n):
        await b.acquire()
        times.append(round(clock.now - 100.0, 9))
    return times


async def test_requests_are_spaced_evenly_after_the_burst() -> None:
    clock = FakeTime()
    times = await grant_times(bucket(4.0, 2, clock), clock, 6)
    assert times == [0.0, 0.0, 0.25, 0.5, 0.75, 1.0]


async def test_no_one_second_window_exceeds_rate_plus_burst() -> None:
    clock = FakeTime()
    times = await grant_times(bucket(10.0, 1, clock), clock, 50)
    in_any_second = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert in_any_second == 10
    assert times[-1] == 4.9


async def test_idle_time_refills_only_up_to_the_burst() -> None:
    clock = FakeTime()
    b = bucket(2.0, 3, clock)
    await grant_times(b, clock, 3)
    clock.now += 60.0  # a long pause does not bank sixty seconds of tokens
    times = await grant_times(b, clock, 5)
    assert times == [60.0, 60.0, 60.0, 60.5, 61.0]


async def test_pause_holds_every_caller_until_it_ends() -> None:
    clock = FakeTime()
    b = bucket(100.0, 5, clock)
    b.pause(2.0)
    times = await grant_times(b, clock, 2)
    assert times == [2.0, 2.0]


async def test_concurrent_callers_are_served_in_turn() -> None:
    clock = FakeTime()
    b = bucket(5.0, 1, clock)
    order: list[int] = []

    async def take(n: int) -> None:
        await b.acquire()
        order.append(n)

    await asyncio.gather(*(take(n) for n in range(4)))
    assert order == [0, 1, 2, 3]
    assert round(clock.now - 100.0, 9) == 0.6

"""Crash safety of the SQLite settings: a process crash (SIGKILL) and a simulated power loss.

    python bench/bench_crash_safety.py [--kills 200] [--points 100] [--quick]

1. Process crash. A writer commits one row per transaction through ``Database.transaction``
   (WAL) and prints each row's id only after its commit returned; it is SIGKILLed at random
   points, then the database is reopened: the integrity check must pass and every printed id
   must be there. Run with synchronous=FULL (the bot's setting) and with synchronous=OFF beside
   it. SIGKILL leaves the kernel's page cache intact, so written-but-unsynced data survives: the
   two settings come out the same, and this part proves WAL survives a *process* crash only.

2. Power loss (needs ``pip install apsw``; skipped with a note otherwise). The same one-row
   commits run through a shim VFS that keeps, per file, a "durable" image that takes a write
   only when SQLite fsyncs that file (xSync). At random write/sync calls the durable images of
   the database and its WAL are written out as the disk after a power cut and checked with the
   stdlib sqlite3: integrity, and every row whose COMMIT had returned. Two disks per point: one
   that loses every unsynced write, and one that keeps a random half of them (writes between two
   fsyncs may reach the platter in any order). Simplifications: file creation and the -shm file
   are not modelled (SQLite rebuilds the -shm from the WAL), and each write is atomic (no torn
   sectors). apsw bundles its own SQLite build; the pragmas are the bot's (WAL, busy_timeout,
   synchronous), set here by hand because apsw does not go through ``Database``.

Prints a table; asserts nothing. ``--quick`` (or BENCH_QUICK=1) runs about a tenth of it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from bot.storage.database import BUSY_TIMEOUT_MS, Database
from bot.storage.schema.settings import guild_channels

WRITER = """
import asyncio, sys
from datetime import UTC, datetime
from bot.storage.database import Database
from bot.storage.schema.settings import guild_channels

async def main(url, first, synchronous):
    db = await Database.open(url, synchronous=synchronous)
    n = first
    while True:
        async with db.transaction() as uow:
            await uow.conn.execute(guild_channels.insert().values(
                guild_id=n, purpose="introductions", channel_id=n, updated_at=datetime.now(UTC)))
        print(n, flush=True)
        n += 1

asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
"""


@dataclass
class Tally:
    model: str
    synchronous: str
    points: int = 0
    intact: int = 0
    confirmed: int = 0
    lost: int = 0
    points_with_loss: int = 0

    def add(self, integrity_ok: bool, confirmed: int, lost: int) -> None:
        self.points += 1
        self.intact += integrity_ok
        self.confirmed += confirmed
        self.lost += lost
        self.points_with_loss += lost > 0

    def row(self) -> str:
        return (
            f"| {self.model} | {self.synchronous} | {self.points} | {self.intact}/{self.points} "
            f"| {self.confirmed} | {self.lost} | {self.points_with_loss} |"
        )


async def new_database(scratch: Path, name: str) -> Path:
    path = scratch / name
    db = await Database.open(f"sqlite+aiosqlite:///{path}")
    await db.migrate()
    await db.close()
    return path


# -- 1. process crash ---------------------------------------------------------------------------


async def one_kill(url: str, first: int, synchronous: str, rng: random.Random) -> list[int]:
    """Start a writer, let it commit for a random while, SIGKILL it; the ids it confirmed."""
    writer = await asyncio.create_subprocess_exec(
        sys.executable, "-c", WRITER, url, str(first), synchronous, stdout=asyncio.subprocess.PIPE
    )
    assert writer.stdout is not None
    confirmed: list[int] = []
    first_line = await asyncio.wait_for(writer.stdout.readline(), 30)  # started and writing
    confirmed.append(int(first_line))
    deadline = time.monotonic() + rng.uniform(0.05, 0.6)  # counted from the first commit
    while time.monotonic() < deadline:
        try:
            line = await asyncio.wait_for(writer.stdout.readline(), deadline - time.monotonic())
        except TimeoutError:
            break
        if not line:
            break
        confirmed.append(int(line))
    writer.send_signal(signal.SIGKILL)
    rest, _ = await writer.communicate()  # lines printed before the kill landed
    confirmed.extend(int(x) for x in rest.split())
    return confirmed


async def process_crashes(scratch: Path, synchronous: str, kills: int, seed: int) -> Tally:
    rng = random.Random(seed)
    url = f"sqlite+aiosqlite:///{await new_database(scratch, f'kill-{synchronous}.sqlite3')}"
    tally = Tally("SIGKILL (process crash)", synchronous)
    next_id = 0
    started = time.perf_counter()
    for kill in range(1, kills + 1):
        confirmed = await one_kill(url, next_id, synchronous, rng)
        db = await Database.open(url)  # the writer lock is free again once the process died
        try:
            integrity_ok = await db.integrity_check() == "ok"
            async with db.read() as uow:
                present = set((await uow.conn.execute(select(guild_channels.c.guild_id))).scalars())
                top = (await uow.conn.execute(select(func.max(guild_channels.c.guild_id)))).scalar()
        finally:
            await db.close()
        next_id = 1 + (top or 0)
        tally.add(integrity_ok, len(confirmed), sum(1 for i in confirmed if i not in present))
        if kill % 50 == 0:
            print(
                f"  {synchronous}: {kill} kills, {time.perf_counter() - started:.0f} s", flush=True
            )
    return tally


# -- 2. simulated power loss --------------------------------------------------------------------


@dataclass
class DiskImage:
    """What one file holds on the platter: ``durable``, plus writes not yet fsynced."""

    durable: bytearray
    pending: list[tuple[int, bytes | None]] = field(default_factory=list)  # None data: truncate

    @staticmethod
    def apply(image: bytearray, offset: int, data: bytes | None) -> None:
        if data is None:
            del image[offset:]
            return
        if len(image) < offset:
            image.extend(bytes(offset - len(image)))
        image[offset : offset + len(data)] = data

    def sync(self) -> None:
        for offset, data in self.pending:
            self.apply(self.durable, offset, data)
        self.pending.clear()

    def after_power_cut(self, keep: Callable[[], bool]) -> bytes:
        image = bytearray(self.durable)
        for offset, data in self.pending:
            if keep():
                self.apply(image, offset, data)
        return bytes(image)


def power_loss_run(
    path: Path, synchronous: str, commits: int, points: int, seed: int
) -> tuple[Tally, Tally]:
    """Commit ``commits`` rows through the shim VFS, checking ``points`` power cuts on the way."""
    import apsw  # optional: only this part needs it

    rng = random.Random(seed)
    scratch = path.parent
    disks: dict[str, DiskImage] = {}
    lose_all = Tally("power cut, every unsynced write lost", synchronous)
    lose_half = Tally("power cut, random half of unsynced writes lost", synchronous)
    state = {"confirmed": 0, "chance": 0.0, "ops": 0}

    def check_power_cut() -> None:
        for tally, keep in ((lose_all, lambda: False), (lose_half, lambda: rng.random() < 0.5)):
            cut = scratch / f"cut-{synchronous}"
            cut.mkdir(exist_ok=True)
            for name, disk in disks.items():
                (cut / Path(name).name).write_bytes(disk.after_power_cut(keep))
            integrity_ok, present = inspect(cut / path.name)
            confirmed = state["confirmed"]
            tally.add(integrity_ok, confirmed, sum(1 for i in range(confirmed) if i not in present))
            for leftover in cut.iterdir():
                leftover.unlink()

    def after_io() -> None:
        state["ops"] += 1
        if lose_all.points < points and rng.random() < state["chance"]:
            check_power_cut()

    class ShimFile(apsw.VFSFile):  # type: ignore[misc]
        def __init__(self, name: str, flags: list[int]) -> None:
            super().__init__("", name, flags)
            on_disk = Path(name)
            content = on_disk.read_bytes() if on_disk.exists() else b""
            self.disk = disks.setdefault(name, DiskImage(bytearray(content)))

        def xWrite(self, data: bytes, offset: int) -> None:
            super().xWrite(data, offset)
            self.disk.pending.append((offset, bytes(data)))
            after_io()

        def xTruncate(self, newsize: int) -> None:
            super().xTruncate(newsize)
            self.disk.pending.append((newsize, None))
            after_io()

        def xSync(self, flags: int) -> None:
            super().xSync(flags)
            self.disk.sync()
            after_io()

    class ShimVFS(apsw.VFS):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(vfs_name, "")

        def xOpen(self, name: object, flags: list[int]) -> ShimFile:
            filename = name.filename() if isinstance(name, apsw.URIFilename) else str(name)
            return ShimFile(filename, flags)

    vfs_name = f"powercut-{synchronous}"
    vfs = ShimVFS()
    conn = apsw.Connection(str(path), vfs=vfs_name)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    warm_up = min(100, commits // 10)
    for n in range(commits):
        if n == warm_up:  # spread the cut points evenly over the remaining calls
            per_commit = state["ops"] / warm_up
            state["chance"] = points / (per_commit * (commits - warm_up))
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO guild_channels (guild_id, purpose, channel_id, updated_at) "
            "VALUES (?, 'introductions', ?, '2026-12-01 00:00:00.000000')",
            (n, n),
        )
        conn.execute("COMMIT")
        state["confirmed"] = n + 1
    conn.close()
    vfs.unregister()
    return lose_all, lose_half


def inspect(database: Path) -> tuple[bool, set[int]]:
    """Open what the disk held after the cut the way a restarted bot would: intact? which rows?"""
    conn = sqlite3.connect(database)
    try:
        integrity_ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        try:
            present = {row[0] for row in conn.execute("SELECT guild_id FROM guild_channels")}
        except sqlite3.DatabaseError:  # the table itself is unreadable
            present = set()
        return integrity_ok, present
    except sqlite3.DatabaseError:  # not even a database any more
        return False, set()
    finally:
        conn.close()


def apsw_available() -> bool:
    try:
        import apsw  # noqa: F401
    except ImportError:
        return False
    return True


async def bench(kills: int, points: int, commits: int, seed: int) -> None:
    rows: list[Tally] = []
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        started = time.perf_counter()
        for synchronous in ("FULL", "OFF"):
            rows.append(await process_crashes(scratch, synchronous, kills, seed))
        if apsw_available():
            for synchronous in ("FULL", "NORMAL", "OFF"):
                path = await new_database(scratch, f"power-{synchronous}.sqlite3")
                rows.extend(power_loss_run(path, synchronous, commits, points, seed))
        elapsed = time.perf_counter() - started
    print(f"crash safety: one-row commits, WAL; {elapsed:.0f} s on {os.cpu_count()} cores")
    print(
        "| crash | synchronous | crash points | integrity ok | confirmed rows checked "
        "| committed rows lost | points with a loss |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for tally in rows:
        print(tally.row())
    print("rows checked: at each point, every row whose commit had returned, summed over points")
    if not apsw_available():
        print("power loss not simulated: `pip install apsw` for the shim VFS it needs")


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--kills", type=int, default=200, help="SIGKILLs per synchronous setting")
    cli.add_argument("--points", type=int, default=100, help="power cuts per synchronous setting")
    cli.add_argument("--commits", type=int, default=3000, help="commits per power-loss run")
    cli.add_argument("--seed", type=int, default=1)
    cli.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK") == "1")
    args = cli.parse_args()
    if args.quick:
        args.kills, args.points, args.commits = 20, 20, 600
    asyncio.run(bench(args.kills, args.points, args.commits, args.seed))

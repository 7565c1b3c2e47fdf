"""Autocomplete latency: ``TagService.complete`` on a 500-tag vocabulary with aliases.

    python bench/bench_autocomplete.py [--rounds 20000]

Builds a real migrated SQLite database in a temp dir, fills one server with the PT preset plus
synthetic tags up to the 500-tag limit (two aliases each), then times the service call for a mix
of what members type: empty, 1–3 letter prefixes, aliases, whole names and typos. The first call
builds the in-memory index; it is reported separately ("cold"). Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.clock import SystemClock
from bot.domain.errors import DomainError
from bot.services import Services
from bot.storage.database import Database

GUILD = 1
MOD = 2
_WORDS = (
    "manual spine knee hip shoulder ankle gait balance pain vestibular concussion running "
    "cycling dance golf tennis stroke spinal cord parkinson amputee prosthetic orthotic "
    "lymphedema burn trauma icu telehealth ergonomics industrial pelvic pregnancy postpartum "
    "youth adolescent aging falls dementia cardiac pulmonary oncology wound aquatic dry needling "
    "blood flow restriction strength conditioning mobility posture headache jaw tmj hand wrist "
    "elbow foot"
)
WORDS = _WORDS.split()


async def build(db: Database) -> Services:
    services = Services.build(db, SystemClock())
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    rng = random.Random(5)
    existing = len(await services.vocabulary.index(GUILD))
    made: set[str] = set()
    while existing + len(made) < 500:
        name = " ".join(rng.sample(WORDS, 2)).title()
        if name.lower() in made:
            continue
        try:
            await services.vocabulary.add_tag(GUILD, name, actor_id=MOD)
        except DomainError:  # a name the preset already holds as a tag or alias
            continue
        made.add(name.lower())
        for alias in (name.replace(" ", ""), "".join(w[:3] for w in name.split())):
            with contextlib.suppress(DomainError):  # an abbreviation already in use
                await services.vocabulary.add_alias(GUILD, name, alias, actor_id=MOD)
    return services


def queries(services: Services, rng: random.Random) -> list[str]:
    index = services.vocabulary.indexes._indexes[
        GUILD
    ]  # the benchmark peeks to pick realistic input
    names = [t.name for t in index.tags]
    aliases = [a.name for a in index.aliases]
    picked: list[str] = [""]
    for _ in range(400):
        name = rng.choice(names)
        typo = list(name.lower())
        if len(typo) > 4:
            i = rng.randrange(len(typo) - 1)
            typo[i], typo[i + 1] = typo[i + 1], typo[i]
        picked += [
            name[:1],
            name[:2].lower(),
            name[:3].lower(),
            rng.choice(aliases),
            name,
            "".join(typo),
        ]
    return picked


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        db = await Database.open(f"sqlite+aiosqlite:///{Path(scratch) / 'bench.sqlite3'}")
        try:
            await db.migrate()
            services = await build(db)
            services.vocabulary.invalidate(GUILD)
            started = time.perf_counter()
            await services.vocabulary.complete(GUILD, "or")
            cold_ms = (time.perf_counter() - started) * 1000
            index = services.vocabulary.indexes._indexes[GUILD]
            inputs = queries(services, random.Random(7))
            kinds: dict[str, list[float]] = {"all": []}
            for n in range(rounds):
                text = inputs[n % len(inputs)]
                started = time.perf_counter()
                await services.vocabulary.complete(GUILD, text)
                elapsed = (time.perf_counter() - started) * 1000
                kinds["all"].append(elapsed)
                kind = "empty" if not text else "prefix ≤3" if len(text) <= 3 else "longer/typo"
                kinds.setdefault(kind, []).append(elapsed)
        finally:
            await db.close()
    print(f"Autocomplete on {len(index.tags)} tags + {len(index.aliases)} aliases, ", end="")
    print(f"{rounds} calls, {os.cpu_count()} cores; index build (cold): {cold_ms:.2f} ms")
    print(f"{'input':<14}{'calls':>8}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for kind, values in kinds.items():
        print(
            f"{kind:<14}{len(values):>8}{statistics.median(values):>10.3f}"
            f"{percentile(values, 0.99):>10.3f}{max(values):>10.3f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20_000)
    asyncio.run(main(parser.parse_args().rounds))

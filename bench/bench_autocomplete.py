"""Autocomplete latency: ``VocabularyService.complete`` on a 500-tag vocabulary with aliases.

    python bench/bench_autocomplete.py [--rounds 20000]

Builds a real migrated SQLite database in a temp dir, fills one server with the PT preset plus
synthetic tags up to the 500-tag limit (two aliases each), then times the service call for a mix
of what members type: empty, 1–3 letter prefixes, aliases, whole names and typos. The first call
builds the in-memory index; it is reported separately ("cold").

Beside the warm index it times two paths that touch the database:

* ``MemberTagService.complete_mine`` (``/tags remove``): the member's own tags are read from the
  database on every keystroke, then matched on the warm index; a member holding 25 tags (the
  most a member can hold), same inputs;
* the rebuild after a vocabulary change: a moderator adds or removes an alias (the service
  invalidates the index), then the first ``complete`` reloads and rebuilds it; only that first
  call is timed, 50 times.

Prints a table; asserts nothing. ``--quick`` (or BENCH_QUICK=1) makes 2,000 calls of each.
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
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.clock import SystemClock
from bot.domain.errors import DomainError
from bot.domain.tags import MAX_TAGS_PER_MEMBER
from bot.services import Services
from bot.storage.database import Database

GUILD = 1
MOD = 2
MEMBER = 3
REBUILDS = 50
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


async def queries(tags: Services, rng: random.Random) -> list[str]:
    index = await tags.vocabulary.index(
        GUILD
    )  # the benchmark reads the vocabulary to pick realistic input
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


def kind_of(text: str) -> str:
    return "empty" if not text else "prefix ≤3" if len(text) <= 3 else "longer/typo"


async def time_calls(
    call: Callable[[str], Awaitable[object]], inputs: list[str], rounds: int, label: str
) -> dict[str, list[float]]:
    kinds: dict[str, list[float]] = {label: []}
    for n in range(rounds):
        text = inputs[n % len(inputs)]
        started = time.perf_counter()
        await call(text)
        elapsed = (time.perf_counter() - started) * 1000
        kinds[label].append(elapsed)
        kinds.setdefault(f"  {label.split()[0]}, {kind_of(text)}", []).append(elapsed)
    return kinds


async def hold_tags(tags: Services, how_many: int) -> None:
    """The member picks ``how_many`` tags, as /tags add would."""
    index = await tags.vocabulary.index(GUILD)
    for tag in index.tags[:how_many]:
        await tags.member_tags.add_member_tag(GUILD, MEMBER, tag.name)


async def time_rebuilds(tags: Services, times: int) -> list[float]:
    """A vocabulary write (alias added or removed), then the timed first query."""
    index = await tags.vocabulary.index(GUILD)
    aliases_of = {t.id: sum(a.tag_id == t.id for a in index.aliases) for t in index.tags}
    target = min(index.tags, key=lambda t: aliases_of[t.id]).name  # room for one more alias
    rebuilds: list[float] = []
    for n in range(times):
        if n % 2 == 0:
            await tags.vocabulary.add_alias(GUILD, target, "Bench Alias", actor_id=MOD)
        else:
            await tags.vocabulary.remove_alias(GUILD, "Bench Alias", actor_id=MOD)
        started = time.perf_counter()
        await tags.vocabulary.complete(GUILD, "or")
        rebuilds.append((time.perf_counter() - started) * 1000)
    return rebuilds


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        db = await Database.open(f"sqlite+aiosqlite:///{Path(scratch) / 'bench.sqlite3'}")
        try:
            await db.migrate()
            tags: Services = await build(db)
            tags.vocabulary.indexes.invalidate(GUILD)
            started = time.perf_counter()
            await tags.vocabulary.complete(GUILD, "or")
            cold_ms = (time.perf_counter() - started) * 1000
            index = await tags.vocabulary.index(GUILD)
            inputs = await queries(tags, random.Random(7))
            await hold_tags(tags, MAX_TAGS_PER_MEMBER)
            timings = await time_calls(
                lambda text: tags.vocabulary.complete(GUILD, text),
                inputs,
                rounds,
                "complete (warm)",
            )
            timings |= await time_calls(
                lambda text: tags.member_tags.complete_mine(GUILD, MEMBER, text),
                inputs,
                rounds,
                f"complete_mine ({MAX_TAGS_PER_MEMBER} held)",
            )
            timings["rebuild: write, then first complete"] = await time_rebuilds(tags, REBUILDS)
        finally:
            await db.close()
    print(f"Autocomplete on {len(index.tags)} tags + {len(index.aliases)} aliases, ", end="")
    print(f"{rounds} calls each, {os.cpu_count()} cores; index build (cold): {cold_ms:.2f} ms")
    print(f"{'input':<40}{'calls':>8}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for kind, values in timings.items():
        print(
            f"{kind:<40}{len(values):>8}{statistics.median(values):>10.3f}"
            f"{percentile(values, 0.99):>10.3f}{max(values):>10.3f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20_000)
    parser.add_argument(
        "--quick", action="store_true", default=os.environ.get("BENCH_QUICK") == "1"
    )
    args = parser.parse_args()
    asyncio.run(main(2_000 if args.quick else args.rounds))

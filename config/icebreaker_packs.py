"""Built-in icebreaker packs shipped as data in ``config/presets/icebreakers/<name>.json``.

Read on demand (nothing happens at import time) and validated on load, so a malformed pack fails
loudly in tests rather than posting a broken or pinging prompt into a server. A pack file is
``{"name": ..., "title": ..., "description": ..., "prompts": [...]}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.domain.text import clean_free_text, could_ping

PACK_DIR = Path(__file__).parent / "presets" / "icebreakers"
MIN_PROMPTS = 40
# The same limit as a member's `/icebreaker suggest` and a moderator's `add-prompt`.
MAX_PROMPT_LENGTH = 300


@dataclass(frozen=True)
class IcebreakerPack:
    name: str
    title: str
    description: str
    prompts: tuple[str, ...]


def available_icebreaker_packs(directory: Path = PACK_DIR) -> list[str]:
    """The pack names, e.g. ``["general", "networking", "pt-clinicians", "pt-students"]``."""
    return sorted(path.stem for path in directory.glob("*.json"))


@lru_cache(maxsize=16)
def load_icebreaker_pack(name: str, directory: Path = PACK_DIR) -> IcebreakerPack:
    """The named pack; ``LookupError`` if there is none, ``ValueError`` if it is malformed."""
    available = available_icebreaker_packs(directory)
    if name not in available:
        raise LookupError(
            f"no icebreaker pack {name!r}; available: {', '.join(available) or 'none'}"
        )
    try:
        data = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        return _pack_from_dict(name, data)
    except ValueError as exc:  # json.JSONDecodeError is a ValueError too
        raise ValueError(f"icebreaker pack {name!r} is malformed: {exc}") from exc


def _pack_from_dict(name: str, data: Any) -> IcebreakerPack:
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    if data.get("name") != name:
        raise ValueError(f"its name {data.get('name')!r} does not match the file name")
    prompts = data.get("prompts")
    if not isinstance(prompts, list):
        raise ValueError("prompts must be a list of strings")
    return IcebreakerPack(
        name=name,
        title=_checked_text("title", data.get("title")),
        description=_checked_text("description", data.get("description")),
        prompts=_checked_prompts(prompts),
    )


def _checked_prompts(prompts: list[Any]) -> tuple[str, ...]:
    if len(prompts) < MIN_PROMPTS:
        raise ValueError(f"it has {len(prompts)} prompts, at least {MIN_PROMPTS} are needed")
    seen: dict[str, int] = {}
    for number, prompt in enumerate(prompts, start=1):
        text = _checked_text(f"prompt {number}", prompt)
        if len(text) > MAX_PROMPT_LENGTH:
            raise ValueError(
                f"prompt {number} is {len(text)} characters, the limit is {MAX_PROMPT_LENGTH}"
            )
        key = prompt_key(text)
        if key in seen:
            raise ValueError(f"prompt {number} repeats prompt {seen[key]}")
        seen[key] = number
    return tuple(prompts)


def _checked_text(field: str, value: Any) -> str:
    """A non-empty string that is already clean and cannot ping anyone when posted."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{field} must be a non-empty string")
    if could_ping(value):
        raise ValueError(f"{field} could ping someone: {value!r}")
    if clean_free_text(value) != value:
        # Hidden characters, stray whitespace or mention syntax: fix the file, not the text.
        raise ValueError(f"{field} is not clean text: {value!r}")
    return value


def prompt_key(text: str) -> str:
    """What makes two prompts the same: case and spacing do not count."""
    return " ".join(text.casefold().split())

"""Tag vocabularies shipped as data in ``config/presets/tags/<name>.json``.

Read on demand (nothing happens at import time) and validated with the same rules moderators
follow, so a malformed preset fails loudly in tests rather than half-applying in a server.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from bot.domain.tags import TagPreset

PRESET_DIR = Path(__file__).parent / "presets" / "tags"


def available_tag_presets(directory: Path = PRESET_DIR) -> list[str]:
    """The preset names, e.g. ``["general", "pt"]``."""
    return sorted(path.stem for path in directory.glob("*.json"))


@lru_cache(maxsize=16)
def load_tag_preset(name: str, directory: Path = PRESET_DIR) -> TagPreset:
    """The named preset; ``LookupError`` if there is none, ``ValueError`` if it is malformed."""
    if name not in available_tag_presets(directory):
        raise LookupError(name)
    data = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
    return TagPreset.from_dict(name, data)

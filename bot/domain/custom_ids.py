"""Custom ids of persistent components, each defined once (ARCHITECTURE rule 10).

A button's custom id is written by whoever sends the message (a service's message builder, as
plain JSON, or a cog's view) and read back by the cog's ``DynamicItem`` on every click, after a
restart too. One ``CustomId`` gives both sides, so they cannot drift: ``build`` writes an id and
``template`` is the regex the ``DynamicItem`` is registered with. Ids already sent to Discord
live on in old messages, so a spec's format never changes once released.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

DIGITS = r"\d+"
PAGE_STEP = "older|newer"
MAX_LENGTH = 100  # Discord's limit on a custom id


class CustomId:
    """``prefix:field:field…``; each field is a regex for its part.

    ``CustomId("intro:withdraw", id=DIGITS)`` builds ``intro:withdraw:7`` and parses it back
    into ``{"id": "7"}``.
    """

    def __init__(self, prefix: str, **fields: str) -> None:
        self.prefix = prefix
        self.fields: Mapping[str, str] = dict(fields)
        parts = [re.escape(prefix), *(f"(?P<{name}>{rx})" for name, rx in fields.items())]
        self.template = ":".join(parts)
        self._compiled = re.compile(self.template)

    def build(self, *values: object) -> str:
        """The id for ``values``, one per field in order; refuses one that would not parse."""
        if len(values) != len(self.fields):
            raise ValueError(f"{self.prefix} takes {len(self.fields)} values, got {len(values)}")
        custom_id = ":".join([self.prefix, *(str(v) for v in values)])
        if len(custom_id) > MAX_LENGTH or self.parse(custom_id) is None:
            raise ValueError(f"{custom_id!r} is not a valid {self.prefix} id")
        return custom_id

    def parse(self, custom_id: str) -> dict[str, str] | None:
        """The fields of ``custom_id``, or None when it is not one of these."""
        match = self._compiled.fullmatch(custom_id)
        return match.groupdict() if match else None

    def __repr__(self) -> str:
        return f"CustomId({self.template!r})"

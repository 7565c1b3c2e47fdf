"""Small renderers that more than one feature uses (public: any cog may import them)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.tags import CategoryTags


def grouped_lines(groups: Sequence[CategoryTags]) -> str:
    """A member's tags, one line per category: ``**Category**: A, B``."""
    return "\n".join(
        f"**{group.category}**: {', '.join(t.name for t in group.tags)}" for group in groups
    )

"""What a cog with persistent components needs: their registration while it is loaded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from discord import ui

if TYPE_CHECKING:
    from bot.client import SigBot


class WithComponents:
    """Mixin for a cog: its ``DynamicItem``s answer clicks, old messages' too, while it is loaded.

    ``class TagsCog(kit.WithComponents, commands.GroupCog, …)`` with ``components = (…)``.
    """

    bot: SigBot
    components: ClassVar[Sequence[type[ui.DynamicItem[Any]]]] = ()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*self.components)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*self.components)

"""The one registration point for feature admin groups under /setup.

A feature's extension calls :func:`add_setup_group` in its ``setup`` (and
:func:`remove_setup_group` in ``teardown``), so /setup grows a ``/setup <feature>`` group while
``cogs.setup`` imports no feature. ``cogs.setup`` loads first (the core manifest in
``bot.features`` lists it before every feature).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from discord import app_commands

if TYPE_CHECKING:
    from bot.client import SigBot

SETUP = "setup"


def _setup_group(bot: SigBot) -> app_commands.Group:
    group = bot.tree.get_command(SETUP)
    if not isinstance(group, app_commands.Group):
        raise RuntimeError("load cogs.setup before the features that add /setup groups")
    return group


def add_setup_group(
    bot: SigBot, group: app_commands.Group | app_commands.Command[Any, ..., Any]
) -> None:
    """Attach ``group`` (or a single command) as ``/setup <name>``; it inherits Manage Server
    and guild-only."""
    _setup_group(bot).add_command(group)


def remove_setup_group(bot: SigBot, name: str) -> None:
    group = bot.tree.get_command(SETUP)
    if isinstance(group, app_commands.Group):
        group.remove_command(name)

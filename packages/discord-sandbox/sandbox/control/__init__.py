"""The control API: act as members (``Actor``) and read how the bot answered (``Interaction``).

``server.actor(member)`` (or ``Actor(server.context, member)``) runs slash commands,
autocomplete, context menus, clicks, selects and modals as that member. Each action builds the
INTERACTION_CREATE payload Discord would send (from the command definitions the bot
registered), dispatches it over the gateway and returns an :class:`Interaction`.
"""

from sandbox.control.actor import Actor
from sandbox.control.commands import find_command
from sandbox.control.errors import CommandNotAvailable, CommandNotFound, SandboxUsageError
from sandbox.control.interaction import Interaction

__all__ = [
    "Actor",
    "CommandNotAvailable",
    "CommandNotFound",
    "Interaction",
    "SandboxUsageError",
    "find_command",
]

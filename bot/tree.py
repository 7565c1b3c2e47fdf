"""The one place where errors become messages (ARCHITECTURE rule 5).

Domain errors carry their own friendly sentence. Anything unexpected is logged with its
traceback and the member gets a short apology, through whichever of response or followup is
still possible, so nobody ever sees "The application did not respond".
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import discord
from discord import app_commands

from bot.domain.errors import DomainError
from bot.responding import AUTO_DEFER_SECONDS, TooLateForAForm, arm_auto_defer, respond

log = logging.getLogger(__name__)

GENERIC_FAILURE = (
    "Something went wrong on my side and nothing was changed. Please try again in a moment; "
    "if it keeps happening, tell a moderator."
)
TOO_LATE_FOR_A_FORM = (
    "That took me longer than usual, so I could not open the form. Please try again."
)
PERMISSION_WORDS = {"manage_guild": "Manage Server"}


def permission_names(names: list[str]) -> str:
    return ", ".join(PERMISSION_WORDS.get(n, n.replace("_", " ").title()) for n in names)


async def safe_reply(interaction: discord.Interaction[Any], content: str) -> None:
    """Reply ephemerally by response if still open, else by followup; never raise."""
    try:
        await respond(interaction, content)
    except discord.HTTPException:
        log.warning("Could not tell user %s about an error", interaction.user.id, exc_info=True)


def auto_defer_seconds(interaction: discord.Interaction[Any]) -> float:
    """The bot's auto-defer delay (its tree's setting; tests scale it down)."""
    tree = getattr(interaction.client, "tree", None)
    return float(getattr(tree, "auto_defer_seconds", AUTO_DEFER_SECONDS))


@asynccontextmanager
async def friendly_errors(interaction: discord.Interaction[Any]) -> AsyncIterator[None]:
    """Wrap a component or modal callback: they bypass the tree's ``on_error``, same rule here.

    A callback still working after the auto-defer delay is deferred, as commands are. Domain
    errors reach the member as their own sentence; anything else is logged with its
    traceback and answered with the generic apology, by response or followup.
    """
    arm_auto_defer(interaction, auto_defer_seconds(interaction))
    try:
        yield
    except DomainError as error:
        await safe_reply(interaction, error.message)
    except TooLateForAForm:
        await safe_reply(interaction, TOO_LATE_FOR_A_FORM)
    except Exception:
        data: dict[str, Any] = dict(interaction.data or {})
        log.exception(
            "Unexpected error in component %s (guild %s, user %s)",
            data.get("custom_id", "?"),
            interaction.guild_id,
            interaction.user.id,
        )
        await safe_reply(interaction, GENERIC_FAILURE)


def message_for(error: app_commands.AppCommandError) -> str | None:
    """The friendly text for an expected error, or None when it is a bug."""
    original = getattr(error, "original", error)
    if isinstance(original, DomainError):
        return original.message
    if isinstance(original, TooLateForAForm):
        return TOO_LATE_FOR_A_FORM
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need the {permission_names(error.missing_permissions)} permission for this."
    if isinstance(error, app_commands.BotMissingPermissions):
        return (
            f"I am missing the {permission_names(error.missing_permissions)} permission here. "
            "A moderator can fix this in the server or channel settings."
        )
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command works in a server, not in DMs."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.TransformerError):
        return f"I could not understand {error.value!r}. Please pick one of the suggestions."
    if isinstance(error, app_commands.CheckFailure):
        return "You cannot use this command here."
    return None


def missing_member_permissions(interaction: discord.Interaction[Any]) -> list[str]:
    """Re-check a command's default member permissions at run time.

    Server admins can override who sees a command; the rule for moderator commands still holds.
    """
    command = interaction.command
    if command is None or interaction.guild is None:
        return []
    root = command.root_parent or command if isinstance(command, app_commands.Command) else command
    required = root.default_permissions
    if required is None:
        return []
    granted = interaction.permissions
    return [name for name, needed in required if needed and not getattr(granted, name)]


class AppCommandTree(app_commands.CommandTree[Any]):
    # Deferred when still working after this long (Discord allows 3 s); tests scale it down.
    auto_defer_seconds: float = AUTO_DEFER_SECONDS
    # Awaited before every command runs, once the auto-defer is armed (the bot learns names
    # there, so the command's own work already sees them).
    before_command: Callable[[discord.Interaction[Any]], Awaitable[None]] | None = None

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        missing = missing_member_permissions(interaction)
        if not missing:
            if interaction.type is discord.InteractionType.application_command:
                # a slow database must not kill the interaction
                arm_auto_defer(interaction, self.auto_defer_seconds)
                if self.before_command is not None:
                    await self.before_command(interaction)
            return True
        if interaction.type is discord.InteractionType.application_command:
            await safe_reply(
                interaction, f"You need the {permission_names(missing)} permission for this."
            )
        return False

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError, /
    ) -> None:
        friendly = message_for(error)
        if friendly is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error(
                "Unexpected error in /%s (guild %s, user %s)",
                command,
                interaction.guild_id,
                interaction.user.id,
                exc_info=error,
            )
            friendly = GENERIC_FAILURE
        await safe_reply(interaction, friendly)

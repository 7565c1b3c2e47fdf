"""Answering an interaction exactly once and in time, however slow the work behind it is.

Discord kills an interaction that is not acknowledged within 3 seconds. Commands normally answer
in milliseconds, so deferring every one would only add a round trip; instead, when a command is
still working after ``AUTO_DEFER_SECONDS``, the bot defers it ("thinking…") and the eventual
answer goes out as a followup. A per-interaction lock keeps the two from racing.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord

log = logging.getLogger(__name__)

AUTO_DEFER_SECONDS = 2.0
_LOCK = "sigbot.respond_lock"


class TooLateForAForm(Exception):
    """A modal can only be the first answer; the interaction was already deferred."""


def _lock(interaction: discord.Interaction[Any]) -> asyncio.Lock:
    lock = interaction.extras.get(_LOCK)
    if lock is None:
        lock = interaction.extras[_LOCK] = asyncio.Lock()
    return lock


async def respond(
    interaction: discord.Interaction[Any],
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
    ephemeral: bool = True,
) -> None:
    """Send the answer: the initial response if still possible, else a followup."""
    extra: dict[str, Any] = {}
    if content is not None:
        extra["content"] = content
    if embed is not None:
        extra["embed"] = embed
    if view is not None:
        extra["view"] = view
    if file is not None:
        extra["file"] = file
    async with _lock(interaction):
        if interaction.response.is_done():
            await interaction.followup.send(ephemeral=ephemeral, **extra)
        else:
            await interaction.response.send_message(ephemeral=ephemeral, **extra)


async def respond_with_modal(
    interaction: discord.Interaction[Any], modal: discord.ui.Modal
) -> None:
    async with _lock(interaction):
        if interaction.response.is_done():
            raise TooLateForAForm
        await interaction.response.send_modal(modal)


async def _defer_if_unanswered(interaction: discord.Interaction[Any]) -> None:
    async with _lock(interaction):
        if interaction.response.is_done() or interaction.is_expired():
            return
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except discord.HTTPException:
            log.warning("Could not defer a slow interaction %s", interaction.id, exc_info=True)
        else:
            log.info("Deferred slow interaction %s", interaction.id)


def arm_auto_defer(
    interaction: discord.Interaction[Any], after: float = AUTO_DEFER_SECONDS
) -> asyncio.TimerHandle:
    """Defer ``interaction`` if nothing has answered it ``after`` seconds from now."""
    loop = asyncio.get_running_loop()
    tasks: set[asyncio.Task[None]] = interaction.extras.setdefault("sigbot.tasks", set())

    def fire() -> None:
        task = loop.create_task(_defer_if_unanswered(interaction))
        tasks.add(task)  # keep a reference until it is done
        task.add_done_callback(tasks.discard)

    return loop.call_later(after, fire)

"""Answering an interaction exactly once and in time, however slow the work behind it is.

Discord kills an interaction that is not acknowledged within 3 seconds. Commands normally answer
in milliseconds, so deferring every one would only add a round trip; instead, when a command,
button, menu or form is still working after ``AUTO_DEFER_SECONDS``, the bot defers it and the
eventual answer goes out as a followup (or an edit of the original message). A per-interaction
lock keeps the two from racing.

Component and form callbacks answer with ``interaction.response`` directly; for them
:func:`arm_auto_defer` swaps in a :class:`PatientResponse`, whose answers still land after the
auto-defer went out first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import discord
from discord.utils import MISSING

log = logging.getLogger(__name__)

AUTO_DEFER_SECONDS = 2.0  # Discord's deadline is 3 s; leave room for a slow round trip
_LOCK = "sigbot.respond_lock"
# followup.send has no such parameters; the rest of send_message's map onto it.
_NOT_FOR_FOLLOWUPS = frozenset({"delete_after"})
_NOT_FOR_EDITS = frozenset({"delete_after", "suppress_embeds"})


class TooLateForAForm(Exception):
    """A modal can only be the first answer; the interaction was already deferred."""


class _AnswerLock:
    """One answer at a time per interaction; re-entrant for the task that holds it."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        me = asyncio.current_task()
        if self._owner is not None and self._owner is me:
            yield
            return
        async with self._lock:
            self._owner = me
            try:
                yield
            finally:
                self._owner = None


def _lock(interaction: discord.Interaction[Any]) -> _AnswerLock:
    lock = interaction.extras.get(_LOCK)
    if lock is None:
        lock = interaction.extras[_LOCK] = _AnswerLock()
    return lock


def _given(kwargs: dict[str, Any], dropped: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if k not in dropped and v is not MISSING}


class PatientResponse(discord.InteractionResponse[Any]):
    """``interaction.response`` that still works when the auto-defer answered first.

    After a defer, ``send_message`` becomes a followup and ``edit_message`` an edit of the
    original message; ``defer`` is a no-op; ``send_modal`` raises :class:`TooLateForAForm`.
    """

    async def send_message(self, content: Any = None, **kwargs: Any) -> Any:
        interaction = self._parent
        async with _lock(interaction).held():
            if not self.is_done():
                return await super().send_message(content, **kwargs)
            extra = {k: v for k, v in _given(kwargs, _NOT_FOR_FOLLOWUPS).items() if v is not None}
            if content is not None:
                extra["content"] = content
            return await interaction.followup.send(**extra)

    async def edit_message(self, **kwargs: Any) -> Any:
        interaction = self._parent
        async with _lock(interaction).held():
            if not self.is_done():
                return await super().edit_message(**kwargs)
            return await interaction.edit_original_response(**_given(kwargs, _NOT_FOR_EDITS))

    async def defer(self, *, ephemeral: bool = False, thinking: bool = False) -> Any:
        async with _lock(self._parent).held():
            if self.is_done():
                return None  # the auto-defer already did
            return await super().defer(ephemeral=ephemeral, thinking=thinking)

    async def send_modal(self, modal: discord.ui.Modal, /) -> Any:
        async with _lock(self._parent).held():
            if self.is_done():
                raise TooLateForAForm
            return await super().send_modal(modal)


def _install_patient_response(interaction: discord.Interaction[Any]) -> None:
    # ``Interaction.response`` is a cached slot; fill it before anyone reads it. Once read,
    # the plain response may already hold state, so it is kept.
    if hasattr(interaction, "_cs_response"):
        return
    try:
        interaction._cs_response = PatientResponse(interaction)  # type: ignore[attr-defined]
    except AttributeError:  # a discord.py without that slot: answers keep the plain rules
        log.debug("Cannot install the patient response on interaction %s", interaction.id)


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
    async with _lock(interaction).held():
        if interaction.response.is_done():
            await interaction.followup.send(ephemeral=ephemeral, **extra)
        else:
            await interaction.response.send_message(ephemeral=ephemeral, **extra)


async def respond_with_modal(
    interaction: discord.Interaction[Any], modal: discord.ui.Modal
) -> None:
    async with _lock(interaction).held():
        if interaction.response.is_done():
            raise TooLateForAForm
        await interaction.response.send_modal(modal)


async def _defer_if_unanswered(interaction: discord.Interaction[Any]) -> None:
    async with _lock(interaction).held():
        if interaction.response.is_done() or interaction.is_expired():
            return
        try:
            await interaction.response.defer(**_defer_kind(interaction))
        except discord.HTTPException:
            log.warning("Could not defer a slow interaction %s", interaction.id, exc_info=True)
        else:
            log.info("Deferred slow interaction %s", interaction.id)


def _defer_kind(interaction: discord.Interaction[Any]) -> dict[str, bool]:
    """ "Thinking…" for commands and forms opened by a command; a silent deferred update
    (type 6) for buttons, menus and forms opened from a message, whose answer may edit it."""
    if interaction.type is discord.InteractionType.component or (
        interaction.type is discord.InteractionType.modal_submit and interaction.message
    ):
        return {"thinking": False}
    return {"ephemeral": True, "thinking": True}


def arm_auto_defer(
    interaction: discord.Interaction[Any], after: float = AUTO_DEFER_SECONDS
) -> asyncio.TimerHandle:
    """Defer ``interaction`` if nothing has answered it ``after`` seconds from now."""
    _install_patient_response(interaction)
    loop = asyncio.get_running_loop()
    tasks: set[asyncio.Task[None]] = interaction.extras.setdefault("sigbot.tasks", set())

    def fire() -> None:
        task = loop.create_task(_defer_if_unanswered(interaction))
        tasks.add(task)  # keep a reference until it is done
        task.add_done_callback(tasks.discard)

    return loop.call_later(after, fire)

"""The schedule commands every scheduled feature has under /setup: pause, resume, and remove
after a confirmation, over its service's shared schedule methods
(``bot.services.schedules.RecurringSchedules``). A feature gives its words, its confirm button
and its autocomplete; the commands are built at start-up and added to its /setup group."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import discord
from discord import app_commands

from bot.domain.custom_ids import CustomId
from bot.domain.schedules import RecurringSchedule
from bot.responding import respond
from bot.services import Services
from cogs import kit

Interaction = discord.Interaction[Any]
Choices = Callable[[Interaction, str], Awaitable[list[app_commands.Choice[int]]]]


class _ShownSchedule(Protocol):
    @property
    def schedule(self) -> RecurringSchedule: ...


V = TypeVar("V", bound=_ShownSchedule)


class ScheduleService(Protocol[V]):
    """What the commands need of a feature's schedule service."""

    @property
    def schedules(self) -> Callable[[int], Coroutine[Any, Any, list[V]]]: ...

    @property
    def set_paused(self) -> Callable[..., Coroutine[Any, Any, V]]: ...


@dataclass(frozen=True)
class ScheduleTexts(Generic[V]):
    noun: str  # "icebreaker schedule"
    pause_description: str
    paused: Callable[[V], str]  # after a pause or resume
    remove_question: Callable[[V], str]  # above the confirm button


def schedule_commands(
    service: ScheduleService[V],
    texts: ScheduleTexts[V],
    confirm_view: Callable[[int], discord.ui.View],
    choices: Choices,
) -> list[app_commands.Command[Any, ..., None]]:
    """``pause``, ``resume`` and ``remove`` for one feature's /setup group."""

    async def set_paused(interaction: Interaction, schedule_id: int, paused: bool) -> None:
        view = await service.set_paused(
            kit.guild_id(interaction), schedule_id, paused, actor_id=interaction.user.id
        )
        await respond(interaction, texts.paused(view))

    @app_commands.command(name="pause", description=texts.pause_description)
    @app_commands.rename(schedule_id="id")
    @app_commands.describe(schedule_id="The schedule")
    async def pause(interaction: Interaction, schedule_id: int) -> None:
        await set_paused(interaction, schedule_id, True)

    @app_commands.command(name="resume", description="Start a paused schedule again")
    @app_commands.rename(schedule_id="id")
    @app_commands.describe(schedule_id="The schedule")
    async def resume(interaction: Interaction, schedule_id: int) -> None:
        await set_paused(interaction, schedule_id, False)

    @app_commands.command(name="remove", description="Delete a schedule (asks first)")
    @app_commands.rename(schedule_id="id")
    @app_commands.describe(schedule_id="The schedule")
    async def remove(interaction: Interaction, schedule_id: int) -> None:
        views = await service.schedules(kit.guild_id(interaction))
        found = next((v for v in views if v.schedule.id == schedule_id), None)
        if found is None:
            await respond(interaction, f"There is no {texts.noun} {schedule_id} here.")
            return
        await respond(interaction, texts.remove_question(found), view=confirm_view(schedule_id))

    async def schedule_id(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
        return await choices(interaction, current)

    commands: list[app_commands.Command[Any, ..., None]] = [pause, resume, remove]
    for command in commands:
        command.autocomplete("schedule_id")(schedule_id)
    return commands


def confirm_remove_button(
    spec: CustomId,
    schedules_of: Callable[[Services], Any],
    removed_text: Callable[[Any], str],
) -> type[kit.ConfirmDestructiveButton]:
    """The persistent "Remove schedule" confirm button of one feature: its custom id, its
    schedule service (``services.rounds``, say) and the words once removed."""

    class ConfirmRemoveSchedule(kit.ConfirmDestructiveButton, spec=spec):
        label = "Remove schedule"

        async def destroy(self, interaction: Interaction, guild_id: int) -> str:
            removed = await schedules_of(kit.services(interaction)).remove(
                guild_id, self.record_id, actor_id=interaction.user.id
            )
            return removed_text(removed)

    return ConfirmRemoveSchedule

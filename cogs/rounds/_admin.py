"""/setup rounds …: intro round schedules, attached under /setup (Manage Server)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands

from bot.domain.rounds.rules import DEFAULT_COOLDOWN, MAX_COOLDOWN
from bot.domain.schedules import WEEKDAYS
from bot.responding import respond
from bot.services.rounds.channels import ROUND_CHANNEL_NEEDS
from cogs import kit
from cogs.rendering import channel_check
from cogs.rounds import _render
from cogs.rounds._cog import schedule_choices
from cogs.rounds._views import confirm_remove_view
from cogs.schedules import ScheduleTexts, schedule_commands

if TYPE_CHECKING:
    from bot.client import SigBot

Interaction = discord.Interaction["SigBot"]
TimeText = app_commands.Range[str, 4, 5]
TagText = app_commands.Range[str, 1, 100]
CadenceName = Literal["weekly", "biweekly", "monthly"]
WEEKDAY_CHOICES = [app_commands.Choice(name=day, value=n) for n, day in enumerate(WEEKDAYS)]
TEXTS = ScheduleTexts(
    "intro round schedule",
    "Stop a schedule's rounds for now",
    _render.paused_text,
    _render.confirm_remove_text,
)
SIZE_CHOICES = [
    app_commands.Choice(name="pairs", value=2),
    app_commands.Choice(name="groups of 3", value=3),
]


class RoundsAdmin(app_commands.Group):
    NAME = "rounds"

    def __init__(self, bot: SigBot) -> None:
        super().__init__(name=self.NAME, description="Schedule intro rounds")
        self.rounds = bot.services.rounds
        self.vocabulary = bot.services.vocabulary
        for command in schedule_commands(self.rounds, TEXTS, confirm_remove_view, schedule_choices):
            self.add_command(command)

    @app_commands.command(name="schedule", description="Run intro rounds from a channel")
    @app_commands.describe(
        channel="Where each group's private thread opens",
        cadence="How often",
        weekday="Which day",
        time="Local time, HH:MM (24-hour, the server's time zone)",
        group_size="Pairs (one trio for an odd count) or groups of 3",
        tag="Only members with this tag",
        cooldown="No pair meets again within this many rounds (default 6)",
    )
    @app_commands.choices(weekday=WEEKDAY_CHOICES, group_size=SIZE_CHOICES)
    async def schedule(
        self,
        interaction: Interaction,
        channel: discord.TextChannel,
        cadence: CadenceName,
        weekday: app_commands.Choice[int],
        time: TimeText,
        group_size: app_commands.Choice[int] | None = None,
        tag: TagText | None = None,
        cooldown: app_commands.Range[int, 0, MAX_COOLDOWN] = DEFAULT_COOLDOWN,
    ) -> None:
        view = await self.rounds.add(
            kit.guild_id(interaction),
            channel.id,
            cadence=cadence,
            weekday=weekday.value,
            time=time,
            group_size=group_size.value if group_size else 2,
            tag=tag,
            cooldown_rounds=cooldown,
            actor_id=interaction.user.id,
        )
        check = channel_check(f"schedule {view.schedule.id}", channel, ROUND_CHANNEL_NEEDS)
        await respond(interaction, f"{_render.scheduled_text(view)}\n{check}")

    @app_commands.command(name="list", description="The intro round schedules here")
    async def list_(self, interaction: Interaction) -> None:
        await respond(
            interaction, _render.list_text(await self.rounds.schedules(kit.guild_id(interaction)))
        )

    @app_commands.command(name="next", description="When each schedule's next round runs")
    async def next_(self, interaction: Interaction) -> None:
        await respond(
            interaction, _render.next_text(await self.rounds.schedules(kit.guild_id(interaction)))
        )

    @app_commands.command(name="run-now", description="Run one of a schedule's rounds now")
    @app_commands.rename(schedule_id="id")
    @app_commands.describe(schedule_id="The schedule")
    async def run_now(self, interaction: Interaction, schedule_id: int) -> None:
        result = await self.rounds.run_now(
            kit.guild_id(interaction), schedule_id, actor_id=interaction.user.id
        )
        await respond(interaction, _render.ran_text(result))

    @run_now.autocomplete("schedule_id")
    async def _schedule_id(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        return await schedule_choices(interaction, current)

    @schedule.autocomplete("tag")
    async def _tag(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        found = await self.vocabulary.complete(kit.guild_id(interaction), current)
        return [app_commands.Choice(name=c.label, value=c.value) for c in found]

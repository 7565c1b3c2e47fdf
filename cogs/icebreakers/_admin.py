"""/setup icebreakers …: schedules and the prompt pool, attached under /setup.

Manage Server is the /setup group's default permission, re-checked at run time by the tree
(commands) and by each button's ``interaction_check``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands

from bot.domain.health import icebreaker_schedule_needs
from bot.domain.icebreakers import PROMPT_LIMIT
from bot.domain.schedules import WEEKDAYS
from bot.domain.settings import suggest_timezones
from bot.responding import respond
from cogs import kit
from cogs.icebreakers import _render
from cogs.icebreakers._views import confirm_remove_view, prompts_page, review_page
from cogs.rendering import channel_check
from cogs.schedules import ScheduleTexts, schedule_commands

if TYPE_CHECKING:
    from bot.client import SigBot

Interaction = discord.Interaction["SigBot"]
PromptText = app_commands.Range[str, 1, PROMPT_LIMIT]
TimeText = app_commands.Range[str, 4, 5]
CadenceName = Literal["daily", "weekdays", "weekly", "biweekly", "monthly"]
WEEKDAY_CHOICES = [app_commands.Choice(name=day, value=n) for n, day in enumerate(WEEKDAYS)]
TEXTS = ScheduleTexts(
    "icebreaker schedule",
    "Stop a schedule for now",
    _render.paused_text,
    _render.confirm_remove_text,
)


async def _choices(interaction: Interaction, current: str) -> list[app_commands.Choice[int]]:
    """The server's icebreaker schedules, for autocomplete."""
    schedules = kit.services(interaction).icebreaker_schedules
    views = await schedules.schedules(kit.guild_id(interaction))
    guild = interaction.guild
    choices = []
    for view in views:
        channel = guild.get_channel(view.schedule.channel_id) if guild else None
        name = channel.name if channel else str(view.schedule.channel_id)
        label = _render.schedule_choice_label(view.schedule, name)
        if current.strip().lower() in label.lower():
            choices.append(app_commands.Choice(name=label, value=view.schedule.id))
    return choices[:25]


class IcebreakersAdmin(app_commands.Group):
    NAME = "icebreakers"

    def __init__(self, bot: SigBot) -> None:
        super().__init__(name=self.NAME, description="Schedule icebreaker prompts")
        self.schedules = bot.services.icebreaker_schedules
        self.prompts = bot.services.icebreaker_prompts
        self.add_command(self._pack_command(self.prompts.pack_names()))
        for command in schedule_commands(self.schedules, TEXTS, confirm_remove_view, _choices):
            self.add_command(command)

    @app_commands.command(name="schedule", description="Post prompts in a channel on a schedule")
    @app_commands.describe(
        channel="Where to post",
        cadence="How often",
        time="Local time, HH:MM (24-hour)",
        weekday="For weekly, biweekly and monthly: which day",
        timezone="IANA time zone (default: the server's)",
        thread="Open a thread for replies on each prompt",
        skip_if_quiet="Skip a prompt when nobody posted since the last one",
    )
    @app_commands.choices(weekday=WEEKDAY_CHOICES)
    async def schedule(
        self,
        interaction: Interaction,
        channel: discord.TextChannel,
        cadence: CadenceName,
        time: TimeText,
        weekday: app_commands.Choice[int] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        thread: bool = False,
        skip_if_quiet: bool = False,
    ) -> None:
        view = await self.schedules.add(
            kit.guild_id(interaction),
            channel.id,
            cadence=cadence,
            time=time,
            weekday=weekday.value if weekday else None,
            timezone=timezone,
            thread=thread,
            skip_if_quiet=skip_if_quiet,
            actor_id=interaction.user.id,
        )
        needs = icebreaker_schedule_needs(thread=thread, skip_if_quiet=skip_if_quiet)
        check = channel_check(f"schedule {view.schedule.id}", channel, needs)
        await respond(interaction, f"{_render.scheduled_text(view)}\n{check}")

    @app_commands.command(name="list", description="The icebreaker schedules here")
    async def list_(self, interaction: Interaction) -> None:
        views = await self.schedules.schedules(kit.guild_id(interaction))
        await respond(interaction, _render.list_text(views))

    @app_commands.command(name="next", description="The next prompt and time of each schedule")
    async def next_(self, interaction: Interaction) -> None:
        views = await self.schedules.schedules(kit.guild_id(interaction))
        await respond(interaction, _render.next_text(views))

    @app_commands.command(name="post-now", description="Post one prompt in a channel now")
    @app_commands.describe(channel="Where to post")
    async def post_now(self, interaction: Interaction, channel: discord.TextChannel) -> None:
        text = await self.schedules.post_now(
            kit.guild_id(interaction), channel.id, actor_id=interaction.user.id
        )
        await respond(interaction, _render.posted_now_text(channel.id, text))

    @app_commands.command(name="add-prompt", description="Add a prompt to this server's pool")
    @app_commands.describe(text="The question")
    async def add_prompt(self, interaction: Interaction, text: PromptText) -> None:
        prompt = await self.prompts.add(
            kit.guild_id(interaction), text, actor_id=interaction.user.id
        )
        await respond(interaction, _render.prompt_added_text(prompt))

    @app_commands.command(name="remove-prompt", description="Remove a prompt from the pool")
    @app_commands.rename(prompt_id="id")
    @app_commands.describe(prompt_id="The prompt")
    async def remove_prompt(self, interaction: Interaction, prompt_id: int) -> None:
        prompt = await self.prompts.remove(
            kit.guild_id(interaction), prompt_id, actor_id=interaction.user.id
        )
        await respond(interaction, _render.prompt_removed_text(prompt))

    @app_commands.command(name="prompts", description="Every prompt in the pool, with ids")
    async def prompts_(self, interaction: Interaction) -> None:
        content, view = await prompts_page(interaction, 0)
        await respond(interaction, content, view=view)

    @app_commands.command(name="review", description="Approve or reject members' suggestions")
    async def review(self, interaction: Interaction) -> None:
        content, view = await review_page(interaction, 0)
        await respond(interaction, content, view=view)

    def _pack_command(self, names: list[str]) -> app_commands.Command[Any, ..., None]:
        """``pack``, its choices read from the shipped packs at start-up (not on import)."""
        prompts = self.prompts

        @app_commands.command(name="pack", description="Import a built-in pack of prompts")
        @app_commands.describe(name="Which pack")
        @app_commands.choices(name=[app_commands.Choice(name=n, value=n) for n in names])
        async def pack(interaction: Interaction, name: str) -> None:
            title, added = await prompts.import_pack(
                kit.guild_id(interaction), name, actor_id=interaction.user.id
            )
            await respond(interaction, _render.pack_text(title, added))

        return pack

    @remove_prompt.autocomplete("prompt_id")
    async def _prompt_id(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        pool = await self.prompts.pool(kit.guild_id(interaction))
        needle = current.strip().lower()
        labels = ((p.id, f"{p.id} · {p.text}"[:100]) for p in pool)
        return [
            app_commands.Choice(name=label, value=pid)
            for pid, label in labels
            if needle in label.lower()
        ][:25]

    @schedule.autocomplete("timezone")
    async def _timezone(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=z, value=z) for z in suggest_timezones(current)]

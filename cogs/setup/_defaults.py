"""/setup defaults, built from the declarations on ``GuildDefaults``.

Each declared default becomes one optional option (its type, range and description from the
declaration), so adding a server default never touches this module.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Optional

import discord
from discord import app_commands

from bot.domain.settings import GuildDefaults, Setting, suggest_timezones
from bot.responding import respond
from cogs import kit
from cogs.setup._render import defaults_changed_text, defaults_text

if TYPE_CHECKING:
    from bot.client import SigBot

DESCRIPTION = "Server defaults and member budgets"


def option_type(setting: Setting) -> Any:
    """The option's type as discord.py reads it; Discord enforces the ranges in the client too."""
    if setting.kind is bool:
        return bool
    if setting.limit is not None:
        return app_commands.Range[int, setting.limit.low, setting.limit.high]
    return app_commands.Range[str, 1, setting.max_length or 100]


async def _set_defaults(interaction: discord.Interaction[SigBot], **options: Any) -> None:
    by_option = {s.option: s.name for s in GuildDefaults.settings()}
    change = await interaction.client.services.settings.set_defaults(
        kit.guild_id(interaction),
        actor_id=interaction.user.id,
        **{by_option[option]: value for option, value in options.items()},
    )
    text = defaults_changed_text(change)
    if not change.changes:
        text += "\n\n" + defaults_text(change.after)
    await respond(interaction, text)


async def _timezone_choices(
    interaction: discord.Interaction[SigBot], current: str
) -> list[app_commands.Choice[str]]:
    """The server's current zone and the likely ones first, not Africa/Abidjan."""
    setting = None
    if interaction.guild_id is not None:
        shown = await interaction.client.services.settings.show(interaction.guild_id)
        setting = shown.defaults.timezone
    zones = suggest_timezones(current, current=setting)
    return [app_commands.Choice(name=z, value=z) for z in zones]


def defaults_command() -> app_commands.Command[Any, ..., None]:
    settings = GuildDefaults.settings()

    async def defaults(interaction: discord.Interaction[SigBot], **options: Any) -> None:
        await _set_defaults(interaction, **options)

    first = inspect.Parameter(
        "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
    )
    options = [
        inspect.Parameter(
            s.option,
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Optional[option_type(s)],  # noqa: UP045 (built at run time)
        )
        for s in settings
    ]
    defaults.__signature__ = inspect.Signature([first, *options])  # type: ignore[attr-defined]
    app_commands.describe(**{s.option: s.help for s in settings})(defaults)
    command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name="defaults", description=DESCRIPTION, callback=defaults
    )
    command.autocomplete("timezone")(_timezone_choices)
    return command

"""/setup report: the counts as text, a CSV attachment or a PNG chart."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands

from bot.domain.reports import SUPPRESSED, Report, csv_text
from bot.responding import respond

if TYPE_CHECKING:
    from bot.client import SigBot

Format = Literal["text", "csv", "chart"]
FOOTNOTE = f"Counts below 3 show as “{SUPPRESSED}”, so nobody can be picked out."


def report_text(report: Report) -> str:
    window = report.window
    lines = [
        f"**Report: the last {window.days} days** ({_day(window.start)} to {_day(window.end)})"
    ]
    lines += [f"{line.label}: **{line.shown}**" for line in report.lines]
    if report.top_tags:
        tags = ", ".join(f"{name} ({value})" for name, value in report.shown_tags)
        lines.append(f"Top tags: {tags}")
    lines.append(f"-# {FOOTNOTE}")
    return "\n".join(lines)


def _day(moment: datetime) -> str:
    return f"{moment:%b} {moment.day}, {moment:%Y}"


def _chart_png(report: Report, title: str) -> bytes:
    from cogs.setup._chart import report_chart  # imported on first use, not at every start

    return report_chart(report, title=title)


def _file_name(report: Report, extension: str) -> str:
    return f"report-{report.window.end:%Y-%m-%d}-{report.window.days}d.{extension}"


async def report_file(report: Report, fmt: Format, guild_name: str) -> discord.File | None:
    if fmt == "csv":
        data = csv_text(report).encode("utf-8")
        return discord.File(io.BytesIO(data), filename=_file_name(report, "csv"))
    if fmt == "chart":
        title = f"{guild_name[:32]}\nLast {report.window.days} days"
        # Importing matplotlib (a second or more, once) and drawing (a few hundred ms) both
        # happen in a worker thread, never on the event loop.
        png = await asyncio.to_thread(_chart_png, report, title)
        return discord.File(io.BytesIO(png), filename=_file_name(report, "png"))
    return None


@app_commands.command(
    name="report", description="How the community is doing (counts, CSV or chart)"
)
@app_commands.describe(days="How far back to count", format="Text, a CSV file or a chart")
@app_commands.choices(
    days=[
        app_commands.Choice(name="last 30 days", value=30),
        app_commands.Choice(name="last 90 days", value=90),
    ],
)
async def report_command(
    interaction: discord.Interaction[SigBot],
    days: app_commands.Choice[int] | None = None,
    format: Format = "text",
) -> None:
    guild = interaction.guild
    assert guild is not None  # /setup is guild-only
    report = await interaction.client.services.reports.report(guild.id, days.value if days else 30)
    file = await report_file(report, format, guild.name)
    await respond(interaction, report_text(report), file=file)

"""/setup report (text, CSV, chart) and /setup show's health check, through the sandbox
server with conformance on (PRODUCT.md "Moderator setup")."""

from __future__ import annotations

import csv
import io
import struct
from datetime import timedelta

import pytest

from bot.domain.reports import SUPPRESSED
from sandbox.demo import DemoCommunity
from sandbox.members import Member
from sandbox.messages import Attachment
from sandbox.render import render_message
from sandbox.server import SandboxServer
from tests.e2e.support import ClockedRunner, answer, dms, drained, prepare, request

pytestmark = pytest.mark.e2e
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def introduce(
    runner: ClockedRunner, server: SandboxServer, requester: Member, target: Member
) -> None:
    await drained(runner)
    before = len(server.dm_messages(target))
    await request(requester, target)
    asked = (await dms(server, target, before + 1))[before]
    assert "Someone would like to meet you" in render_message(asked)
    await (await target.click(asked, "Accept")).final()


@pytest.fixture
async def active(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> DemoCommunity:
    """Five members tagged (all Orthopedics), three introductions accepted, one snooze."""
    await prepare(community)
    m = community.members
    await introduce(clocked, server, m["maria"], m["priya"])
    await introduce(clocked, server, m["grace"], m["james"])
    await introduce(clocked, server, m["tom"], m["maria"])
    await answer(await m["james"].slash("intro snooze", weeks=2))
    clocked.clock.advance(timedelta(hours=1))  # the report's window ends now, exclusive
    return community


def only_attachment(message: object) -> Attachment:
    attachments = message.attachments  # type: ignore[attr-defined]
    assert len(attachments) == 1
    found: Attachment = attachments[0]
    return found


async def test_report_text_counts_and_suppresses(active: DemoCommunity) -> None:
    ix = await active.moderator.slash("setup report")
    text = await answer(ix)
    assert "Report: the last 30 days" in text
    assert ", 2025 to " in text  # the FakeClock starts in January 2026
    assert "Members with tags: **5**" in text
    assert "Introductions requested: **3**" in text
    assert "Introductions accepted: **3**" in text
    assert f"Members who snoozed: **{SUPPRESSED}**" in text
    assert f"Introductions reported (abuse): **{SUPPRESSED}**" in text
    assert "Top tags: Orthopedics (5)" in text
    assert f"Outpatient ({SUPPRESSED}), Sports ({SUPPRESSED})" in text  # 2 members each
    # Every feature's lines are there, small counts (none here) hidden like the rest.
    for label in ("Mentor requests opened", "Intro-round groups", "Event attendance"):
        assert f"{label}: **{SUPPRESSED}**" in text
    assert ix.message is not None
    assert ix.message.attachments == []


async def test_report_csv_is_attached_and_parses(active: DemoCommunity) -> None:
    ix = await active.moderator.slash("setup report", days=90, format="csv")
    text = await answer(ix)
    assert "the last 90 days" in text
    assert ix.message is not None
    attachment = only_attachment(ix.message)
    assert attachment.filename.endswith("-90d.csv")
    rows = list(csv.reader(io.StringIO(attachment.data.decode("utf-8"))))
    assert rows[0] == ["section", "measure", "value"]
    counts = {row[1]: row[2] for row in rows if row[0] == "count"}
    assert counts["Introductions accepted"] == "3"
    assert counts["Members who snoozed"] == SUPPRESSED
    weekly = [row for row in rows if row[0] == "weekly"]
    assert len(weekly) == 4 * 12  # the four weekly lines of the chart, 12 weeks each
    values = {row[2] for row in weekly}
    assert values <= {SUPPRESSED, "3"}  # nothing below 3 as its number
    assert weekly[11][2] == "3"  # this week's three introductions


async def test_report_chart_is_a_real_png(active: DemoCommunity) -> None:
    ix = await active.moderator.slash("setup report", format="chart")
    await answer(ix)
    assert ix.message is not None
    attachment = only_attachment(ix.message)
    assert attachment.filename.endswith("-30d.png")
    png = attachment.data
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert (width, height) == (800, 960)
    assert 15_000 < len(png) < 400_000
    assert attachment.size == len(png)


async def test_members_cannot_run_the_report(active: DemoCommunity) -> None:
    for command in active.server_commands():
        if command["name"] == "setup":
            command["default_member_permissions"] = None
    text = render_message(await (await active.members["maria"].slash("setup report")).final())
    assert "You need the Manage Server permission" in text
    assert "Introductions" not in text


async def test_show_names_each_missing_permission_per_channel(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    guild, mod = community.guild, community.moderator
    log, ice = guild.channel("mod-log"), guild.channel("icebreakers")
    # mod-log is private: the bot's own overwrite lets it in; take embeds away from it
    guild.set_bot_permissions(log, allow=["view_channel", "send_messages"], deny=["embed_links"])
    guild.set_bot_permissions(ice, deny=["create_public_threads", "send_messages_in_threads"])
    await answer(await mod.slash("setup channel", purpose="moderation-log", channel=log))

    scheduled = await answer(
        await mod.slash(
            "setup icebreakers schedule",
            channel=ice,
            cadence="daily",
            time="09:00",
            timezone="UTC",
            thread=True,
        )
    )
    assert "cannot create public threads or send messages in threads in #icebreakers" in (scheduled)

    shown = await answer(await mod.slash("setup show"))
    assert "cannot embed links in #mod-log" in shown
    assert "icebreaker schedule" in shown
    assert "cannot create public threads or send messages in threads in #icebreakers" in shown
    assert "introductions**: not set" in shown

    guild.set_bot_permissions(ice, allow=["create_public_threads", "send_messages_in_threads"])
    shown = await answer(await mod.slash("setup show"))
    assert "in #icebreakers" not in shown

    # An intro-round schedule's channel is checked when it is set and in /setup show.
    general = guild.channel("general")
    guild.set_bot_permissions(general, deny=["create_private_threads"])
    rounds = await answer(
        await mod.slash(
            "setup rounds schedule", channel=general, cadence="weekly", weekday=2, time="12:00"
        )
    )
    assert "cannot create private threads in #general" in rounds
    shown = await answer(await mod.slash("setup show"))
    assert "intro-round schedule" in shown
    assert "cannot create private threads in #general" in shown

"""Issue #9, moderators, through the sandbox server: a suggestion reaches the moderation log
and /setup show, the review says who and when and pages through the whole queue, a second
suggester hears the outcome, and /tags list is grouped with real counts for moderators."""

from __future__ import annotations

import re

import pytest

from bot.client import SigBot
from sandbox.demo import DemoCommunity
from sandbox.render import render_message
from sandbox.server import SandboxServer
from tests.e2e.support import BotRunner, answer

pytestmark = pytest.mark.e2e


async def use_moderation_log(community: DemoCommunity) -> None:
    log = community.guild.channel("mod-log")
    await answer(
        await community.moderator.slash("setup channel", purpose="moderation-log", channel=log)
    )


async def test_a_suggestion_is_announced_and_counted_in_setup_show(
    pt: DemoCommunity, server: SandboxServer
) -> None:
    await use_moderation_log(pt)
    maria = pt.members["maria"]
    await answer(await maria.slash("tags suggest", name="Telehealth"))
    log = pt.guild.channel("mod-log")
    notes = await server.wait_for(
        lambda: [m for m in log.messages if "Telehealth" in m.content], what="the log note"
    )
    assert f"<@{maria.id}> suggested the tag “Telehealth”" in notes[0].content  # no ping
    assert "/setup tags review" in notes[0].content

    shown = await answer(await pt.moderator.slash("setup show"))
    assert "1 tag suggestion waiting" in shown
    assert "/setup tags review" in shown


async def test_review_shows_who_and_when_and_pages_through_the_queue(
    pt: DemoCommunity, runner: BotRunner
) -> None:
    mod = pt.moderator
    names = ("maria", "james", "priya")
    for number in range(9):
        member = pt.members[names[number % 3]]
        await answer(await member.slash("tags suggest", name=f"Idea {number}"))
    review = await mod.slash("setup tags review")
    first = await review.final()
    assert review.ephemeral
    text = first.content
    assert f"**Idea 0** · from <@{pt.members['maria'].id}> · <t:" in text
    assert re.search(r"<t:\d+:d>", text)
    assert "Showing 1–4 of 9: 5 more waiting." in text
    assert "Idea 4" not in text

    await runner.restart()  # the page buttons are DynamicItems
    second = await (await mod.click(first, "Next page")).final()
    assert "Showing 5–8 of 9" in second.content
    assert "**Idea 4**" in second.content
    third = await (await mod.click(second, "Next page")).final()
    assert "Showing 9–9 of 9" in third.content
    assert "**Idea 8**" in third.content
    assert "Next page" not in str(third.components)

    # Deciding on a later page keeps the moderator on that page.
    back = await (await mod.click(third, "Previous page")).final()
    decided = await (await mod.click(back, "Reject")).final()
    assert "Rejected “Idea 4”" in decided.content
    assert "Showing 5–8 of 8" in decided.content


async def test_a_second_suggester_hears_the_outcome_too(
    pt: DemoCommunity, server: SandboxServer, bot: SigBot
) -> None:
    maria, james = pt.members["maria"], pt.members["james"]
    await answer(await maria.slash("tags suggest", name="Telehealth"))
    second = await answer(await james.slash("tags suggest", name="telehealth"))
    assert "already been suggested" in second
    assert "you'll hear the outcome too" in second
    assert await bot.services.suggestions.pending_count(pt.guild.id) == 1

    review = await (await pt.moderator.slash("setup tags review")).final()
    await (await pt.moderator.click(review, "Approve")).final()
    for member in (maria, james):
        dm = await server.wait_for(
            lambda m=member: server.dm_messages(m), what=f"the outcome DM to {member}"
        )
        assert len(dm) == 1
        assert "“Telehealth” was approved" in dm[0].content


async def test_alias_approval_is_logged_as_what_happened(
    pt: DemoCommunity, server: SandboxServer
) -> None:
    await use_moderation_log(pt)
    mod = pt.moderator
    await answer(await pt.members["maria"].slash("tags suggest", name="Concussion"))
    review = await (await mod.slash("setup tags review")).final()
    opened = await mod.click(review, "Approve as alias")
    await (await mod.submit_modal(opened, {"Existing tag (name or alias)": "neuro"})).final()
    log = pt.guild.channel("mod-log")
    entries = await server.wait_for(
        lambda: [m.content for m in log.messages if "another name" in m.content],
        what="the alias approval in the log",
    )
    assert entries == [f"<@{mod.id}> approved “Concussion” as another name for **Neurology**."]


async def test_a_first_time_moderator_finds_the_tag_commands(
    bot: SigBot, community: DemoCommunity
) -> None:
    mod = community.moderator
    helped = render_message(await (await mod.slash("help")).final())
    assert "/setup tags preset name:pt" in helped
    assert "/setup tags review" in helped

    shown = await answer(await mod.slash("setup show"))
    assert "Getting started" in shown
    assert "⬜ Channels: 0 of 5 set (`/setup channel`)" in shown
    assert "⬜ Tags: none yet. Start with `/setup tags preset name:pt`" in shown
    assert "/setup tags picker" in shown

    await answer(await mod.slash("setup tags preset", name="pt"))
    shown = await answer(await mod.slash("setup show"))
    assert "✅ Tags: 46 tags" in shown


async def test_a_stale_public_picker_says_so_and_offers_the_current_one(
    pt: DemoCommunity,
) -> None:
    general = pt.guild.channel("general")
    await answer(await pt.moderator.slash("setup tags picker", channel=general))
    posted = general.messages[0]
    await answer(await pt.moderator.slash("setup tags remove", tag="Aquatic"))

    james = pt.members["james"]
    picked = await james.select(posted, "Clinical interest", ["Aquatic", "Sports"])
    reply = await picked.final()
    assert picked.ephemeral
    assert "Added **Sports**." in reply.content
    assert "That menu is out of date: **Aquatic** was removed or renamed" in reply.content
    current = [o["label"] for c in reply.iter_components() if c["type"] == 3 for o in c["options"]]
    assert "Sports" in current
    assert "Aquatic" not in current

    only_stale = await (await james.select(posted, "Clinical interest", ["Aquatic"])).final()
    assert "No change" not in only_stale.content
    assert "out of date" in only_stale.content


async def test_setup_show_ticks_the_picker_only_once_one_was_posted(
    bot: SigBot, community: DemoCommunity
) -> None:
    mod = community.moderator
    await answer(await mod.slash("setup tags preset", name="pt"))
    shown = await answer(await mod.slash("setup show"))
    assert "⬜ Picker: post one with `/setup tags picker`" in shown  # tags alone are not a picker
    channel = community.guild.channel("general")
    await answer(await mod.slash("setup tags picker", channel=channel))
    shown = await answer(await mod.slash("setup show"))
    assert "✅ Picker: posted in #general" in shown

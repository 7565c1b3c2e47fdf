"""Icebreakers through the sandbox server (PRODUCT.md "Icebreakers"): moderators schedule and
curate, slots fire when the injected clock reaches them, and nothing posts twice.

Slots are fired by moving the bot's FakeClock to the schedule's next slot and calling the
scheduler's job (``tick``) directly; the real outbox sender then posts to the sandbox.
"""

from __future__ import annotations

import pytest

from bot.client import SigBot
from sandbox.channels import Channel
from sandbox.demo import DemoCommunity
from sandbox.members import Member
from sandbox.messages import Message
from sandbox.render import render_message
from sandbox.server import SandboxServer
from tests.e2e.support import ClockedRunner, answer, dms, drained, running

pytestmark = pytest.mark.e2e
PROMPTS = ("What got you into PT?", "Best book this year?", "A skill you want to learn?")


def prompts_in(channel: Channel) -> list[Message]:
    return [m for m in channel.messages if m.content.startswith("**Icebreaker**")]


def member_says(channel: Channel, member: Member, text: str) -> None:
    """A member posts in the channel (the bot reads only the channel's last_message_id)."""
    state = channel.state
    message = Message(state.ids.next(), channel, member.user, content=text)
    state.messages[message.id] = message
    channel.all_messages.append(message)


async def add_prompts(community: DemoCommunity, *texts: str) -> None:
    for text in texts or PROMPTS:
        await answer(await community.moderator.slash("setup icebreakers add-prompt", text=text))


async def schedule(community: DemoCommunity, **options: object) -> str:
    channel = community.guild.channel("icebreakers")
    return await answer(
        await community.moderator.slash(
            "setup icebreakers schedule",
            channel=channel,
            **({"cadence": "daily", "time": "09:00", "timezone": "UTC"} | options),
        )
    )


async def fire_next_slot(runner: ClockedRunner) -> int:
    """Move the clock to the earliest next slot, wake the job, and let the sender finish."""
    bot = running(runner)
    views = await bot.services.icebreaker_schedules.schedules(guild_of(bot))
    runner.clock.set(min(v.schedule.next_slot_at for v in views if not v.schedule.paused))
    posted = await bot.services.icebreaker_schedules.tick()
    await drained(runner)
    return posted


def guild_of(bot: SigBot) -> int:
    assert bot.dev_guild_id is not None
    return bot.dev_guild_id


async def test_schedule_list_next_pause_resume_remove(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    mod = community.moderator
    await add_prompts(community)
    made = await schedule(community)
    assert "Scheduled icebreakers in" in made
    assert "Next: Tue 6 Jan 2026, 09:00 UTC" in made  # the clock starts Mon 5 Jan 12:00 UTC

    listed = await answer(await mod.slash("setup icebreakers list"))
    assert "daily 09:00" in listed
    assert "next Tue 6 Jan 2026, 09:00 UTC" in listed
    coming = await answer(await mod.slash("setup icebreakers next"))
    assert "Tue 6 Jan 2026, 09:00 UTC" in coming
    assert any(p in coming for p in PROMPTS)

    schedule_id = (
        await running(clocked).services.icebreaker_schedules.schedules(community.guild.id)
    )[0].schedule.id
    choices = await mod.autocomplete("setup icebreakers pause", focused="id")
    assert choices[0]["name"] == f"{schedule_id} · #icebreakers · daily 09:00"
    assert choices[0]["value"] == schedule_id

    assert "Paused schedule" in await answer(
        await mod.slash("setup icebreakers pause", id=schedule_id)
    )
    assert "paused" in await answer(await mod.slash("setup icebreakers list"))
    assert "Resumed schedule" in await answer(
        await mod.slash("setup icebreakers resume", id=schedule_id)
    )

    asked = await mod.slash("setup icebreakers remove", id=schedule_id)
    confirm = await asked.final()
    assert "cannot be undone" in confirm.content
    done = await (await mod.click(confirm, "Remove schedule")).final()
    assert f"Removed icebreaker schedule {schedule_id}" in done.content
    assert "no icebreaker schedules yet" in await answer(await mod.slash("setup icebreakers list"))


async def test_post_now_puts_a_prompt_in_the_channel(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await add_prompts(community, "What got you into PT?")
    channel = community.guild.channel("icebreakers")
    said = await answer(
        await community.moderator.slash("setup icebreakers post-now", channel=channel)
    )
    assert "What got you into PT?" in said
    posted = await server.wait_for(lambda: prompts_in(channel), what="the prompt")
    assert posted[0].content == "**Icebreaker** · What got you into PT?"


async def test_a_slot_fires_when_the_clock_reaches_it_and_rotation_never_repeats(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    await add_prompts(community)
    await schedule(community)
    channel = community.guild.channel("icebreakers")
    for _ in PROMPTS:
        assert await fire_next_slot(clocked) == 1
    texts = [m.content.removeprefix("**Icebreaker** · ") for m in prompts_in(channel)]
    assert sorted(texts) == sorted(PROMPTS)  # each once before any repeats
    assert await fire_next_slot(clocked) == 1  # a new cycle starts
    assert len(prompts_in(channel)) == 4


async def test_a_pack_import_fills_the_pool(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    mod = community.moderator
    imported = await answer(await mod.slash("setup icebreakers pack", name="pt-students"))
    assert "Imported" in imported
    assert "new prompts" in imported
    again = await answer(await mod.slash("setup icebreakers pack", name="pt-students"))
    assert "already in this server's pool" in again
    listing = await answer(await mod.slash("setup icebreakers prompts"))
    assert "**Icebreaker prompts** (1–10 of" in listing


async def test_a_suggestion_is_reviewed_approved_and_the_suggester_told(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    maria = community.members["maria"]
    thanks = await answer(await maria.slash("icebreaker suggest", text="Favourite clinic snack?"))
    assert "moderators will review" in thanks
    mod = community.moderator
    await clocked.restart()  # the review buttons are DynamicItems
    review = await (await mod.slash("setup icebreakers review")).final()
    assert "Favourite clinic snack?" in review.content
    decided = await (await mod.click(review, "Approve")).final()
    assert "Approved “Favourite clinic snack?”" in decided.content
    assert "No icebreaker suggestions are waiting" in decided.content
    assert "Favourite clinic snack?" in await answer(await mod.slash("setup icebreakers prompts"))
    told = (await dms(server, maria))[0]
    assert "it's in the rotation now" in told.content


async def test_thread_per_prompt(clocked: ClockedRunner, community: DemoCommunity) -> None:
    await add_prompts(community)
    await schedule(community, thread=True)
    assert await fire_next_slot(clocked) == 1
    posted = prompts_in(community.guild.channel("icebreakers"))
    assert len(posted) == 1
    assert posted[0].thread is not None
    assert posted[0].thread.name in PROMPTS


async def test_skip_if_quiet_skips_until_someone_talks(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    await add_prompts(community)
    await schedule(community, skip_if_quiet=True)
    channel = community.guild.channel("icebreakers")
    await fire_next_slot(clocked)
    assert len(prompts_in(channel)) == 1
    await fire_next_slot(clocked)  # nobody spoke since the first prompt
    assert len(prompts_in(channel)) == 1
    member_says(channel, community.members["maria"], "I came for the ankles.")
    await fire_next_slot(clocked)
    assert len(prompts_in(channel)) == 2


async def test_a_restart_at_the_slot_posts_it_once(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    await add_prompts(community)
    await schedule(community)
    assert await fire_next_slot(clocked) == 1
    bot = await clocked.restart()  # same database, clock still at the slot
    assert await bot.services.icebreaker_schedules.tick() == 0
    await drained(clocked)
    assert len(prompts_in(community.guild.channel("icebreakers"))) == 1


async def test_a_thread_that_cannot_be_made_still_posts_and_tells_moderators_once(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    mod = community.moderator
    log = community.guild.channel("mod-log")
    await answer(await mod.slash("setup channel", purpose="moderation-log", channel=log))
    channel = community.guild.channel("icebreakers")
    community.guild.set_bot_permissions(channel, deny=["create_public_threads"])
    await add_prompts(community)
    await schedule(community, thread=True)
    await fire_next_slot(clocked)
    await fire_next_slot(clocked)
    posted = prompts_in(channel)
    assert len(posted) == 2
    assert all(m.thread is None for m in posted)
    notes = [m for m in log.messages if "could not open a thread" in m.content]
    assert len(notes) == 1


async def test_help_names_the_icebreaker_commands(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    member_help = render_message(await (await community.members["maria"].slash("help")).final())
    assert "/icebreaker suggest" in member_help
    assert "/setup icebreakers" not in member_help
    mod_help = render_message(await (await community.moderator.slash("help")).final())
    assert "/setup icebreakers schedule" in mod_help
    assert "/setup icebreakers review" in mod_help


async def test_post_now_refused_by_discord_says_so_in_the_moderation_log(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await add_prompts(community, "What got you into PT?")
    guild, mod = community.guild, community.moderator
    log = guild.channel("mod-log")
    await answer(await mod.slash("setup channel", purpose="moderation-log", channel=log))
    channel = guild.channel("icebreakers")
    guild.set_bot_permissions(channel, deny=["send_messages"])
    said = await answer(await mod.slash("setup icebreakers post-now", channel=channel))
    assert "Posted" not in said
    refused = await server.wait_for(
        lambda: [m.content for m in log.messages if "could not post the icebreaker" in m.content],
        what="the refusal in the moderation log",
    )
    assert "permission" in refused[0]
    assert not prompts_in(channel)

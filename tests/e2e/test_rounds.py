"""Intro rounds through the sandbox server (PRODUCT.md "Intro rounds"), on a moved FakeClock.

Slots fire by moving the bot's clock to the schedule's next slot (or check-in) and calling the
scheduler's job (``tick``) directly; the real outbox sender then talks to the sandbox.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.client import SigBot
from sandbox.channels import Channel
from sandbox.demo import DemoCommunity
from sandbox.members import Member
from sandbox.messages import Message
from sandbox.render import render_message
from sandbox.server import SandboxServer
from tests.e2e.support import ClockedRunner, answer, dms, drained, prepare, running, write_card

pytestmark = pytest.mark.e2e
WEDNESDAY = 2


def guild_of(bot: SigBot) -> int:
    assert bot.dev_guild_id is not None
    return bot.dev_guild_id


async def schedule(community: DemoCommunity, **options: object) -> str:
    channel = community.guild.channel("general")
    return await answer(
        await community.moderator.slash(
            "setup rounds schedule",
            channel=channel,
            **({"cadence": "weekly", "weekday": WEDNESDAY, "time": "09:00"} | options),
        )
    )


async def join(community: DemoCommunity, *names: str) -> None:
    for name in names:
        assert "joined" in await answer(await community.members[name].slash("rounds join"))


async def fire(runner: ClockedRunner) -> int:
    """Move the clock to the earliest next slot, wake the job, let the sender finish."""
    bot = running(runner)
    views = await bot.services.rounds.schedules(guild_of(bot))
    runner.clock.set(min(v.schedule.next_slot_at for v in views if not v.schedule.paused))
    ran = await bot.services.rounds.tick()
    await drained(runner)
    return ran


async def checkin(runner: ClockedRunner) -> None:
    """Halfway to the next round: the "Did you meet?" goes out."""
    runner.clock.advance(timedelta(days=3, hours=12))
    await running(runner).services.rounds.tick()
    await drained(runner)


def round_threads(channel: Channel) -> list[Channel]:
    return [t for t in channel.threads if t.name.startswith("Intro round")]


def member_ids(thread: Channel) -> set[int]:
    return {u.id for u in thread.members}


def thread_with(channel: Channel, member: Member) -> Channel:
    return next(t for t in round_threads(channel)[::-1] if member.id in member_ids(t))


def did_you_meet(thread: Channel) -> Message:
    return next(m for m in thread.messages if m.content.startswith("**Did you meet?**"))


async def test_join_round_threads_cards_checkin_answers(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    names = ("maria", "priya", "grace", "james")
    await prepare(community, *names)
    await write_card(community.members["priya"], "priya@clinic.example")
    made = await schedule(community)
    assert "Scheduled intro rounds in" in made
    assert "First round: Wed 7 Jan 2026, 09:00" in made
    await join(community, *names)
    listed = await answer(await community.moderator.slash("setup rounds list"))
    assert "4 joined" in listed

    assert await fire(clocked) == 1
    channel = community.guild.channel("general")
    threads = round_threads(channel)
    assert len(threads) == 2
    assert all(t.type == 12 for t in threads)  # private
    everyone = {community.members[n].id for n in names}
    assert set().union(*(member_ids(t) - {server.state.bot_user.id} for t in threads)) == everyone
    priya = community.members["priya"]
    opening = render_message(thread_with(channel, priya).messages[0])
    assert "Intro round" in opening
    assert "priya@clinic.example" in opening
    assert "A way to start" in opening
    assert "Orthopedics" in opening

    await checkin(clocked)
    maria = community.members["maria"]
    question = did_you_meet(thread_with(channel, maria))
    said = await answer(await maria.click(question, "Met"))
    assert "Thanks, noted: Met" in said
    outsider = next(community.members[n] for n in names if n != "maria")
    if outsider.id not in member_ids(thread_with(channel, maria)):
        refused = await answer(await outsider.click(question, "Met"))
        assert "for the people of this group" in refused
    bot = running(clocked)
    async with bot.services.db.read() as uow:
        since = clocked.clock.now() - timedelta(days=30)
        until = clocked.clock.now() + timedelta(seconds=1)
        assert await uow.rounds.count_met(guild_of(bot), since, until) == 1
    history = await answer(await maria.slash("rounds history"))
    assert "Your intro rounds" in history
    assert "Met" in history


async def test_a_ghost_is_left_out_and_dmed_once(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya")
    await schedule(community, cooldown=0)
    await join(community, "maria", "priya")
    maria, priya = community.members["maria"], community.members["priya"]
    channel = community.guild.channel("general")
    for _ in range(3):
        await fire(clocked)
        await checkin(clocked)
        await answer(await maria.click(did_you_meet(thread_with(channel, maria)), "Met"))
    await fire(clocked)  # priya answered none of three: left out, told once
    assert len(round_threads(channel)) == 3
    ghost = (await dms(server, priya))[-1]
    assert "left you out" in ghost.content
    alone = (await dms(server, maria))[-1]
    assert "couldn't find you a group" in alone.content
    await fire(clocked)
    assert len([m for m in server.dm_messages(priya) if "left you out" in m.content]) == 1
    kept = await (await priya.click(ghost, "Keep me in")).final()
    assert "back in" in kept.content
    await fire(clocked)
    assert len(round_threads(channel)) == 4


async def test_skip_and_leave(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya", "grace")
    await schedule(community)
    await join(community, "maria", "priya", "grace")
    maria, priya, grace = (community.members[n] for n in ("maria", "priya", "grace"))
    assert "sit out the next round" in await answer(await grace.slash("rounds skip"))
    await fire(clocked)
    channel = community.guild.channel("general")
    assert [member_ids(t) >= {maria.id, priya.id} for t in round_threads(channel)] == [True]
    assert grace.id not in member_ids(round_threads(channel)[0])
    assert "left the intro rounds" in await answer(await priya.slash("rounds leave"))
    await fire(clocked)
    latest = round_threads(channel)[-1]
    assert member_ids(latest) >= {maria.id, grace.id}
    assert priya.id not in member_ids(latest)
    refused = await answer(await priya.slash("rounds leave"))
    assert "not in the intro rounds" in refused


async def test_joining_needs_discoverable(clocked: ClockedRunner, community: DemoCommunity) -> None:
    await prepare(community, "maria", discoverable=False)
    said = await answer(await community.members["maria"].slash("rounds join"))
    assert "need to be discoverable" in said


async def test_a_restart_at_the_slot_runs_the_round_once(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    await prepare(community, "maria", "priya")
    await schedule(community)
    await join(community, "maria", "priya")
    bot = running(clocked)
    views = await bot.services.rounds.schedules(guild_of(bot))
    clocked.clock.set(views[0].schedule.next_slot_at)
    bot = await clocked.restart()  # the start-up tick runs the due slot
    await drained(clocked)
    assert await bot.services.rounds.tick() == 0
    bot = await clocked.restart()
    await drained(clocked)
    assert len(round_threads(community.guild.channel("general"))) == 1


async def test_moderator_commands_and_autocomplete(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    mod = community.moderator
    await prepare(community, "maria", "priya")
    await schedule(community, group_size=2, tag="ortho")
    bot = running(clocked)
    schedule_id = (await bot.services.rounds.schedules(guild_of(bot)))[0].schedule.id
    choices = await mod.autocomplete("setup rounds pause", focused="id")
    assert choices[0]["value"] == schedule_id
    assert "#general" in choices[0]["name"]
    assert "Wed" in await answer(await mod.slash("setup rounds next"))
    assert "Paused schedule" in await answer(await mod.slash("setup rounds pause", id=schedule_id))
    assert "Resumed schedule" in await answer(
        await mod.slash("setup rounds resume", id=schedule_id)
    )
    await join(community, "maria", "priya")
    ran = await answer(await mod.slash("setup rounds run-now", id=schedule_id))
    assert "1 groups" in ran
    asked = await mod.slash("setup rounds remove", id=schedule_id)
    confirm = await asked.final()
    assert "cannot be undone" in confirm.content
    done = await (await mod.click(confirm, "Remove schedule")).final()
    assert f"Removed intro round schedule {schedule_id}" in done.content
    privacy = await answer(await community.members["maria"].slash("privacy show"))
    assert "every intro round in this server" in privacy
    mod_help = render_message(await (await mod.slash("help")).final())
    assert "/setup rounds schedule" in mod_help
    member_help = render_message(await (await community.members["maria"].slash("help")).final())
    assert "/rounds join" in member_help


async def pair_joined(community: DemoCommunity) -> tuple[Member, Member]:
    """Maria and priya, the only two in a weekly schedule's rounds."""
    await prepare(community, "maria", "priya")
    await schedule(community)
    await join(community, "maria", "priya")
    return community.members["maria"], community.members["priya"]


async def test_a_member_known_to_have_left_is_not_grouped(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    maria, priya = await pair_joined(community)
    community.guild.remove_member(maria)
    await running(clocked).services.privacy.member_left(community.guild.id, maria.id)

    assert await fire(clocked) == 1
    assert round_threads(community.guild.channel("general")) == []
    told = await dms(server, priya)
    assert "couldn't" in told[0].content or "could not" in told[0].content


async def test_a_partner_who_left_unnoticed_leaves_the_other_told_in_the_thread(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    maria, priya = await pair_joined(community)
    community.guild.remove_member(maria)  # the bot learns it only from the thread's 10007

    assert await fire(clocked) == 1
    await drained(clocked)  # the outcome's follow-up post
    thread = thread_with(community.guild.channel("general"), priya)
    assert maria.id not in member_ids(thread)
    told = render_message(thread.messages[-1])
    assert "your partner for this round has left the server" in told

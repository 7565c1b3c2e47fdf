"""The bot survives what Discord does to connections, rate limits and slow databases."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from apscheduler.triggers.interval import IntervalTrigger

import bot.app
from bot.client import SigBot
from bot.features import JOB_IDS
from bot.scheduling import Scheduler
from bot.tree import AppCommandTree
from sandbox.demo import DemoCommunity
from sandbox.server import SandboxServer
from sandbox.state import Message
from tests.e2e.conftest import BotRunner

pytestmark = pytest.mark.e2e

CALLBACK = "POST /interactions/{interaction_id}/{interaction_token}/callback"
GUILD_COMMANDS = "PUT /applications/{application_id}/guilds/{guild_id}/commands"
JOB_ID = "test.digest"
# The bot's own jobs, as the features' manifests declare them, beside the test's (no
# icebreaker schedule yet, so no next-slot job): a job a feature adds but does not declare
# fails here.
EXPECTED_JOBS = sorted([*JOB_IDS, JOB_ID])
# Discord's 3 s deadline and the bot's 2 s auto-defer, scaled down ×6 so a test waits ~1 s.
ACK_DEADLINE, AUTO_DEFER, DATABASE_DELAY = 0.5, 0.2, 1.0


async def help_works(community: DemoCommunity) -> bool:
    ix = await community.members["maria"].slash("help")
    return "How I can help" in str((await ix.final()).embeds)


class Schedulers:
    """Every scheduler the bot builds gets a real job, rebuilt as a feature's would be."""

    def __init__(self) -> None:
        self.built: list[Scheduler] = []
        self.rebuilds = 0

    def __call__(self) -> Scheduler:
        scheduler = Scheduler()
        scheduler.register_rebuilder("test", self.rebuild)
        self.built.append(scheduler)
        return scheduler

    async def rebuild(self, scheduler: Scheduler) -> None:
        self.rebuilds += 1
        scheduler.add_job(JOB_ID, self.fire, IntervalTrigger(hours=1))

    async def fire(self) -> None:
        """The job's body does not matter here; only that it is scheduled once."""

    def running(self) -> list[Scheduler]:
        return [s for s in self.built if s.running]


@pytest.fixture
def schedulers(monkeypatch: pytest.MonkeyPatch) -> Schedulers:
    built = Schedulers()
    monkeypatch.setattr(bot.app, "Scheduler", built)
    return built


async def test_reconnect_and_invalid_session_repeat_no_start_up_work(
    server: SandboxServer, schedulers: Schedulers, runner: BotRunner, community: DemoCommunity
) -> None:
    bot = await runner.start()
    assert bot.scheduler.job_ids() == EXPECTED_JOBS
    syncs_before = len(server.requests_for(GUILD_COMMANDS))

    await server.gateway_reconnect()  # op 7: reconnect and RESUME
    await server.wait_ready()
    assert await help_works(community)

    await server.gateway_invalid_session(resumable=False)  # op 9: IDENTIFY again
    await server.wait_ready()
    assert await help_works(community)

    assert (server.identify_count, server.resume_count) == (2, 1)
    assert bot.setup_runs == 1  # migrations, extensions, scheduler, sync: once
    assert schedulers.rebuilds == 1
    assert bot.scheduler.job_ids() == EXPECTED_JOBS
    assert len(server.requests_for(GUILD_COMMANDS)) == syncs_before == 1
    assert bot.sender is not None
    assert bot.sender.running


async def test_a_restart_schedules_each_job_once(schedulers: Schedulers, runner: BotRunner) -> None:
    first = await runner.start()
    second = await runner.restart()
    assert schedulers.rebuilds == 2  # rebuilt from scratch by the new process
    assert schedulers.running() == [second.scheduler]  # the old one stopped with its bot
    assert not first.scheduler.running
    assert second.scheduler.job_ids() == EXPECTED_JOBS


async def test_response_survives_a_429(
    server: SandboxServer, bot: SigBot, community: DemoCommunity
) -> None:
    server.faults.rate_limit(CALLBACK, count=1, retry_after=0.4)
    assert await help_works(community)
    statuses = [r.status for r in server.requests_for(CALLBACK)]
    assert statuses[:2] == [429, 204] or statuses[:2] == [429, 200]
    first, second = server.requests_for(CALLBACK)[:2]
    assert second.time - first.time >= 0.4  # waited retry_after before trying again


# -- a slow database: every kind of interaction is acknowledged before Discord's deadline ----


@pytest.fixture
def scaled_deadline(server: SandboxServer, bot: SigBot) -> SigBot:
    """The sandbox refuses a first answer after ACK_DEADLINE (10062), as Discord after 3 s."""
    server.interaction_ack_timeout = ACK_DEADLINE
    assert isinstance(bot.tree, AppCommandTree)
    bot.tree.auto_defer_seconds = AUTO_DEFER
    return bot


def slow_down(monkeypatch: pytest.MonkeyPatch, service: object, method: str) -> None:
    original: Callable[..., Any] = getattr(service, method)

    async def slow(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(DATABASE_DELAY)  # a database stuck behind a long write
        return await original(*args, **kwargs)

    monkeypatch.setattr(service, method, slow)


def assert_acknowledged_in_time(statuses: list[int]) -> None:
    """A late first answer gets 404 (10062); an answer after a defer goes elsewhere."""
    assert statuses, "no callback at all"
    assert 404 not in statuses, f"the sandbox refused a late acknowledgement: {statuses}"


async def test_slow_database_command_is_deferred_in_time(
    scaled_deadline: SigBot, community: DemoCommunity, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_down(monkeypatch, scaled_deadline.services.settings, "show")
    ix = await community.moderator.slash("setup show")
    message = await ix.final(timeout=DATABASE_DELAY + 5)
    assert ix.response_type == 5  # "thinking…", then the answer
    assert_acknowledged_in_time(ix.callback_statuses)
    assert ix.ephemeral
    assert "Settings for" in str(message.embeds)


async def test_slow_database_menu_is_deferred_in_time(
    scaled_deadline: SigBot, community: DemoCommunity, monkeypatch: pytest.MonkeyPatch
) -> None:
    maria = community.members["maria"]
    preset = await community.moderator.slash("setup tags preset", name="pt")
    assert "Applied **pt**" in (await preset.final()).content
    picker = await (await maria.slash("tags pick")).final()
    slow_down(monkeypatch, scaled_deadline.services.member_tags, "set_member_tags")
    ix = await maria.select(picker, 0, ["Orthopedics", "Sports"])
    edited = await ix.final(timeout=DATABASE_DELAY + 5)
    assert ix.response_type == 6  # a deferred update, then the menu's message is edited
    assert_acknowledged_in_time(ix.callback_statuses)
    assert edited.id == picker.id
    assert "Added **Orthopedics**, **Sports**." in edited.content


async def test_slow_database_public_menu_answers_by_followup(
    server: SandboxServer,
    scaled_deadline: SigBot,
    community: DemoCommunity,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    general = community.guild.channel("general")
    await (await community.moderator.slash("setup tags preset", name="pt")).final()
    await (await community.moderator.slash("setup tags picker", channel=general)).final()
    public: Message = general.messages[0]
    slow_down(monkeypatch, scaled_deadline.services.member_tags, "set_member_tags")
    ix = await community.members["james"].select(public, "Clinical interest", ["Sports"])
    reply = await ix.final(timeout=DATABASE_DELAY + 5)
    assert ix.response_type == 6
    assert_acknowledged_in_time(ix.callback_statuses)
    assert reply.ephemeral
    assert "Added **Sports**." in reply.content
    assert public.edited_timestamp is None  # everyone's message left alone


async def test_slow_database_form_is_deferred_in_time(
    scaled_deadline: SigBot, community: DemoCommunity, monkeypatch: pytest.MonkeyPatch
) -> None:
    maria = community.members["maria"]
    opened = await maria.slash("profile edit")
    slow_down(monkeypatch, scaled_deadline.services.profiles, "edit")
    ix = await maria.submit_modal(opened, {"About me": "Sports PT in Milwaukee"})
    message = await ix.final(timeout=DATABASE_DELAY + 5)
    assert ix.response_type == 5  # a form opened by a command: "thinking…", then the answer
    assert_acknowledged_in_time(ix.callback_statuses)
    assert ix.ephemeral
    assert "Saved." in message.content

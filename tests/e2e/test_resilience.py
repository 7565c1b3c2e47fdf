"""The bot survives what Discord does to connections, rate limits and slow databases."""

from __future__ import annotations

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
from sandbox.messages import Message
from sandbox.server import SandboxServer
from tests.e2e.support import BotRunner

pytestmark = pytest.mark.e2e

CALLBACK = "POST /interactions/{interaction_id}/{interaction_token}/callback"
GUILD_COMMANDS = "PUT /applications/{application_id}/guilds/{guild_id}/commands"
JOB_ID = "test.digest"
# The bot's own jobs, as the features' manifests declare them, beside the test's (no
# icebreaker schedule yet, so no next-slot job): a job a feature adds but does not declare
# fails here.
EXPECTED_JOBS = sorted([*JOB_IDS, JOB_ID])
# The bot's 2 s auto-defer, shortened so a test does not wait for it; the sandbox keeps Discord's
# 3 s deadline. A stuck database call is released by the acknowledgement itself (an event), so
# "deferred before the database answered" never depends on how loaded the machine is.
AUTO_DEFER = 0.2
SETTLE_TIMEOUT = 10.0  # a bound on waiting for events, never a measurement


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
def quick_defer(bot: SigBot) -> SigBot:
    """The bot defers whatever is still working after AUTO_DEFER; the sandbox refuses a first
    answer after Discord's deadline (10062)."""
    assert isinstance(bot.tree, AppCommandTree)
    bot.tree.auto_defer_seconds = AUTO_DEFER
    return bot


def stuck_until_acknowledged(
    monkeypatch: pytest.MonkeyPatch, server: SandboxServer, service: object, method: str
) -> list[int]:
    """``service.method`` hangs like a database behind a long write until the sandbox has the
    newest interaction's acknowledgement; the acknowledgement's type is recorded as it answers.

    A bot that waited for the database before acknowledging would never be answered (the wait
    ends in a timeout and the test fails), so the order of events is the proof."""
    original: Callable[..., Any] = getattr(service, method)
    acknowledged_before_answer: list[int] = []

    async def stuck(*args: Any, **kwargs: Any) -> Any:
        newest = max(server.state.interactions.values(), key=lambda ix: ix.id)
        await server.wait_for(
            lambda: newest.acked,
            timeout=SETTLE_TIMEOUT,
            what="the bot to acknowledge while its database is stuck",
        )
        acknowledged_before_answer.append(newest.response_type)
        return await original(*args, **kwargs)

    monkeypatch.setattr(service, method, stuck)
    return acknowledged_before_answer


def assert_acknowledged_in_time(statuses: list[int]) -> None:
    """A late first answer gets 404 (10062); an answer after a defer goes elsewhere."""
    assert statuses, "no callback at all"
    assert 404 not in statuses, f"the sandbox refused a late acknowledgement: {statuses}"


async def test_slow_database_command_is_deferred_in_time(
    server: SandboxServer,
    quick_defer: SigBot,
    community: DemoCommunity,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    acked_first = stuck_until_acknowledged(
        monkeypatch, server, quick_defer.services.settings, "show"
    )
    ix = await community.moderator.slash("setup show")
    message = await ix.final(timeout=SETTLE_TIMEOUT)
    assert ix.response_type == 5  # "thinking…", then the answer
    assert acked_first == [5]  # acknowledged while the database was stuck
    assert_acknowledged_in_time(ix.callback_statuses)
    assert ix.ephemeral
    assert "Settings for" in str(message.embeds)


@pytest.mark.smoke
async def test_slow_database_menu_is_deferred_in_time(
    server: SandboxServer,
    quick_defer: SigBot,
    community: DemoCommunity,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    maria = community.members["maria"]
    preset = await community.moderator.slash("setup tags preset", name="pt")
    assert "Applied **pt**" in (await preset.final()).content
    picker = await (await maria.slash("tags pick")).final()
    acked_first = stuck_until_acknowledged(
        monkeypatch, server, quick_defer.services.member_tags, "set_member_tags"
    )
    ix = await maria.select(picker, 0, ["Orthopedics", "Sports"])
    edited = await ix.final(timeout=SETTLE_TIMEOUT)
    assert ix.response_type == 6  # a deferred update, then the menu's message is edited
    assert acked_first == [6]  # acknowledged while the database was stuck
    assert_acknowledged_in_time(ix.callback_statuses)
    assert edited.id == picker.id
    assert "Added **Orthopedics**, **Sports**." in edited.content


async def test_slow_database_public_menu_answers_by_followup(
    server: SandboxServer,
    quick_defer: SigBot,
    community: DemoCommunity,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    general = community.guild.channel("general")
    await (await community.moderator.slash("setup tags preset", name="pt")).final()
    await (await community.moderator.slash("setup tags picker", channel=general)).final()
    public: Message = general.messages[0]
    acked_first = stuck_until_acknowledged(
        monkeypatch, server, quick_defer.services.member_tags, "set_member_tags"
    )
    ix = await community.members["james"].select(public, "Clinical interest", ["Sports"])
    reply = await ix.final(timeout=SETTLE_TIMEOUT)
    assert ix.response_type == 6
    assert acked_first == [6]  # acknowledged while the database was stuck
    assert_acknowledged_in_time(ix.callback_statuses)
    assert reply.ephemeral
    assert "Added **Sports**." in reply.content
    assert public.edited_timestamp is None  # everyone's message left alone


async def test_slow_database_form_is_deferred_in_time(
    server: SandboxServer,
    quick_defer: SigBot,
    community: DemoCommunity,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    maria = community.members["maria"]
    opened = await maria.slash("profile edit")
    acked_first = stuck_until_acknowledged(
        monkeypatch, server, quick_defer.services.profiles, "edit"
    )
    ix = await maria.submit_modal(opened, {"About me": "Sports PT in Milwaukee"})
    message = await ix.final(timeout=SETTLE_TIMEOUT)
    assert ix.response_type == 5  # a form opened by a command: "thinking…", then the answer
    assert acked_first == [5]  # acknowledged while the database was stuck
    assert_acknowledged_in_time(ix.callback_statuses)
    assert ix.ephemeral
    assert "Saved." in message.content

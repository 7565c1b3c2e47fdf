"""The terminal driver (`python -m bot sandbox`) with the real bot: lines as people type them."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from bot.client import SigBot
from sandbox.channels import DM
from sandbox.cli import seed_settings, settle
from sandbox.demo import DemoCommunity
from sandbox.driver import HELP, Driver, DriverError
from sandbox.driver_words import plain_error
from sandbox.server import SandboxServer

pytestmark = pytest.mark.e2e
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
async def driver(bot: SigBot, community: DemoCommunity) -> Driver:
    await seed_settings(bot, community)
    return Driver(community, settle=lambda: settle(bot))


def last_options(server: SandboxServer) -> dict[str, object]:
    """The leaf options of the newest interaction the server dispatched, by name."""
    newest = max(server.state.interactions.values(), key=lambda ix: ix.id)
    options = newest.data["options"]
    while options and "options" in options[0]:
        options = options[0]["options"]
    return {o["name"]: o["value"] for o in options}


async def test_a_yes_no_option_refuses_anything_else(driver: Driver) -> None:
    with pytest.raises(DriverError, match="discoverable takes yes or no, not 'maybe'"):
        await driver.run("/setup defaults discoverable:maybe")
    assert "yes → **no**" in await driver.run("/setup defaults discoverable:no")


async def test_a_text_option_takes_text_starting_with_an_at(
    driver: Driver, server: SandboxServer
) -> None:
    await driver.run("as sam")
    await driver.run("/tags suggest name:@home-health")
    assert last_options(server) == {"name": "@home-health"}


async def test_fields_left_out_of_a_form_keep_what_it_showed(driver: Driver) -> None:
    await driver.run("as maria")
    form = await driver.run("/profile edit")
    assert "return-to-run" in form  # pre-filled from her profile
    await driver.run('modal "What I\'m looking for=Students to mentor"')
    profile = await driver.run('user "View profile" @maria')
    assert "return-to-run programs" in profile
    assert "Students to mentor" in profile


async def test_select_reaches_a_menu_in_any_message_shown(driver: Driver) -> None:
    await driver.run("as sam")
    await driver.run("/tags pick")
    first = driver.shown[-1]
    await driver.run("/tags pick")
    second = driver.shown[-1]
    menus_each = len([c for c in first.iter_components() if c.get("type") == 3])
    driver.shown = [second, first]  # e.g. two answers shown together, the older one last
    later_menu = menus_each + 3  # the third menu of the message shown second
    assert f"<select {later_menu}:" in driver._render()
    assert "Added **Student**" in await driver.run(f"select {later_menu} Student")
    newest = max(driver.server.state.interactions.values(), key=lambda ix: ix.id)
    assert newest.source_message is first


async def test_a_missing_permission_is_said_in_words(driver: Driver) -> None:
    await driver.run("as james")
    with pytest.raises(DriverError) as refused:
        await driver.run("/setup show")
    assert str(refused.value) == (
        "James Okafor, SPT cannot use /setup: it needs the Manage Server permission"
    )


async def test_channels_lists_what_the_member_can_see(driver: Driver) -> None:
    moderator_view = await driver.run("channels")
    await driver.run("as james")
    member_view = await driver.run("channels")
    assert "#general" in member_view
    assert "#mod-log" in moderator_view
    assert "#mod-log" not in member_view
    assert "channels" in HELP


async def test_a_quoted_command_name(driver: Driver) -> None:
    assert "return-to-run programs" in await driver.run('user "View profile" @maria')
    assert "return-to-run programs" in await driver.run("view-profile @maria")


async def test_a_member_can_leave_and_rejoin(driver: Driver, community: DemoCommunity) -> None:
    assert "left the server" in await driver.run("leave maria")
    assert community.members["maria"].id not in community.guild.members
    assert "joined the server again" in await driver.run("rejoin maria")
    maria = community.members["maria"]  # the actor; the guild holds the member it acts as
    assert community.guild.members[maria.id] is maria.member
    assert "leave NAME" in HELP


async def test_a_choice_by_its_name_or_its_value(driver: Driver, server: SandboxServer) -> None:
    schedule = "/setup icebreakers schedule channel:#icebreakers cadence:weekly time:09:00"
    await driver.run(f"{schedule} weekday:monday")
    assert last_options(server)["weekday"] == 0
    await driver.run(f"{schedule} weekday:0")
    assert last_options(server)["weekday"] == 0
    with pytest.raises(DriverError, match="weekday is one of: Monday, Tuesday"):
        await driver.run(f"{schedule} weekday:someday")
    assert "weekday:Monday" in HELP


async def test_quotes_around_a_value_are_stripped(driver: Driver, server: SandboxServer) -> None:
    await driver.run("as sam")
    await driver.run("/tags suggest name:“Telehealth”")
    assert last_options(server) == {"name": "Telehealth"}
    await driver.run("/tags suggest name:\"'Aquatic therapy'\"")
    assert last_options(server) == {"name": "Aquatic therapy"}


async def test_click_by_the_start_of_a_label(driver: Driver) -> None:
    await driver.run("as sam")
    await driver.run("/tags suggest name:Telehealth")
    await driver.run("as dana")
    await driver.run("/setup tags review")
    with pytest.raises(DriverError, match="'appr' could be Approve, Approve as alias: type more"):
        await driver.run("click appr")
    assert "Rejected" in await driver.run("click rej")  # a unique start


async def test_errors_read_as_one_plain_line(driver: Driver) -> None:
    with pytest.raises(DriverError) as unknown:
        await driver.run("/nosuch thing")
    assert str(unknown.value).startswith("there is no /nosuch command; commands:")
    assert "\n" not in str(unknown.value)
    with pytest.raises(DriverError) as bad_file:
        await driver.run("save 1 out.txt")
    assert str(bad_file.value) == "no file in the latest output"
    body = '403 Forbidden (error code: 50007): {"message": "Cannot send messages to this user"}'
    assert plain_error(RuntimeError(body)) == "RuntimeError: Cannot send messages to this user"


async def test_commands_in_a_dm_and_saving_the_export(
    driver: Driver, bot: SigBot, server: SandboxServer, tmp_path: Path
) -> None:
    await bot.sync_commands()  # python -m bot sandbox publishes globally as well
    await driver.run("as maria")
    assert "Stored about you in 1 server" in await driver.run("dm /privacy show")
    assert driver.prompt == "maria> "  # one command in the DM; the next runs in #general again
    assert "your DM with the bot" in await driver.run("in dm")
    assert driver.prompt == "maria (dm)> "
    exported = await driver.run("/privacy export")
    newest = max(server.state.interactions.values(), key=lambda ix: ix.id)
    assert newest.channel.type == DM
    assert "[file 1: " in exported
    saved = await driver.run(f"save 1 {tmp_path / 'mine.json'}")
    assert "Saved" in saved
    assert json.loads((tmp_path / "mine.json").read_text())  # the export itself
    assert "Saved sigbot-my-data.json" in await driver.run(f"save sigbot {tmp_path / 'b.json'}")
    assert (tmp_path / "b.json").read_bytes() == (tmp_path / "mine.json").read_bytes()
    assert "Commands now run in #general" in await driver.run("in server")


async def test_a_command_inside_the_mentorship_thread(driver: Driver) -> None:
    await driver.run("as priya")
    await driver.run("/mentor offer capacity:1")
    await driver.run("as james")
    assert "[form]" in await driver.run("/mentor request topic:ortho")
    await driver.run('modal "Your goals (a couple, specific)=Pass the OCS exam"')
    await driver.run("wait")
    await driver.run("as priya")
    await driver.run("inbox")
    assert "You claimed it" in await driver.run("click Cla")
    await driver.run("wait")
    threads = await driver.run("threads")
    assert threads.startswith("1. ")
    assert "(private in #mentorship)" in threads
    assert "Priya" in threads
    assert "James" in threads
    assert "Commands now run in the thread" in await driver.run("in thread 1")
    assert driver.prompt.startswith("priya (")
    assert "[form]" in await driver.run("/mentor close outcome:completed")
    assert "(in " in await driver.run("as james")  # the place stays: both are in the thread
    with pytest.raises(DriverError, match="there is no thread 9: type threads"):
        await driver.run("in thread 9")


async def test_closed_dms_and_a_members_plain_message(
    driver: Driver, community: DemoCommunity
) -> None:
    said = await driver.run("dms closed priya")
    assert "closed their DMs" in said
    assert community.members["priya"].user.dms_open is False
    await driver.run("as sam")
    await driver.run("/intro request member:@priya")
    await driver.run("wait")  # the bot's DM is refused with 50007: Priya gets nothing
    assert driver.server.dm_messages(community.members["priya"]) == []
    posts = driver.server.requests_for("POST /channels/{channel_id}/messages")
    assert any(r.status == 403 and r.response["code"] == 50007 for r in posts)
    assert "accepts DMs again" in await driver.run("dms open priya")
    assert community.members["priya"].user.dms_open is True
    await driver.run("as maria")
    assert "said in #icebreakers" in await driver.run("say #icebreakers Morning all!")
    icebreakers = community.guild.channel("icebreakers")
    assert icebreakers.messages[-1].content == "Morning all!"
    assert icebreakers.last_message_id == icebreakers.messages[-1].id


async def test_time_travel_moves_the_clock_and_runs_what_fell_due(
    community: DemoCommunity,
) -> None:
    moved: list[datetime.timedelta] = []

    async def travel(span: datetime.timedelta) -> datetime.datetime:
        moved.append(span)
        return datetime.datetime(2026, 1, 13, 9, 0, tzinfo=datetime.UTC)

    driver = Driver(community, travel=travel)
    said = await driver.run("travel 8d")
    assert said.startswith("It is now Tuesday 13 January 2026, 09:00 UTC")
    assert moved == [datetime.timedelta(days=8)]
    await driver.run("travel 2w")
    assert moved[-1] == datetime.timedelta(weeks=2)
    with pytest.raises(DriverError, match="how far"):
        await driver.run("travel soon")
    with pytest.raises(DriverError, match="needs the bot's clock"):
        await Driver(community).run("travel 1h")


async def test_help_and_the_readme_name_every_verb(driver: Driver) -> None:
    readme = README.read_text(encoding="utf-8")
    for verb in driver._verbs():
        assert verb in HELP, verb
    for promised in ("in dm", "in thread 1", "travel 8d", "dms closed", "say #", "save N"):
        assert promised in readme, promised
        assert promised.split()[0] in HELP

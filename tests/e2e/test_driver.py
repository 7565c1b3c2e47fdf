"""The terminal driver (`python -m bot sandbox`) with the real bot: lines as people type them."""

from __future__ import annotations

import pytest

from bot.client import SigBot
from sandbox.cli import seed_settings, settle
from sandbox.demo import DemoCommunity
from sandbox.driver import HELP, Driver, DriverError
from sandbox.server import SandboxServer

pytestmark = pytest.mark.e2e


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

"""/help and /setup as members and moderators would use them, through the sandbox server."""

from __future__ import annotations

import pytest

from bot.client import SigBot
from sandbox.control import CommandNotAvailable
from sandbox.demo import DemoCommunity
from sandbox.render import render_message

pytestmark = pytest.mark.e2e


@pytest.mark.smoke
async def test_help_is_ephemeral_and_lists_member_commands(
    bot: SigBot, community: DemoCommunity
) -> None:
    ix = await community.members["maria"].slash("help")
    message = await ix.final()
    assert ix.ephemeral
    text = render_message(message)
    assert "How I can help" in text
    assert "/help" in text
    assert "/setup" not in text.split("For moderators")[0]
    assert "For moderators" not in text


async def test_help_mentions_setup_to_moderators(bot: SigBot, community: DemoCommunity) -> None:
    message = await (await community.moderator.slash("help")).final()
    assert "/setup show" in render_message(message)


async def test_setup_channel_then_show_with_health_check(
    bot: SigBot, community: DemoCommunity
) -> None:
    guild, mod = community.guild, community.moderator
    mentorship = guild.channel("mentorship")
    guild.set_bot_permissions(mentorship, deny=["create_private_threads"])

    ix = await mod.slash("setup channel", purpose="mentorship", channel=mentorship)
    reply = render_message(await ix.final())
    assert ix.ephemeral
    assert "Saved." in reply
    assert "cannot create private threads in #mentorship" in reply

    ix = await mod.slash(
        "setup channel", purpose="introductions", channel=guild.channel("introductions")
    )
    assert "✅" in render_message(await ix.final())

    shown = render_message(await (await mod.slash("setup show")).final())
    assert "introductions" in shown
    assert "cannot create private threads in #mentorship" in shown
    assert "moderation-log**: not set" in shown
    assert "New members discoverable: **no**" in shown


async def test_setup_defaults_changes_and_validates(bot: SigBot, community: DemoCommunity) -> None:
    mod = community.moderator
    ix = await mod.slash("setup defaults", discoverable=True, timezone="America/Chicago")
    reply = render_message(await ix.final())
    assert "New members discoverable: no → **yes**" in reply
    assert "Time zone: UTC → **America/Chicago**" in reply

    bad = await mod.slash("setup defaults", timezone="Mars/Olympus", intro_expiry_days=3)
    reply = render_message(await bad.final())
    assert bad.ephemeral
    assert "not a time zone I know" in reply
    settings = await bot.services.settings.show(community.guild.id)
    assert settings.defaults.intro_expiry_days == 7  # nothing changed
    assert settings.defaults.timezone == "America/Chicago"


async def test_timezone_autocomplete(bot: SigBot, community: DemoCommunity) -> None:
    choices = await community.moderator.autocomplete(
        "setup defaults", focused="timezone", value="america/new"
    )
    assert choices[0]["value"] == "America/New_York"


async def test_members_cannot_use_setup(bot: SigBot, community: DemoCommunity) -> None:
    maria = community.members["maria"]
    # Discord hides /setup from members without Manage Server ...
    with pytest.raises(CommandNotAvailable):
        await maria.slash("setup show")


async def test_setup_is_rechecked_at_run_time(bot: SigBot, community: DemoCommunity) -> None:
    """A server admin may have opened /setup to everyone; the bot still refuses members."""
    guild = community.guild
    maria = community.members["maria"]
    for command in community.server_commands():
        if command["name"] == "setup":
            command["default_member_permissions"] = None  # overridden in Server Settings
    ix = await maria.slash("setup defaults", discoverable=True)
    reply = render_message(await ix.final())
    assert ix.ephemeral
    assert "You need the Manage Server permission" in reply
    assert (await bot.services.settings.show(guild.id)).defaults.discoverable_by_default is False


async def test_setup_show_says_when_members_cannot_see_a_channel_they_must_reach(
    bot: SigBot, community: DemoCommunity
) -> None:
    """A mentorship channel only moderators see: threads open there, mentees cannot reach them."""
    guild, mod = community.guild, community.moderator
    hidden = guild.add_text_channel(
        "mentors-only",
        overwrites={
            guild.everyone: (None, ["view_channel"]),
            guild.role("Moderator"): (["view_channel"], None),
            guild.bot_member: (["view_channel"], None),
        },
    )
    ix = await mod.slash("setup channel", purpose="mentorship", channel=hidden)
    said = render_message(await ix.final())
    assert "members cannot see #mentors-only" in said
    log = guild.channel("mod-log")
    await (await mod.slash("setup channel", purpose="moderation-log", channel=log)).final()
    shown = render_message(await (await mod.slash("setup show")).final())
    assert "members cannot see #mentors-only" in shown
    assert "members cannot see #mod-log" not in shown  # the log is for moderators alone

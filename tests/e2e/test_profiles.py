"""Profiles as members use them, through the sandbox server: the edit modal, /profile view, the
"View profile" user menu, the consent rule, and text that cannot ping or hide.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.client import SigBot
from sandbox.control import Interaction
from sandbox.demo import DemoCommunity
from sandbox.members import Member
from tests.e2e.support import BotRunner, answer

pytestmark = pytest.mark.e2e

ABOUT, LOOKING = "About me", "What I'm looking for"
CONTACT = "How to reach me (only for people I meet)"
HIDDEN = "There is no profile to show for that member."


def modal_fields(ix: Interaction) -> dict[str, Any]:
    """Label → pre-filled value of each text input in the modal the bot opened."""
    assert ix.modal is not None, f"{ix.label} opened no modal"
    return {
        row["components"][0]["label"]: row["components"][0].get("value")
        for row in ix.modal["components"]
    }


async def edit_profile(member: Member, **fields: str) -> Interaction:
    opened = await member.slash("profile edit")
    return await member.submit_modal(opened, fields)


@pytest.mark.smoke
async def test_edit_modal_saves_and_is_prefilled_next_time(
    bot: SigBot, community: DemoCommunity
) -> None:
    maria = community.members["maria"]
    opened = await maria.slash("profile edit")
    assert modal_fields(opened) == {ABOUT: None, LOOKING: None, CONTACT: None}
    assert opened.modal is not None
    assert opened.modal["title"] == "Your profile"

    about = "Outpatient ortho PT in Ohio, 5 years in.\nLove running injuries."
    saved = await maria.submit_modal(
        opened, {ABOUT: about, LOOKING: "People to talk research with"}
    )
    shown = await answer(saved)
    assert "Saved. This is how your profile looks:" in shown
    assert "About me: Outpatient ortho PT in Ohio, 5 years in." in shown
    assert "Love running injuries." in shown
    assert "What I'm looking for: People to talk research with" in shown
    assert "Only you can see this: you are not discoverable in this server." in shown
    assert "/privacy" not in shown  # no command that does not exist yet

    again = await maria.slash("profile edit")
    assert modal_fields(again) == {
        ABOUT: about,
        LOOKING: "People to talk research with",
        CONTACT: None,
    }
    cleared = await answer(await maria.submit_modal(again, {ABOUT: about, LOOKING: ""}))
    assert "What I'm looking for: Not filled in yet." in cleared
    assert modal_fields(await maria.slash("profile edit")) == {
        ABOUT: about,
        LOOKING: None,
        CONTACT: None,
    }


async def test_a_hidden_members_profile_is_only_theirs_to_see(
    bot: SigBot, community: DemoCommunity
) -> None:
    maria, james = community.members["maria"], community.members["james"]
    await answer(await edit_profile(maria, **{ABOUT: "Ortho PT, happy to mentor students."}))

    own = await answer(await maria.slash("profile view"))
    assert "Ortho PT, happy to mentor students." in own
    assert "Only you can see this" in own

    # The demo server's default is "not discoverable": others get one neutral answer ...
    for ix in (
        await james.slash("profile view", member=maria),
        await james.user_command("View profile", maria),
    ):
        reply = await answer(ix)
        assert HIDDEN in reply
        assert "Ortho PT" not in reply
    # ... the same as for someone the bot has never seen.
    assert HIDDEN in await answer(
        await james.slash("profile view", member=community.members["sam"])
    )
    # Viewing yourself through the menu works like /profile view.
    assert "Ortho PT" in await answer(await maria.user_command("View profile", maria))


async def test_discoverable_members_profiles_are_visible(
    bot: SigBot, community: DemoCommunity
) -> None:
    mod, priya, james = community.moderator, community.members["priya"], community.members["james"]
    turned_on = await answer(await mod.slash("setup defaults", discoverable=True))
    assert "New members discoverable: no → **yes**" in turned_on
    await answer(await mod.slash("setup tags preset", name="pt"))

    await answer(await priya.slash("tags add", tag="ortho"))
    await answer(await priya.slash("tags add", tag="Outpatient"))
    await answer(
        await edit_profile(priya, **{ABOUT: "OCS, 12 years outpatient.", LOOKING: "Mentees"})
    )

    for ix in (
        await james.slash("profile view", member=priya),
        await james.user_command("View profile", priya),
    ):
        reply = await answer(ix)
        assert "**Priya Raman, PT, OCS**" in reply
        assert "About me: OCS, 12 years outpatient." in reply
        assert "What I'm looking for: Mentees" in reply
        assert "**Clinical interest**: Orthopedics" in reply
        assert "**Practice setting**: Outpatient" in reply
        assert "discoverable" not in reply  # the visibility note is for the owner only
    own = await answer(await priya.slash("profile view"))
    assert "You are discoverable: members of this server can see this profile." in own


async def test_text_that_could_ping_or_hide_is_neutralised(
    bot: SigBot, community: DemoCommunity
) -> None:
    mod, maria = community.moderator, community.members["maria"]
    await answer(await mod.slash("setup defaults", discoverable=True))
    role = community.guild.role("Student")
    hostile = (
        f"Hi @everyone and @here, ask <@{mod.id}> or <@!{mod.id}> or <@&{role.id}>"
        "\u200b\u202e\u2066 anything"
    )
    saved = await maria.submit_modal(
        await maria.slash("profile edit"), {ABOUT: hostile, LOOKING: "\u200b\u200b"}
    )
    shown = await answer(saved)
    for ping in ("@everyone", "@here", "<@", "\u200b", "\u202e", "\u2066"):
        assert ping not in shown
    assert "Hi ＠everyone and ＠here" in shown
    assert "What I'm looking for: Not filled in yet." in shown  # only invisible characters

    seen = await answer(await community.members["james"].slash("profile view", member=maria))
    assert "Hi ＠everyone" in seen
    assert "<@" not in seen


async def test_too_long_text_is_refused_and_changes_nothing(
    bot: SigBot, community: DemoCommunity
) -> None:
    maria = community.members["maria"]
    await answer(await edit_profile(maria, **{ABOUT: "Sports PT."}))
    # 120 characters in the field, 360 after NFC (each Hebrew presentation form is 3 letters).
    too_long = "\ufb2c" * 120
    refused = await answer(await edit_profile(maria, **{ABOUT: too_long, LOOKING: "Anything"}))
    assert "About me can be at most 300 characters (that has 360). Please shorten it." in refused
    shown = await answer(await maria.slash("profile view"))
    assert "About me: Sports PT." in shown
    assert "What I'm looking for: Not filled in yet." in shown


async def test_a_form_open_across_a_restart_gets_a_clear_answer(
    runner: BotRunner, community: DemoCommunity
) -> None:
    await runner.start()
    maria = community.members["maria"]
    opened = await maria.slash("profile edit")
    await runner.restart()
    submitted = await maria.submit_modal(opened, {ABOUT: "Sports PT in Milwaukee"})
    assert "open it again" in await answer(submitted)
    shown = await answer(await maria.slash("profile view"))
    assert "Sports PT in Milwaukee" not in shown  # nothing was changed

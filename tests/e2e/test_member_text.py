"""Text members write, through the sandbox server (issue #9): kept as written, links only ever as
their plain URL, and typed text that is not a tag echoed back as typed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.client import SigBot
from bot.domain.profiles import Profile
from sandbox.control import Interaction
from sandbox.demo import DemoCommunity
from sandbox.members import Member
from sandbox.messages import Message
from sandbox.render import render_message

pytestmark = pytest.mark.e2e

ABOUT, LOOKING = "About me", "What I'm looking for"
CONTACT = "How to reach me (only for people I meet)"
# An opening bracket Discord would read as the start of a masked link: not escaped by an odd
# run of backslashes, and followed on the same line by ``](``.
LIVE_LINK = re.compile(r"(?<!\\)(?:\\\\)*\[[^\n]*?\]\(")
SCOTLAND = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"  # a tag sequence


async def settled(ix: Interaction) -> Message:
    message = await ix.final()
    assert ix.ephemeral, f"{ix.label} answered in public: {render_message(message)}"
    return message


def profile_fields(message: Message) -> dict[str, str]:
    """Field name → value exactly as sent to Discord (Markdown and all)."""
    (embed,) = message.embeds
    return {field["name"]: field["value"] for field in embed["fields"]}


def prefilled(ix: Interaction) -> dict[str, Any]:
    assert ix.modal is not None, f"{ix.label} opened no modal"
    return {
        row["components"][0]["label"]: row["components"][0].get("value")
        for row in ix.modal["components"]
    }


async def edit_profile(member: Member, **fields: str) -> Message:
    opened = await member.slash("profile edit")
    return await settled(await member.submit_modal(opened, fields))


async def test_emoji_sequences_and_symbols_round_trip(
    bot: SigBot, community: DemoCommunity
) -> None:
    maria, james = community.members["maria"], community.members["james"]
    await settled(await community.moderator.slash("setup defaults", discoverable=True))
    about = (
        "Nurse 👩\u200d⚕️ turned PT, mum of 👨\u200d👩\u200d👧 1️⃣\nClinic of 200 m², ½ days, Graston™"
    )
    looking = f"Fellow 🏳️\u200d🌈 clinicians in {SCOTLAND}"
    saved = profile_fields(await edit_profile(maria, **{ABOUT: about, LOOKING: looking}))
    assert saved[ABOUT] == about
    assert saved[LOOKING] == looking

    seen = profile_fields(await settled(await james.slash("profile view", member=maria)))
    assert seen[ABOUT] == about
    assert seen[LOOKING] == looking
    # The edit form opens with exactly what she wrote, so saving again changes nothing.
    assert prefilled(await maria.slash("profile edit")) == {
        ABOUT: about,
        LOOKING: looking,
        CONTACT: None,
    }


async def test_a_zero_width_joiner_between_letters_is_still_dropped(
    bot: SigBot, community: DemoCommunity
) -> None:
    maria = community.members["maria"]
    saved = profile_fields(
        await edit_profile(maria, **{ABOUT: "Or\u200dtho \u202eP\u200bT 👩\u200d⚕️"})
    )
    assert saved[ABOUT] == "Ortho PT 👩\u200d⚕️"


async def test_masked_links_are_shown_as_plain_text(bot: SigBot, community: DemoCommunity) -> None:
    maria, james = community.members["maria"], community.members["james"]
    await settled(await community.moderator.slash("setup defaults", discoverable=True))
    about = (
        "Free gift: [https://discord.com/gift](https://evil.example) or [click](https://x.example)"
    )
    looking = "My site https://maria.example and \\[not a link](https://y.example)"
    for message in (
        await edit_profile(maria, **{ABOUT: about, LOOKING: looking}),
        await settled(await james.slash("profile view", member=maria)),
    ):
        fields = profile_fields(message)
        assert not LIVE_LINK.search(fields[ABOUT]), fields[ABOUT]
        assert not LIVE_LINK.search(fields[LOOKING]), fields[LOOKING]
        # Escaped brackets render as the brackets themselves: readers see the real address.
        assert fields[ABOUT] == (
            "Free gift: \\[https://discord.com/gift\\](https://evil.example) "
            "or \\[click\\](https://x.example)"
        )
        assert fields[LOOKING] == (
            "My site https://maria.example and \\[not a link\\](https://y.example)"
        )
    # What she wrote is stored as she wrote it: the edit form shows no backslashes.
    assert prefilled(await maria.slash("profile edit"))[ABOUT] == about


async def test_rows_stored_before_the_rules_are_shown_safely(
    bot: SigBot, community: DemoCommunity
) -> None:
    maria = community.members["maria"]
    guild_id = community.guild.id
    now = datetime(2025, 1, 1, tzinfo=UTC)
    old = Profile(about="[click me](https://evil.example) @everyone <@1>", looking_for=None)
    async with bot.services.db.transaction() as uow:  # written without today's cleaning
        await uow.members.ensure(guild_id, maria.id, discoverable=False, now=now)
        await uow.profiles.save(guild_id, maria.id, old, now=now)
    shown = profile_fields(await settled(await maria.slash("profile view")))[ABOUT]
    assert shown == "\\[click me\\](https://evil.example) ＠everyone <＠1>"


async def test_a_tag_that_is_not_a_word_is_echoed_back(
    bot: SigBot, community: DemoCommunity
) -> None:
    member = community.members["maria"]
    await settled(await community.moderator.slash("setup tags preset", name="pt"))
    reply = render_message(await settled(await member.slash("tags add", tag="🦴")))
    assert "Tags are words: “🦴” isn't one. Try /tags list" in reply
    assert "“that”" not in reply
    marked = render_message(await settled(await member.slash("tags add", tag="**bones** @here")))
    assert "There is no tag called “\\*\\*bones\\*\\* ＠here”" in marked


async def test_counts_are_said_right(bot: SigBot, community: DemoCommunity) -> None:
    mod, maria = community.moderator, community.members["maria"]
    await settled(await mod.slash("setup tags add", name="Manual Therapy"))
    await settled(await mod.slash("setup tags add", name="Orthopedics"))
    await settled(await maria.slash("tags add", tag="Manual Therapy"))
    general = community.guild.channel("general")
    posted = render_message(await settled(await mod.slash("setup tags picker", channel=general)))
    assert "Posted the picker in #general (1 message)." in posted
    question = await settled(
        await mod.slash("setup tags merge", tag="Manual Therapy", into="Orthopedics")
    )
    merged = render_message(await (await mod.click(question, "Merge")).final())
    assert ": 1 member moved," in merged

"""Interest tags as members and moderators use them, through the sandbox server.

Issue #5: the preset and aliases, adding by alias and near miss, the pickers (also after a
restart), autocomplete, small-count suppression, suggestions and their review, curation that
keeps members' tags, and bad input. Every answer only the invoker needs is ephemeral, and
nothing the bot sends can ping.
"""

from __future__ import annotations

import pytest

from bot.client import SigBot
from sandbox.control import CommandNotAvailable
from sandbox.demo import DemoCommunity
from sandbox.members import Member
from sandbox.messages import Message
from sandbox.render import render_message
from sandbox.server import SandboxServer
from tests.e2e.support import BotRunner, answer

pytestmark = pytest.mark.e2e


async def mine(member: Member) -> str:
    return await answer(await member.slash("tags mine"))


def select_labels(message: Message, which: int) -> list[str]:
    select = [c for c in message.iter_components() if c["type"] == 3][which]
    return [o["label"] for o in select["options"]]


def defaults(message: Message) -> list[str]:
    return [
        o["label"]
        for c in message.iter_components()
        if c["type"] == 3
        for o in c["options"]
        if o.get("default")
    ]


# -- the vocabulary --------------------------------------------------------------------------


async def test_moderator_applies_the_preset_and_adds_an_alias(pt: DemoCommunity) -> None:
    mod, maria = pt.moderator, pt.members["maria"]
    again = await answer(await mod.slash("setup tags preset", name="pt"))
    assert "already in place; nothing changed" in again

    reply = await answer(await mod.slash("setup tags alias", tag="Sports", alias="SCS"))
    assert "Typing “SCS” now finds **Sports**." in reply

    assert "Added **Sports** (Clinical interest)" in await answer(
        await maria.slash("tags add", tag="scs")
    )
    assert "Added **Orthopedics**" in await answer(await maria.slash("tags add", tag="ortho"))
    assert "You already have **Orthopedics**" in await answer(
        await maria.slash("tags add", tag="Orthopaedics")
    )
    assert "**Clinical interest**: Orthopedics, Sports" in await mine(maria)


async def test_a_typo_resolves_or_gets_did_you_mean(pt: DemoCommunity) -> None:
    maria = pt.members["maria"]
    assert "Added **Neurology**" in await answer(await maria.slash("tags add", tag="neurolgy"))

    reply = await answer(await maria.slash("tags add", tag="cardiac stuff"))
    assert "There is no tag called “cardiac stuff”" in reply
    assert "Did you mean **Cardiovascular & Pulmonary**" in reply
    assert "/tags suggest" in reply
    assert "Neurology" in await mine(maria)
    assert "Cardiovascular" not in await mine(maria)


@pytest.mark.smoke
async def test_pick_many_with_menus_then_remove_one(pt: DemoCommunity) -> None:
    maria = pt.members["maria"]
    ix = await maria.slash("tags pick")
    picker = await ix.final()
    assert ix.ephemeral
    assert "**Your tags** (0/25)" in render_message(picker)
    placeholders = [c["placeholder"] for c in picker.iter_components()]
    assert placeholders == [
        "Clinical interest",
        "Practice setting",
        "Career stage",
        "Role",
        "Region",
    ]

    chose = await maria.select(picker, 0, ["Orthopedics", "Sports", "Neurology", "Vestibular"])
    edited = await chose.final()
    assert "Added **Neurology**, **Orthopedics**, **Sports**, **Vestibular**." in edited.content
    assert "You have 4/25 tags." in edited.content
    assert sorted(defaults(edited)) == ["Neurology", "Orthopedics", "Sports", "Vestibular"]

    await (await maria.select(edited, "Practice setting", ["Outpatient"])).final()
    await (await maria.select(edited, "Career stage", ["Experienced"])).final()
    # Unselecting in a menu removes just that menu's tag.
    unpicked = await maria.select(edited, 0, ["Orthopedics", "Sports", "Neurology"])
    assert "Removed **Vestibular**." in (await unpicked.final()).content

    removed = await answer(await maria.slash("tags remove", tag="Sports"))
    assert "Removed **Sports**. You have 4/25 tags." in removed
    shown = await mine(maria)
    assert "**Your tags** (4/25)" in shown
    assert "**Clinical interest**: Neurology, Orthopedics" in shown
    assert "**Practice setting**: Outpatient" in shown
    assert "**Career stage**: Experienced" in shown

    # A second picker shows what is held now.
    again = await (await maria.slash("tags pick")).final()
    assert sorted(defaults(again)) == ["Experienced", "Neurology", "Orthopedics", "Outpatient"]


async def test_list_shows_counts_and_suppresses_small_ones(pt: DemoCommunity) -> None:
    for name in ("maria", "priya", "diego"):
        await answer(await pt.members[name].slash("tags add", tag="Orthopedics"))
    await answer(await pt.members["grace"].slash("tags add", tag="Sports"))

    listing = await answer(await pt.members["james"].slash("tags list"))
    assert "Orthopedics · 3" in listing
    # The rarely held tags are collapsed onto one line per category, without counts.
    assert "*and 18 with fewer than 3 members:* Acute Care, Aquatic," in listing
    assert "Sports ·" not in listing
    assert "fewer than 3 members are grouped" in listing
    assert len(listing.splitlines()) < 30

    roles = await answer(await pt.members["james"].slash("tags list", category="Role"))
    assert "with fewer than 3 members:* " in roles
    assert "PTA" in roles
    assert "Orthopedics" not in roles

    # Moderators see the real counts, including the tags nobody holds.
    exact = await answer(await pt.moderator.slash("tags list", category="Clinical interest"))
    assert "Orthopedics · 3" in exact
    assert "Sports · 1" in exact
    assert "*and 17 with no members:* Acute Care, Aquatic," in exact
    assert "Exact counts, shown to moderators only." in exact

    unknown = await answer(await pt.members["james"].slash("tags list", category="Hobbies"))
    assert "There is no category “Hobbies”" in unknown


async def test_autocomplete_for_add_and_for_my_tags(pt: DemoCommunity) -> None:
    maria = pt.members["maria"]
    choices = await maria.autocomplete("tags add", focused="tag", value="ort")
    assert choices[0] == {"name": "Orthopedics · Clinical interest", "value": "Orthopedics"}
    # Names containing "ort", and nothing that merely shares a letter or two.
    assert {c["value"] for c in choices} == {"Orthopedics", "Sports", "Northeast", "West Coast"}
    by_alias = await maria.autocomplete("tags add", focused="tag", value="peds")
    assert by_alias[0]["value"] == "Pediatrics"

    assert await maria.autocomplete("tags remove", focused="tag", value="") == []
    await answer(await maria.slash("tags add", tag="Orthopedics"))
    await answer(await maria.slash("tags add", tag="Student"))
    mine_only = await maria.autocomplete("tags remove", focused="tag", value="")
    assert [c["value"] for c in mine_only] == ["Orthopedics", "Student"]
    assert [c["value"] for c in await maria.autocomplete("tags remove", focused="tag", value="st")]
    assert [
        c["value"] for c in await maria.autocomplete("tags remove", focused="tag", value="neuro")
    ] == []


# -- the public picker -----------------------------------------------------------------------


async def test_public_picker_keeps_working_after_a_restart(
    pt: DemoCommunity, runner: BotRunner, server: SandboxServer
) -> None:
    general = pt.guild.channel("general")
    ix = await pt.moderator.slash("setup tags picker", channel=general)
    assert "Posted the picker in #general" in await answer(ix)
    posted = general.messages
    assert [m.author.id for m in posted] == [server.state.bot_user.id] * len(posted)
    first = posted[0]
    assert "**Pick your interests**" in first.content
    assert select_labels(first, 0)[:3] == ["Acute Care", "Aquatic", "Cardiovascular & Pulmonary"]

    await runner.restart()

    james = pt.members["james"]
    joined = await james.select(first, "Clinical interest", ["Orthopedics", "Sports"])
    reply = await answer(joined)
    assert "Added **Orthopedics**, **Sports**. You have 2/25 tags." in reply
    assert "Edit my tags" in reply
    await answer(await james.select(first, "Career stage", ["Student"]))
    assert "**Career stage**: Student" in await mine(james)

    edit_button = next(m for m in posted if any(c["type"] == 2 for c in m.iter_components()))
    personal = await james.click(edit_button, "Edit my tags")
    picker = await personal.final()
    assert personal.ephemeral
    assert sorted(defaults(picker)) == ["Orthopedics", "Sports", "Student"]
    # The public message is unchanged for everyone else.
    assert defaults(first) == []

    # The member's own (ephemeral) picker is made of DynamicItems as well.
    await runner.restart()
    dropped = await james.select(picker, "Clinical interest", ["Orthopedics"])
    assert "Removed **Sports**." in (await dropped.final()).content
    assert "**Clinical interest**: Orthopedics" in await mine(james)


# -- suggestions -----------------------------------------------------------------------------


async def test_suggest_review_approve_alias_reject_and_the_dms(
    pt: DemoCommunity, runner: BotRunner, server: SandboxServer
) -> None:
    mod = pt.moderator
    maria, james, lena = pt.members["maria"], pt.members["james"], pt.members["lena"]
    thanks = await answer(await maria.slash("tags suggest", name="Telehealth"))
    assert "I passed “Telehealth” to the moderators" in thanks
    await answer(await james.slash("tags suggest", name="Concussion"))
    await answer(await lena.slash("tags suggest", name="Memes", category="Role"))
    exists = await answer(await lena.slash("tags suggest", name="ortho"))
    assert "**Orthopedics** already exists" in exists

    review = await mod.slash("setup tags review")
    queue = render_message(await review.final())
    assert review.ephemeral
    assert "**Telehealth**" in queue
    assert "**Memes** in Role" in queue
    message = await review.final()

    # The review buttons are DynamicItems: they work on a message from before the restart.
    await runner.restart()
    approved = await (await mod.click(message, "tags:suggestion:1:approve")).final()
    assert "Approved **Telehealth** (Clinical interest)" in approved.content
    assert "tags:suggestion:1:approve" not in str(approved.components)

    opened = await mod.click(approved, "tags:suggestion:2:alias")
    assert opened.modal is not None
    as_alias = await mod.submit_modal(opened, {"Existing tag (name or alias)": "neuro"})
    after_alias = await as_alias.final()
    assert "“Concussion” now finds **Neurology**" in after_alias.content

    rejected = await (await mod.click(after_alias, "Reject")).final()
    assert "Rejected “Memes”" in rejected.content
    assert "No tag suggestions are waiting for review." in rejected.content

    guild_name = pt.guild.name
    for member, words in (
        (maria, "your suggested tag “Telehealth” was approved"),
        (james, "another name for **Neurology**"),
        (lena, "decided not to add it"),
    ):
        dm = await server.wait_for(
            lambda m=member: server.dm_messages(m), what=f"the outcome DM to {member}"
        )
        assert len(dm) == 1
        assert words in dm[0].content
        assert f"**{guild_name}**" in dm[0].content  # a DM says which server it is about

    assert "Added **Telehealth**" in await answer(await maria.slash("tags add", tag="Telehealth"))
    assert "Added **Neurology**" in await answer(await james.slash("tags add", tag="concussion"))
    assert "no tag called “Memes”" in await answer(await lena.slash("tags add", tag="Memes"))


async def test_a_decided_suggestion_cannot_be_decided_twice(
    pt: DemoCommunity, server: SandboxServer
) -> None:
    mod = pt.moderator
    await answer(await pt.members["maria"].slash("tags suggest", name="Telehealth"))
    first = await (await mod.slash("setup tags review")).final()
    second = await (await mod.slash("setup tags review")).final()
    await (await mod.click(first, "Approve")).final()
    late = await mod.click(second, "Reject")
    assert "already approved" in await answer(late)
    await server.wait_for(lambda: server.dm_messages(pt.members["maria"]), what="one DM")
    assert len(server.dm_messages(pt.members["maria"])) == 1


async def test_review_buttons_recheck_manage_server_and_explain_mistakes(
    pt: DemoCommunity, bot: SigBot
) -> None:
    mod = pt.moderator
    await answer(await pt.members["maria"].slash("tags suggest", name="Concussion"))
    review = await (await mod.slash("setup tags review")).final()

    opened = await mod.click(review, "Approve as alias")
    typo = await mod.submit_modal(opened, {"Existing tag (name or alias)": "nerology stuff"})
    assert "There is no tag called “nerology stuff”" in await answer(typo)
    assert (
        len(await bot.services.suggestions.pending_suggestions(pt.guild.id)) == 1
    )  # still waiting

    # The review message outlives the moderator's role: the click is checked again.
    mod.remove_role(pt.guild.role("Moderator"))
    refused = await mod.click(review, "Approve")
    assert "You need the Manage Server permission" in await answer(refused)
    assert len(await bot.services.suggestions.pending_suggestions(pt.guild.id)) == 1


# -- curation keeps members' tags ------------------------------------------------------------


async def test_merge_and_rename_keep_members_tags(pt: DemoCommunity) -> None:
    mod, maria, priya = pt.moderator, pt.members["maria"], pt.members["priya"]
    await answer(await maria.slash("tags add", tag="Manual Therapy"))
    await answer(await priya.slash("tags add", tag="Manual Therapy"))
    await answer(await priya.slash("tags add", tag="Orthopedics"))

    question = await (
        await mod.slash("setup tags merge", tag="Manual Therapy", into="ortho")
    ).final()
    assert "Merge **Manual Therapy** into **Orthopedics**?" in question.content  # asks first
    assert "**Clinical interest**: Manual Therapy" in await mine(maria)  # nothing happened yet
    merged = render_message(await (await mod.click(question, "Merge")).final())
    # priya already had Orthopedics: only maria's tag needed moving.
    assert "Merged **Manual Therapy** into **Orthopedics**: 1 member moved" in merged
    assert "**Clinical interest**: Orthopedics" in await mine(maria)
    assert "**Your tags** (1/25)" in await mine(priya)  # no duplicate
    choices = await maria.autocomplete("tags add", focused="tag", value="manual therapy")
    assert choices[0]["value"] == "Orthopedics"

    renamed = await answer(
        await mod.slash("setup tags rename", tag="Orthopedics", new_name="Orthopaedic Surgery")
    )
    assert "Renamed **Orthopedics** to **Orthopaedic Surgery**." in renamed
    assert "“Orthopedics” still finds it." in renamed
    assert "**Clinical interest**: Orthopaedic Surgery" in await mine(maria)
    assert "You already have **Orthopaedic Surgery**" in await answer(
        await maria.slash("tags add", tag="Orthopedics")
    )


async def test_removing_a_held_tag_asks_first(
    pt: DemoCommunity, runner: BotRunner, server: SandboxServer
) -> None:
    mod, maria = pt.moderator, pt.members["maria"]
    unheld = await answer(await mod.slash("setup tags remove", tag="Lymphedema"))
    assert unheld == "SandboxBot (only you can see this)\nRemoved **Lymphedema**."

    await answer(await maria.slash("tags add", tag="Aquatic"))
    ask = await mod.slash("setup tags remove", tag="Aquatic")
    question = await ask.final()
    assert ask.ephemeral
    assert "Members hold **Aquatic** (fewer than 3)" in question.content
    assert "Remove it anyway?" in question.content
    assert "**Clinical interest**: Aquatic" in await mine(maria)  # nothing happened yet

    await runner.restart()  # the confirmation button is a DynamicItem too
    done = await (await mod.click(question, "Remove it anyway")).final()
    assert done.content == "Removed **Aquatic**."
    assert done.components == []
    assert "You have no tags yet" in await mine(maria)
    assert "no tag called “Aquatic”" in await answer(await maria.slash("tags add", tag="Aquatic"))
    assert server.unknown_routes == []


# -- who may curate --------------------------------------------------------------------------


async def test_members_cannot_use_setup_tags(pt: DemoCommunity) -> None:
    maria = pt.members["maria"]
    for command, options in (
        ("setup tags add", {"name": "Dry Needling"}),
        ("setup tags remove", {"tag": "Orthopedics"}),
        ("setup tags merge", {"tag": "Sports", "into": "Orthopedics"}),
        ("setup tags preset", {"name": "pt"}),
        ("setup tags review", {}),
        ("setup tags picker", {"channel": pt.guild.channel("general")}),
    ):
        with pytest.raises(CommandNotAvailable):
            await maria.slash(command, **options)


async def test_setup_tags_is_rechecked_at_run_time(pt: DemoCommunity, bot: SigBot) -> None:
    for command in pt.server_commands():
        if command["name"] == "setup":
            command["default_member_permissions"] = None  # opened to everyone by an admin
    maria = pt.members["maria"]
    refused = await answer(await maria.slash("setup tags add", name="Dry Needling"))
    assert "You need the Manage Server permission" in refused
    refused = await answer(await maria.slash("setup tags remove", tag="Orthopedics"))
    assert "You need the Manage Server permission" in refused
    assert (await bot.services.vocabulary.index(pt.guild.id)).exact("Dry Needling") is None
    assert (await bot.services.vocabulary.index(pt.guild.id)).exact("Orthopedics") is not None


# -- bad input -------------------------------------------------------------------------------

HOSTILE = [
    "@everyone",
    "@here hello",
    "<@123456789012345678>",
    "<@&123456789012345678>",
    "**bold** [link](https://example.com)",
    "\u202e\u200b\u2066",  # bidi override, zero-width space, isolate: nothing visible
    "x" * 80,  # the longest the option allows; tag names stop at 40
    "\U0001f9b4 bones\x00",
    "a",
]


async def test_hostile_tag_names_are_refused_kindly(pt: DemoCommunity, bot: SigBot) -> None:
    mod, maria = pt.moderator, pt.members["maria"]
    before = await bot.services.vocabulary.vocabulary(pt.guild.id)
    for text in HOSTILE:
        for ix in (
            await maria.slash("tags suggest", name=text),
            await mod.slash("setup tags add", name=text),
            await maria.slash("tags add", tag=text),
        ):
            reply = await answer(ix)
            assert "Something went wrong" not in reply
            for ping in ("@everyone", "@here", "<@"):
                assert ping not in reply
            assert any(
                words in reply for words in ("can only use", "characters long", "no tag called")
            ), reply

    assert await bot.services.vocabulary.vocabulary(pt.guild.id) == before
    assert await bot.services.suggestions.pending_suggestions(pt.guild.id) == []
    assert "You have no tags yet" in await mine(maria)


async def test_invisible_characters_are_dropped_not_stored(pt: DemoCommunity, bot: SigBot) -> None:
    mod = pt.moderator
    added = await answer(await mod.slash("setup tags add", name="Dry\u200b Need\u202eling"))
    assert "Added **Dry Needling** to Clinical interest." in added
    stored = (await bot.services.vocabulary.index(pt.guild.id)).exact("dry needling")
    assert stored is not None
    assert stored.name == "Dry Needling"


# -- confirmations (issue #20 item 12) -----------------------------------------------------


async def test_adding_a_near_duplicate_asks_first(pt: DemoCommunity, bot: SigBot) -> None:
    mod = pt.moderator
    ask = await mod.slash("setup tags add", name="Spor")
    question = await ask.final()
    assert ask.ephemeral
    assert "Did you mean **Sports**?" in question.content
    assert (await bot.services.vocabulary.index(pt.guild.id)).exact("Spor") is None
    done = await (await mod.click(question, "Add it anyway")).final()
    assert done.content == "Added **Spor** to Clinical interest."
    assert done.components == []
    assert (await bot.services.vocabulary.index(pt.guild.id)).exact("Spor") is not None

    cancelled = await mod.slash("setup tags add", name="Neurolog")
    nothing = await (await mod.click(await cancelled.final(), "Cancel")).final()
    assert nothing.content == "Cancelled; nothing was changed."
    assert (await bot.services.vocabulary.index(pt.guild.id)).exact("Neurolog") is None


async def test_merge_asks_first_and_can_be_cancelled(pt: DemoCommunity) -> None:
    mod, maria = pt.moderator, pt.members["maria"]
    await answer(await maria.slash("tags add", tag="Manual Therapy"))
    question = await (
        await mod.slash("setup tags merge", tag="Manual Therapy", into="ortho")
    ).final()
    nothing = await (await mod.click(question, "Cancel")).final()
    assert nothing.content == "Cancelled; nothing was changed."
    assert "**Clinical interest**: Manual Therapy" in await mine(maria)


async def test_removing_a_held_tag_can_be_cancelled(pt: DemoCommunity) -> None:
    mod, maria = pt.moderator, pt.members["maria"]
    await answer(await maria.slash("tags add", tag="Aquatic"))
    question = await (await mod.slash("setup tags remove", tag="Aquatic")).final()
    nothing = await (await mod.click(question, "Cancel")).final()
    assert nothing.content == "Cancelled; nothing was changed."
    assert nothing.components == []
    assert "**Clinical interest**: Aquatic" in await mine(maria)

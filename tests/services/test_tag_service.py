"""The tag services with real repositories, a real database file and a fake clock."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.tag_index import UnknownTag
from bot.domain.tags import MAX_TAGS_PER_MEMBER
from bot.services import Services
from bot.storage.schema.members import members
from bot.storage.schema.tags import member_tags, tags
from tests.services.support import outbox_rows

GUILD, OTHER = 1001, 2002
MOD, ALICE, BOB, CAROL, DAN = 7, 100, 200, 300, 400
GUILD_NAME = "Ortho SIG"


@pytest.fixture
async def pt(services: Services) -> Services:
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    return services


async def names(services: Services, user: int, guild: int = GUILD) -> list[str]:
    return [
        t.name for group in await services.member_tags.member_tags(guild, user) for t in group.tags
    ]


async def count(services: Services, table: object) -> int:
    async with services.db.read() as uow:
        return int((await uow.conn.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


# -- presets and vocabulary ---------------------------------------------------------------------


async def test_applying_a_preset_twice_changes_nothing(services: Services) -> None:
    first = await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    assert first.categories_added == 5
    assert first.tags_added == 46
    assert first.aliases_added > 100
    assert first.skipped == ()
    second = await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    assert (second.categories_added, second.tags_added, second.aliases_added) == (0, 0, 0)
    assert not second.changed
    assert await count(services, tags) == 46
    general = await services.vocabulary.apply_preset(GUILD, "general", actor_id=MOD)
    assert general.categories_added == 0  # same five categories
    assert "research" in [s.lower() for s in general.skipped]  # already the Research tag


async def test_unknown_preset(services: Services) -> None:
    with pytest.raises(InvalidInput, match="Use one of: general, pt"):
        await services.vocabulary.apply_preset(GUILD, "chess", actor_id=MOD)


async def test_add_tag_rules(pt: Services) -> None:
    added = await pt.vocabulary.add_tag(GUILD, "  Dry   Needling ", actor_id=MOD)
    assert added.tag.name == "Dry Needling"
    assert added.tag.category == "Clinical interest"
    with pytest.raises(Conflict, match="already a tag called \\*\\*Orthopedics\\*\\*"):
        await pt.vocabulary.add_tag(GUILD, "ORTHOPEDICS", actor_id=MOD)
    with pytest.raises(Conflict, match="already an alias of \\*\\*Neurology\\*\\*"):
        await pt.vocabulary.add_tag(GUILD, "Neuro", actor_id=MOD)
    with pytest.raises(InvalidInput, match="Remove “@”"):
        await pt.vocabulary.add_tag(GUILD, "@everyone", actor_id=MOD)
    new_category = await pt.vocabulary.add_tag(GUILD, "Spanish", category="Languages", actor_id=MOD)
    assert new_category.category_created
    # Tags are per server.
    other = await pt.vocabulary.add_tag(OTHER, "Orthopedics", actor_id=MOD)
    assert other.tag.id != (await pt.vocabulary.index(GUILD)).resolve("Orthopedics").id


async def test_alias_resolution_and_typo_suggestions(pt: Services) -> None:
    for typed, expected in [
        ("ortho", "Orthopedics"),
        ("neuro", "Neurology"),
        ("peds", "Pediatrics"),
        ("cardiopulm", "Cardiovascular & Pulmonary"),
        ("pelvic", "Pelvic Health"),
        ("DPT student", "Student"),
        ("Orthopaedic", "Orthopedics"),
        ("nuerology", "Neurology"),
    ]:
        change = await pt.member_tags.add_member_tag(GUILD, ALICE, typed)
        assert change.tag.name == expected, typed
    with pytest.raises(UnknownTag) as caught:
        await pt.member_tags.add_member_tag(GUILD, ALICE, "oncolgy rehab stuff")
    assert "Oncology" in caught.value.suggestions
    assert "Did you mean" in caught.value.message


async def test_adding_twice_is_harmless_and_limits_hold(pt: Services) -> None:
    first = await pt.member_tags.add_member_tag(GUILD, ALICE, "Sports")
    again = await pt.member_tags.add_member_tag(GUILD, ALICE, "sports")
    assert first.changed
    assert not again.changed
    assert again.total == 1
    others = [
        t for s in await pt.member_tags.picker(GUILD) for t in s.options if t.name != "Sports"
    ]
    for option in others[: MAX_TAGS_PER_MEMBER - 1]:
        await pt.member_tags.add_member_tag(GUILD, ALICE, option.name)
    assert len(await names(pt, ALICE)) == MAX_TAGS_PER_MEMBER
    with pytest.raises(Conflict, match="at most 25 tags"):
        await pt.member_tags.add_member_tag(GUILD, ALICE, "Retired")


async def test_guild_limit(services: Services) -> None:
    for number in range(500):
        await services.vocabulary.add_tag(GUILD, f"Tag {number}", actor_id=MOD)
    with pytest.raises(Conflict, match="at most 500 tags"):
        await services.vocabulary.add_tag(GUILD, "One too many", actor_id=MOD)
    with pytest.raises(Conflict, match="at most 500 tags"):
        await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    assert await count(services, tags) == 500


async def test_member_gets_a_member_record_with_the_server_default(pt: Services) -> None:
    await pt.settings.set_defaults(OTHER, actor_id=MOD, discoverable_by_default=True)
    await pt.vocabulary.apply_preset(OTHER, "general", actor_id=MOD)
    await pt.member_tags.add_member_tag(GUILD, ALICE, "Sports")
    await pt.member_tags.add_member_tag(OTHER, ALICE, "Student")
    async with pt.db.read() as uow:
        rows = (await uow.conn.execute(select(members.c.guild_id, members.c.discoverable))).all()
    assert sorted(rows) == [(GUILD, False), (OTHER, True)]
    assert await names(pt, ALICE, OTHER) == ["Student"]  # nothing crosses servers


async def test_remove_and_mine_grouped(pt: Services) -> None:
    for name in ("Student", "neuro", "Outpatient", "Orthopedics"):
        await pt.member_tags.add_member_tag(GUILD, ALICE, name)
    grouped = await pt.member_tags.member_tags(GUILD, ALICE)
    assert [(g.category, [t.name for t in g.tags]) for g in grouped] == [
        ("Clinical interest", ["Neurology", "Orthopedics"]),
        ("Practice setting", ["Outpatient"]),
        ("Career stage", ["Student"]),
    ]
    removed = await pt.member_tags.remove_member_tag(GUILD, ALICE, "ortho")
    assert removed.tag.name == "Orthopedics"
    with pytest.raises(NotFound, match="You don't have a tag called “Sports”"):
        await pt.member_tags.remove_member_tag(GUILD, ALICE, "Sports")
    mine = await pt.member_tags.complete_mine(GUILD, ALICE, "")
    assert [c.value for c in mine] == ["Neurology", "Outpatient", "Student"]


async def test_rename_keeps_members_and_old_name(pt: Services) -> None:
    await pt.member_tags.add_member_tag(GUILD, ALICE, "Aquatic")
    renamed = await pt.vocabulary.rename_tag(GUILD, "aquatic", "Aquatic Therapy ", actor_id=MOD)
    assert renamed.tag.name == "Aquatic Therapy"
    assert renamed.kept_alias  # the old name keeps working; the alias it replaced is gone
    assert await names(pt, ALICE) == ["Aquatic Therapy"]
    assert (await pt.vocabulary.index(GUILD)).resolve("Aquatic").name == "Aquatic Therapy"
    with pytest.raises(Conflict, match="already used"):
        await pt.vocabulary.rename_tag(GUILD, "Aquatic Therapy", "ortho", actor_id=MOD)


async def test_merge_moves_members_without_duplicates(pt: Services) -> None:
    await pt.member_tags.add_member_tag(GUILD, ALICE, "Sports")
    await pt.member_tags.add_member_tag(GUILD, ALICE, "Orthopedics")
    await pt.member_tags.add_member_tag(GUILD, BOB, "Sports")
    await pt.member_tags.add_member_tag(GUILD, CAROL, "Orthopedics")
    merged = await pt.vocabulary.merge_tags(GUILD, "sports", "ortho", actor_id=MOD)
    assert merged.target.name == "Orthopedics"
    assert merged.members_moved == 1  # Bob; Alice already had it
    for user in (ALICE, BOB, CAROL):
        assert await names(pt, user) == ["Orthopedics"]
    assert await count(pt, member_tags) == 3
    index = await pt.vocabulary.index(GUILD)
    assert index.resolve("Sports").name == "Orthopedics"  # the old name is an alias now
    assert index.resolve("sports medicine").name == "Orthopedics"  # so are its aliases
    with pytest.raises(InvalidInput, match="same tag"):
        await pt.vocabulary.merge_tags(GUILD, "ortho", "Orthopedics", actor_id=MOD)


async def test_remove_tag_asks_first_when_members_hold_it(pt: Services) -> None:
    await pt.member_tags.add_member_tag(GUILD, ALICE, "Oncology")
    usage = await pt.vocabulary.tag_usage(GUILD, "onc")
    assert usage.held
    assert usage.holders_label == "fewer than 3"
    with pytest.raises(Conflict, match="Confirm"):
        await pt.vocabulary.remove_tag(GUILD, usage.tag.id, actor_id=MOD)
    await pt.vocabulary.remove_tag(GUILD, usage.tag.id, actor_id=MOD, confirmed=True)
    assert await names(pt, ALICE) == []
    assert all(c.value != "Oncology" for c in await pt.vocabulary.complete(GUILD, "onc"))
    unheld = await pt.vocabulary.tag_usage(GUILD, "Aquatic")
    await pt.vocabulary.remove_tag(GUILD, unheld.tag.id, actor_id=MOD)


async def test_aliases_can_be_added_and_removed(pt: Services) -> None:
    await pt.vocabulary.add_alias(GUILD, "Vestibular", "BPPV", actor_id=MOD)
    assert (await pt.vocabulary.index(GUILD)).resolve("bppv").name == "Vestibular"
    with pytest.raises(Conflict, match="already a tag"):
        await pt.vocabulary.add_alias(GUILD, "Vestibular", "Sports", actor_id=MOD)
    await pt.vocabulary.remove_alias(GUILD, "bppv", actor_id=MOD)
    assert (await pt.vocabulary.index(GUILD)).exact("bppv") is None
    with pytest.raises(NotFound):
        await pt.vocabulary.remove_alias(GUILD, "Sports", actor_id=MOD)


# -- picker ---------------------------------------------------------------------------------------


async def test_picker_sets_many_in_one_transaction(pt: Services) -> None:
    sections = await pt.member_tags.picker(GUILD, ALICE)
    assert [s.category for s in sections] == [
        "Clinical interest",
        "Practice setting",
        "Career stage",
        "Role",
        "Region",
    ]
    clinical = sections[0]
    offered = [o.tag_id for o in clinical.options]
    result = await pt.member_tags.set_member_tags(GUILD, ALICE, offered=offered, chosen=offered[:3])
    assert len(result.added) == 3
    assert result.total == 3
    # Deselecting one in the same menu removes only that one; other menus are untouched.
    await pt.member_tags.add_member_tag(GUILD, ALICE, "Student")
    result = await pt.member_tags.set_member_tags(
        GUILD, ALICE, offered=offered, chosen=offered[1:3]
    )
    assert [t.id for t in result.removed] == [offered[0]]
    assert result.total == 3
    assert "Student" in await names(pt, ALICE)
    refreshed = (await pt.member_tags.picker(GUILD, ALICE))[0]
    assert [o.tag_id for o in refreshed.options if o.selected] == offered[1:3]


async def test_picker_over_the_limit_changes_nothing(pt: Services) -> None:
    everything = [o.tag_id for s in await pt.member_tags.picker(GUILD) for o in s.options]
    await pt.member_tags.set_member_tags(
        GUILD, ALICE, offered=everything[:20], chosen=everything[:20]
    )
    with pytest.raises(Conflict, match="that would make 30"):
        await pt.member_tags.set_member_tags(
            GUILD, ALICE, offered=everything[20:30], chosen=everything[20:30]
        )
    assert len(await names(pt, ALICE)) == 20


async def test_picker_ignores_foreign_and_unoffered_ids(pt: Services) -> None:
    foreign = (await pt.vocabulary.add_tag(OTHER, "Elsewhere", actor_id=MOD)).tag.id
    mine = (await pt.vocabulary.index(GUILD)).resolve("Sports").id
    result = await pt.member_tags.set_member_tags(
        GUILD, ALICE, offered=[foreign, mine], chosen=[foreign]
    )
    assert result.added == ()
    assert await names(pt, ALICE) == []


async def test_picker_pages_big_categories(services: Services) -> None:
    for number in range(30):
        await services.vocabulary.add_tag(GUILD, f"Topic {number:02}", actor_id=MOD)
    sections = await services.member_tags.picker(GUILD)
    assert [(s.title, len(s.options)) for s in sections] == [
        ("Clinical interest (1/2)", 25),
        ("Clinical interest (2/2)", 5),
    ]


# -- listing with suppressed counts ------------------------------------------------------------


async def test_list_suppresses_small_counts(pt: Services) -> None:
    for user in (ALICE, BOB, CAROL):
        await pt.member_tags.add_member_tag(GUILD, user, "Neurology")
    await pt.member_tags.add_member_tag(GUILD, DAN, "Sports")
    listing = await pt.vocabulary.vocabulary(GUILD, "clinical interest")
    assert [c.category.name for c in listing] == ["Clinical interest"]
    counts = {entry.tag.name: entry for entry in listing[0].tags}
    assert counts["Neurology"].members == 3
    assert counts["Neurology"].label == "3"
    assert counts["Sports"].members is None
    assert counts["Sports"].label == "fewer than 3"
    assert counts["Oncology"].label == "fewer than 3"
    with pytest.raises(NotFound, match="no category"):
        await pt.vocabulary.vocabulary(GUILD, "Hobbies")


# -- autocomplete --------------------------------------------------------------------------------


async def test_autocomplete_uses_names_and_aliases_and_sees_writes(pt: Services) -> None:
    assert (await pt.vocabulary.complete(GUILD, "ortho"))[0].value == "Orthopedics"
    assert (await pt.vocabulary.complete(GUILD, "peds"))[0].value == "Pediatrics"
    assert len(await pt.vocabulary.complete(GUILD, "")) == 25
    await pt.vocabulary.add_tag(GUILD, "Orthotics", actor_id=MOD)  # invalidates the cached index
    assert "Orthotics" in [c.value for c in await pt.vocabulary.complete(GUILD, "orthot")]
    assert await pt.vocabulary.complete(OTHER, "ortho") == []


# -- suggestions -----------------------------------------------------------------------------


async def test_suggest_then_approve_enqueues_exactly_one_dm(pt: Services, clock: FakeClock) -> None:
    suggestion = await pt.suggestions.suggest(GUILD, ALICE, "Telehealth", "Practice setting")
    assert [s.id for s in await pt.suggestions.pending_suggestions(GUILD)] == [suggestion.id]
    with pytest.raises(Conflict, match="already suggested"):
        await pt.suggestions.suggest(GUILD, ALICE, "telehealth")
    with pytest.raises(Conflict, match="already exists"):
        await pt.suggestions.suggest(GUILD, BOB, "ortho")
    decision = await pt.suggestions.approve_suggestion(
        GUILD, suggestion.id, actor_id=MOD, guild_name=GUILD_NAME
    )
    assert decision.tag is not None
    assert decision.tag.category == "Practice setting"
    assert (
        await pt.member_tags.add_member_tag(GUILD, ALICE, "telehealth")
    ).tag.name == "Telehealth"
    rows = await outbox_rows(pt)
    assert len(rows) == 1
    row = rows[0]
    assert row["idempotency_key"] == f"tag-suggestion:{suggestion.id}:outcome"
    assert row["recipient"] == f"user:{ALICE}"
    assert row["subject_user_id"] == ALICE
    assert row["guild_id"] == GUILD
    content = json.loads(str(row["payload"]))["message"]["content"]
    assert "Telehealth" in content
    assert "approved in **Ortho SIG**" in content
    with pytest.raises(Conflict, match="already approved"):
        await pt.suggestions.approve_suggestion(
            GUILD, suggestion.id, actor_id=MOD, guild_name=GUILD_NAME
        )
    with pytest.raises(Conflict, match="already approved"):
        await pt.suggestions.reject_suggestion(
            GUILD, suggestion.id, actor_id=MOD, guild_name=GUILD_NAME
        )
    assert len(await outbox_rows(pt)) == 1
    assert await pt.suggestions.pending_suggestions(GUILD) == []


async def test_approve_as_alias_and_reject(pt: Services) -> None:
    alias = await pt.suggestions.suggest(GUILD, ALICE, "Concussion")
    rejected = await pt.suggestions.suggest(GUILD, BOB, "Memes")
    decision = await pt.suggestions.approve_suggestion(
        GUILD, alias.id, actor_id=MOD, guild_name=GUILD_NAME, alias_of="neuro"
    )
    assert decision.as_alias
    assert decision.tag is not None
    assert decision.tag.name == "Neurology"
    assert (await pt.vocabulary.index(GUILD)).resolve("concussion").name == "Neurology"
    await pt.suggestions.reject_suggestion(GUILD, rejected.id, actor_id=MOD, guild_name=GUILD_NAME)
    with pytest.raises(UnknownTag):
        await pt.member_tags.add_member_tag(GUILD, BOB, "Memes")
    messages = {
        row["recipient"]: json.loads(str(row["payload"]))["message"]["content"]
        for row in await outbox_rows(pt)
    }
    assert "another name for **Neurology**" in messages[f"user:{ALICE}"]
    assert "decided not to add" in messages[f"user:{BOB}"]
    assert all("**Ortho SIG**" in text for text in messages.values())


async def test_suggestions_are_rate_limited_and_per_server(pt: Services) -> None:
    for number in range(5):
        await pt.suggestions.suggest(GUILD, ALICE, f"Idea {number}")
    with pytest.raises(Conflict, match="5 suggestions waiting"):
        await pt.suggestions.suggest(GUILD, ALICE, "Idea 6")
    assert await pt.suggestions.pending_suggestions(OTHER) == []
    first = (await pt.suggestions.pending_suggestions(GUILD))[0]
    with pytest.raises(NotFound):
        await pt.suggestions.approve_suggestion(
            OTHER, first.id, actor_id=MOD, guild_name=GUILD_NAME
        )


async def test_moderator_actions_reach_the_moderation_log(pt: Services) -> None:
    await pt.settings.set_channel(GUILD, "moderation-log", 555, actor_id=MOD)
    before = len(await outbox_rows(pt))
    suggestion = await pt.suggestions.suggest(GUILD, ALICE, "Telehealth")
    await pt.suggestions.approve_suggestion(
        GUILD, suggestion.id, actor_id=MOD, guild_name=GUILD_NAME
    )
    await pt.vocabulary.add_tag(GUILD, "Dry Needling", actor_id=MOD)
    rows = (await outbox_rows(pt))[before:]
    recipients = sorted(str(r["recipient"]) for r in rows)
    # the suggestion arriving, the approval, the new tag; and the suggester's DM
    assert recipients == ["channel:555", "channel:555", "channel:555", f"user:{ALICE}"]
    log_texts = [
        json.loads(str(r["payload"]))["message"]["content"]
        for r in rows
        if r["recipient"] == "channel:555"
    ]
    assert any("approved the tag suggestion “Telehealth”" in t for t in log_texts)
    assert any("added the tag **Dry Needling**" in t for t in log_texts)


async def test_a_new_tag_is_checked_for_near_duplicates_first(pt: Services) -> None:
    """Issue #20 item 12: the cog asks the moderator before adding one of these."""
    check = await pt.vocabulary.check_new_tag(GUILD, "  Spor ", "Clinical interest")
    assert (check.name, check.category, check.similar) == ("Spor", "Clinical interest", ("Sports",))
    assert (await pt.vocabulary.check_new_tag(GUILD, "Telehealth", None)).similar == ()
    assert (await pt.vocabulary.index(GUILD)).exact("Spor") is None  # checking adds nothing


async def test_merge_is_previewed_then_done_by_ids(pt: Services) -> None:
    await pt.member_tags.add_member_tag(GUILD, ALICE, "Manual Therapy")
    preview = await pt.vocabulary.merge_preview(GUILD, "Manual Therapy", "ortho")
    assert (preview.source.name, preview.target.name) == ("Manual Therapy", "Orthopedics")
    assert (await pt.vocabulary.index(GUILD)).exact("Manual Therapy").name == "Manual Therapy"
    merged = await pt.vocabulary.merge_tag_ids(
        GUILD, preview.source.id, preview.target.id, actor_id=MOD
    )
    assert (merged.source, merged.target.name, merged.members_moved) == (
        "Manual Therapy",
        "Orthopedics",
        1,
    )
    with pytest.raises(NotFound, match="no longer exists"):  # a second click
        await pt.vocabulary.merge_tag_ids(GUILD, preview.source.id, preview.target.id, actor_id=MOD)

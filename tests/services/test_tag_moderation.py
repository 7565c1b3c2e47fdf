"""Issue #9, moderators: suggestions reach someone, everyone who asked hears the outcome, the
log says what happened, the review pages through the whole queue, and moderators see real
counts. Real repositories, a real database file and a fake clock."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.domain.errors import Conflict
from bot.services import Services
from tests.services.support import outbox_rows

GUILD = 1001
MOD, ALICE, BOB, CAROL = 7, 100, 200, 300
GUILD_NAME = "Ortho SIG"
MODLOG = 555


@pytest.fixture
async def pt(services: Services) -> Services:
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    await services.settings.set_channel(GUILD, "moderation-log", MODLOG, actor_id=MOD)
    return services


async def log_texts(services: Services) -> list[str]:
    return [
        json.loads(str(r["payload"]))["message"]["content"]
        for r in await outbox_rows(services)
        if r["recipient"] == f"channel:{MODLOG}"
    ]


async def dms(services: Services) -> dict[str, list[dict[str, object]]]:
    found: dict[str, list[dict[str, object]]] = {}
    for row in await outbox_rows(services):
        if str(row["recipient"]).startswith("user:"):
            found.setdefault(str(row["recipient"]), []).append(row)
    return found


async def test_a_new_suggestion_is_noted_in_the_moderation_log(pt: Services) -> None:
    await pt.suggestions.suggest(GUILD, ALICE, "Telehealth", "Practice setting")
    notes = [t for t in await log_texts(pt) if "Telehealth" in t]
    assert notes == [
        f"<@{ALICE}> suggested the tag “Telehealth” in Practice setting. "
        "Review it with `/setup tags review`."
    ]


async def test_pending_count_counts_the_whole_queue(pt: Services) -> None:
    assert await pt.suggestions.pending_count(GUILD) == 0
    for number in range(4):
        await pt.suggestions.suggest(GUILD, ALICE, f"Idea {number}")
    await pt.suggestions.suggest(GUILD, BOB, "Idea 9")
    assert await pt.suggestions.pending_count(GUILD) == 5
    assert await pt.suggestions.pending_count(GUILD + 1) == 0


async def test_review_pages_through_every_suggestion(pt: Services) -> None:
    for user in (ALICE, BOB):
        for number in range(4):
            await pt.suggestions.suggest(GUILD, user, f"Idea {user} {number}")
    first = await pt.suggestions.pending_suggestions(GUILD, limit=5)
    rest = await pt.suggestions.pending_suggestions(GUILD, limit=5, offset=5)
    assert len(first) == 5
    assert len(rest) == 3
    assert {s.id for s in first}.isdisjoint(s.id for s in rest)


async def test_approving_as_an_alias_is_logged_as_what_happened(pt: Services) -> None:
    suggestion = await pt.suggestions.suggest(GUILD, ALICE, "Concussion")
    await pt.suggestions.approve_suggestion(
        GUILD, suggestion.id, actor_id=MOD, guild_name=GUILD_NAME, alias_of="neuro"
    )
    texts = await log_texts(pt)
    assert f"<@{MOD}> approved “Concussion” as another name for **Neurology**." in texts
    assert not any("approved the tag suggestion" in t for t in texts)


async def test_a_second_suggester_is_recorded_and_told_the_outcome(
    pt: Services, clock: FakeClock
) -> None:
    first = await pt.suggestions.suggest(GUILD, ALICE, "Telehealth")
    clock.advance(timedelta(minutes=5))
    again = await pt.suggestions.suggest(GUILD, BOB, "telehealth")
    assert again.id == first.id
    assert again.user_id == ALICE  # the cog tells BOB "already suggested; you'll hear too"
    await pt.suggestions.suggest(GUILD, BOB, "TELEHEALTH")  # asking twice is harmless
    await pt.suggestions.suggest(GUILD, CAROL, "Telehealth")
    with pytest.raises(Conflict, match="You already suggested “Telehealth”"):
        await pt.suggestions.suggest(GUILD, ALICE, "Telehealth")
    assert await pt.suggestions.pending_count(GUILD) == 1

    await pt.suggestions.reject_suggestion(GUILD, first.id, actor_id=MOD, guild_name=GUILD_NAME)
    by_user = await dms(pt)
    assert sorted(by_user) == [f"user:{ALICE}", f"user:{BOB}", f"user:{CAROL}"]
    assert all(len(rows) == 1 for rows in by_user.values())
    keys = {r["idempotency_key"] for rows in by_user.values() for r in rows}
    assert keys == {
        f"tag-suggestion:{first.id}:outcome",
        f"tag-suggestion:{first.id}:outcome:{BOB}",
        f"tag-suggestion:{first.id}:outcome:{CAROL}",
    }
    for user in (BOB, CAROL):
        row = by_user[f"user:{user}"][0]
        assert row["subject_user_id"] == user
        assert "decided not to add it" in json.loads(str(row["payload"]))["message"]["content"]


async def test_supporters_are_member_data(pt: Services) -> None:
    first = await pt.suggestions.suggest(GUILD, ALICE, "Telehealth")
    await pt.suggestions.suggest(GUILD, BOB, "Telehealth")
    exported = await pt.privacy.export(GUILD, BOB)
    supported = exported["servers"][str(GUILD)]["tag_suggestion_supporters"]
    assert [row["suggestion_id"] for row in supported] == [first.id]  # the name is Alice's
    await pt.privacy.delete(GUILD, BOB)
    assert (await pt.privacy.export(GUILD, BOB))["servers"] == {}
    await pt.suggestions.approve_suggestion(GUILD, first.id, actor_id=MOD, guild_name=GUILD_NAME)
    assert f"user:{BOB}" not in await dms(pt)  # a deleted member is not told anything


async def test_moderators_see_exact_counts_including_zero(pt: Services) -> None:
    await pt.member_tags.add_member_tag(GUILD, ALICE, "Sports")
    members_view = await pt.vocabulary.vocabulary(GUILD, "clinical interest")
    moderators_view = await pt.vocabulary.vocabulary(GUILD, "clinical interest", exact_counts=True)
    shown = {e.tag.name: e.label for e in members_view[0].tags}
    exact = {e.tag.name: e.label for e in moderators_view[0].tags}
    assert (shown["Sports"], shown["Oncology"]) == ("fewer than 3", "fewer than 3")
    assert (exact["Sports"], exact["Oncology"]) == ("1", "0")


async def test_a_pick_from_a_stale_menu_names_the_removed_tags(pt: Services) -> None:
    index = await pt.vocabulary.index(GUILD)
    aquatic, sports = index.resolve("Aquatic").id, index.resolve("Sports").id
    await pt.vocabulary.remove_tag(GUILD, aquatic, actor_id=MOD)
    result = await pt.member_tags.set_member_tags(
        GUILD, ALICE, offered=[aquatic, sports], chosen=[aquatic, sports]
    )
    assert [t.name for t in result.added] == ["Sports"]
    assert result.stale == (aquatic,)


async def test_suggestions_spelled_differently_are_one_suggestion(pt: Services) -> None:
    """Issue #20 item 11: the vocabulary's folding, as /tags add resolves a name."""
    first = await pt.suggestions.suggest(GUILD, ALICE, "Dry needling")
    again = await pt.suggestions.suggest(GUILD, BOB, "dry-needling")
    assert again.id == first.id  # BOB is told it is already waiting for review
    assert again.user_id == ALICE
    with pytest.raises(Conflict, match="already suggested “Dry needling”; it is waiting"):
        await pt.suggestions.suggest(GUILD, ALICE, "DRY NEEDLING")
    assert await pt.suggestions.pending_count(GUILD) == 1
    await pt.suggestions.suggest(GUILD, CAROL, "R&D")
    assert await pt.suggestions.pending_count(GUILD) == 2  # "&" is not a mere separator

"""IntroductionService and FindService with real repositories, a real database and a fake clock."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.clock import FakeClock
from bot.domain.errors import Conflict, InvalidInput
from bot.domain.introductions import RequestState
from bot.services import Services
from bot.storage.schema.outbox import outbox

GUILD, OTHER = 1001, 2002
MOD, ALICE, BOB, CAROL, DAN, ERIN = 7, 100, 200, 300, 400, 500


@pytest.fixture
async def pt(services: Services) -> Services:
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    await services.settings.set_defaults(GUILD, actor_id=MOD, discoverable_by_default=True)
    for user, tags in {
        ALICE: ["Orthopedics", "Sports", "Research"],
        BOB: ["Orthopedics", "Sports"],
        CAROL: ["Orthopedics", "Research"],
        DAN: ["Orthopedics"],
        ERIN: ["Neurology"],
    }.items():
        for tag in tags:
            await services.member_tags.add_member_tag(GUILD, user, tag)
    await services.profiles.edit(
        GUILD, BOB, about="Sports PT", looking_for=None, contact="bob@clinic.example"
    )
    await services.profiles.edit(
        GUILD, ALICE, about="Ortho researcher", looking_for=None, contact="alice@uni.example"
    )
    return services


async def dms(services: Services) -> list[tuple[str, str, dict[str, object]]]:
    async with services.db.read() as uow:
        rows = (await uow.conn.execute(select(outbox).order_by(outbox.c.id))).all()
    return [
        (row.idempotency_key, row.recipient, json.loads(row.payload))
        for row in rows
        if row.kind == "send_dm" and row.state == "queued"
    ]


def keys(found: list[tuple[str, str, dict[str, object]]]) -> list[str]:
    return [key for key, _, _ in found]


async def test_find_ranks_by_shared_rarer_tags_and_skips_me(pt: Services) -> None:
    result = await pt.find.find(GUILD, ALICE, ["ortho"])
    ids = [p.user_id for p in result.people]
    assert ALICE not in ids
    assert set(ids) == {BOB, CAROL, DAN}
    assert ids[-1] == DAN  # shares only the common tag
    assert result.total == 3
    assert "Orthopedics" in result.people[0].shared


async def test_request_accept_introduces_both_with_contact_cards(pt: Services) -> None:
    answer = await pt.introductions.request(GUILD, ALICE, BOB, "Hi Bob, sports rehab?")
    assert "on its way" in answer
    asked = await dms(pt)
    assert [r for _, r, _ in asked] == [f"user:{BOB}"]
    request = (await pt.introductions.pending(GUILD, BOB)).incoming[0]
    assert request.note == "Hi Bob, sports rehab?"
    accepted = await pt.introductions.accept(request.id, BOB)
    assert "accepted" in accepted.text
    intros = [d for d in await dms(pt) if ":introduction:" in d[0]]
    by_recipient = {r: json.dumps(m) for _, r, m in intros}
    assert "bob@clinic.example" in by_recipient[f"user:{ALICE}"]
    assert "alice@uni.example" in by_recipient[f"user:{BOB}"]
    with pytest.raises(Conflict, match="already introduced"):
        await pt.introductions.request(GUILD, BOB, ALICE)


async def test_the_neutral_answer_is_the_same_in_every_state(
    pt: Services, clock: FakeClock
) -> None:
    normal = await pt.introductions.request(GUILD, ALICE, BOB)
    await pt.privacy.set_discoverable(GUILD, CAROL, False)
    hidden = await pt.introductions.request(GUILD, ALICE, CAROL)
    await pt.introductions.snooze(GUILD, DAN, 2)
    snoozed = await pt.introductions.request(GUILD, ALICE, DAN)
    await pt.privacy.block(GUILD, ERIN, ALICE)
    blocked = await pt.introductions.request(GUILD, ALICE, ERIN)
    unknown = await pt.introductions.request(GUILD, ALICE, 999)
    assert normal == hidden == snoozed == blocked == unknown
    asked = [r for key, r, _ in await dms(pt) if key.endswith(":ask")]
    assert asked == [f"user:{BOB}"]  # only Bob was ever asked


async def test_a_decline_is_told_only_at_expiry_like_silence(
    pt: Services, clock: FakeClock
) -> None:
    await pt.introductions.request(GUILD, ALICE, BOB)
    await pt.introductions.request(GUILD, ALICE, CAROL)
    declined = (await pt.introductions.pending(GUILD, BOB)).incoming[0]
    await pt.introductions.decline(declined.id, BOB)
    # Alice still sees both as waiting: a decline looks like no answer yet.
    assert len((await pt.introductions.pending(GUILD, ALICE)).outgoing) == 2
    assert await pt.introductions.end_expired() == 0
    clock.advance(timedelta(days=7))
    assert await pt.introductions.end_expired() == 2
    assert await pt.introductions.end_expired() == 0  # exactly once
    ended = [(key, json.dumps(m)) for key, _, m in await dms(pt) if key.endswith(":ended")]
    assert len(ended) == 2
    assert all("didn't work out this time" in text for _, text in ended)
    assert (await pt.introductions.pending(GUILD, ALICE)).outgoing == ()


async def test_no_second_request_after_a_decline_unless_they_ask_back(
    pt: Services, clock: FakeClock
) -> None:
    await pt.introductions.request(GUILD, ALICE, BOB)
    first = (await pt.introductions.pending(GUILD, BOB)).incoming[0]
    await pt.introductions.decline(first.id, BOB)
    clock.advance(timedelta(days=31))
    await pt.introductions.end_expired()
    answer = await pt.introductions.request(GUILD, ALICE, BOB)  # neutral, but held
    assert "on its way" in answer
    assert (await pt.introductions.pending(GUILD, BOB)).incoming == ()


async def test_requester_budgets_are_refused_clearly(pt: Services, clock: FakeClock) -> None:
    others = list(range(600, 606))
    for user in others:
        await pt.member_tags.add_member_tag(GUILD, user, "Orthopedics")
    for user in others[:5]:
        await pt.introductions.request(GUILD, ALICE, user)
    with pytest.raises(Conflict, match="5 requests waiting"):
        await pt.introductions.request(GUILD, ALICE, others[5])
    with pytest.raises(Conflict, match="already have a request waiting"):
        await pt.introductions.request(GUILD, ALICE, others[0])
    with pytest.raises(InvalidInput, match="yourself"):
        await pt.introductions.request(GUILD, ALICE, ALICE)


async def test_incoming_budget_holds_the_fourth_request(pt: Services) -> None:
    for asker in (ALICE, CAROL, DAN):
        await pt.introductions.request(GUILD, asker, BOB)
    await pt.member_tags.add_member_tag(GUILD, ERIN, "Sports")
    await pt.introductions.request(GUILD, ERIN, BOB)
    assert len((await pt.introductions.pending(GUILD, BOB)).incoming) == 3


async def test_opting_out_or_blocking_cancels_what_is_pending(pt: Services) -> None:
    await pt.introductions.request(GUILD, ALICE, BOB)
    await pt.introductions.request(GUILD, CAROL, BOB)
    await pt.introductions.request(GUILD, BOB, DAN)
    await pt.privacy.block(GUILD, BOB, CAROL)
    incoming = (await pt.introductions.pending(GUILD, BOB)).incoming
    assert [r.requester_id for r in incoming] == [ALICE]
    await pt.privacy.set_discoverable(GUILD, BOB, False)
    assert (await pt.introductions.pending(GUILD, BOB)).incoming == ()
    assert (await pt.introductions.pending(GUILD, DAN)).incoming == ()
    async with pt.db.read() as uow:
        states = {r.state for r in await uow.intro_requests.between(GUILD, ALICE, BOB)}
    assert states == {RequestState.CANCELLED}
    queued_asks = [key for key, _, _ in await dms(pt) if key.endswith(":ask")]
    assert queued_asks == []  # the request DMs not yet sent were withdrawn with them


async def test_report_blocks_and_tells_the_moderators(pt: Services) -> None:
    await pt.settings.set_channel(GUILD, "moderation-log", 55, actor_id=MOD)
    await pt.introductions.request(GUILD, DAN, BOB, "let's talk")
    request = (await pt.introductions.pending(GUILD, BOB)).incoming[0]
    await pt.introductions.decline(request.id, BOB, report=True)
    async with pt.db.read() as uow:
        assert await uow.blocks.between(GUILD, BOB, DAN)
        rows = (await uow.conn.execute(select(outbox.c.payload, outbox.c.recipient))).all()
    log = [p for p, r in rows if r == "channel:55" and "reported" in p]
    assert len(log) == 1
    assert "let's talk" in log[0]
    assert not any(r == f"user:{DAN}" for _, r in rows)  # the requester hears nothing now
    find = await pt.find.find(GUILD, DAN, ["ortho"])
    assert BOB not in [p.user_id for p in find.people]
    assert DAN not in [p.user_id for p in (await pt.find.find(GUILD, BOB, ["ortho"])).people]


async def test_snooze_hides_and_snooze_off_shows(pt: Services, clock: FakeClock) -> None:
    await pt.introductions.snooze(GUILD, BOB, 1)
    assert BOB not in [p.user_id for p in (await pt.find.find(GUILD, ALICE, ["ortho"])).people]
    clock.advance(timedelta(weeks=1))
    assert BOB in [p.user_id for p in (await pt.find.find(GUILD, ALICE, ["ortho"])).people]
    await pt.introductions.snooze(GUILD, BOB, 2)
    await pt.introductions.snooze_off(GUILD, BOB)
    assert BOB in [p.user_id for p in (await pt.find.find(GUILD, ALICE, ["ortho"])).people]


async def test_suggest_leaves_out_people_already_asked_or_met(pt: Services) -> None:
    first = [p.user_id for p in await pt.find.suggest(GUILD, ALICE)]
    assert first[0] in (BOB, CAROL)
    await pt.introductions.request(GUILD, ALICE, first[0])
    assert first[0] not in [p.user_id for p in await pt.find.suggest(GUILD, ALICE)]


async def test_the_index_follows_the_database_and_servers_stay_apart(pt: Services) -> None:
    await pt.find.find(GUILD, ALICE, ["ortho"])  # built
    await pt.member_tags.add_member_tag(GUILD, ERIN, "Orthopedics")
    await pt.vocabulary.apply_preset(OTHER, "pt", actor_id=MOD)
    await pt.member_tags.add_member_tag(OTHER, 900, "Orthopedics")
    people = [p.user_id for p in (await pt.find.find(GUILD, ALICE, ["ortho"])).people]
    assert ERIN in people
    assert 900 not in people
    await pt.privacy.delete(GUILD, ERIN)
    people = [p.user_id for p in (await pt.find.find(GUILD, ALICE, ["ortho"])).people]
    assert ERIN not in people

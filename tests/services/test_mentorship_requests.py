"""Mentors, requests, routing, escalation, expiry and the claim, on a real database."""

from __future__ import annotations

import contextlib
import json
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.domain.delivery import DeliveryKind, FailureReason
from bot.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from bot.domain.mentorship.requests import RequestStatus
from bot.domain.text import could_ping
from bot.services import Services
from bot.storage.schema.mentorship import mentor_requests
from tests.services.support.mentorship import (
    ANA,
    BEN,
    CAT,
    DEV,
    EVE,
    GUILD,
    MENTEE,
    MENTORS,
    MENTORSHIP_CHANNEL,
    MOD,
    MODLOG_CHANNEL,
    REQUESTS_CHANNEL,
    prepare,
    queued,
    request,
    settle_threads,
    told_by_dm,
)


@pytest.fixture
async def pt(services: Services) -> Services:
    return await prepare(services)


async def status_of(services: Services, request_id: int) -> RequestStatus:
    async with services.db.read() as uow:
        found = await uow.mentor_requests.get(request_id)
    assert found is not None
    return found.status


async def test_a_request_posts_a_card_and_dms_three_least_loaded_mentors(pt: Services) -> None:
    first = await request(pt)
    assert len(await told_by_dm(pt, first)) == 3
    cards = [i for i in await queued(pt, DeliveryKind.POST_MESSAGE) if ":card:" in i["key"]]
    assert [c["recipient"] for c in cards] == [f"channel:{REQUESTS_CHANNEL}"]
    assert "Claim" in str(cards[0]["payload"])
    assert str(MENTEE) not in str(cards[0]["payload"])  # who asked is for the claimer only

    # Ana takes a mentee (capacity 1): the next request skips her, and the two untold first.
    told_first = await told_by_dm(pt, first)
    claimed = await pt.mentor_claims.claim(first, told_first[0])
    await settle_threads(pt)
    second = await request(pt, 101)
    told_second = await told_by_dm(pt, second)
    assert claimed.match.mentor_id not in told_second
    untold = set(MENTORS) - set(told_first)
    assert untold <= set(told_second)


async def test_one_open_request_per_member_and_goals_required(pt: Services) -> None:
    await request(pt)
    with pytest.raises(Conflict, match="already have an open mentor request"):
        await request(pt)
    with pytest.raises(InvalidInput, match="goal"):
        await request(pt, 101, goals="   ")
    with pytest.raises(InvalidInput, match="at most 500"):
        await request(pt, 101, goals="x" * 501)
    with pytest.raises(InvalidInput, match="3, 6 or 12"):
        await request(pt, 101, term="7")


async def test_term_defaults_to_six_months_and_sets_the_end(pt: Services) -> None:
    request_id = await request(pt, term="12 months")
    claimed = await pt.mentor_claims.claim(request_id, (await told_by_dm(pt, request_id))[0])
    assert claimed.match.term_ends_at == claimed.match.matched_at.replace(
        year=claimed.match.matched_at.year + 1
    )
    assert claimed.match.status == "opening"
    other = await request(pt, 101)
    async with pt.db.read() as uow:
        found = await uow.mentor_requests.get(other)
    assert found is not None
    assert found.term_months == 6


async def test_claim_opens_a_private_thread_then_the_card_says_matched(pt: Services) -> None:
    request_id = await request(pt)
    mentor = (await told_by_dm(pt, request_id))[0]
    claimed = await pt.mentor_claims.claim(request_id, mentor)
    assert claimed.channel_id == MENTORSHIP_CHANNEL
    [thread] = await queued(pt, DeliveryKind.CREATE_THREAD)
    assert thread["payload"]["private"] is True
    assert sorted(thread["payload"]["member_ids"]) == sorted([MENTEE, mentor])
    opening = str(thread["payload"]["message"])
    assert "Pass the OCS exam" in opening
    assert "moderators can see private threads" in opening
    assert f"<t:{int(claimed.match.term_ends_at.timestamp())}:D>" in opening
    with pytest.raises(Conflict, match="Another mentor claimed"):
        await pt.mentor_claims.claim(request_id, (await told_by_dm(pt, request_id))[1])

    await settle_threads(pt, thread_id=4242)
    async with pt.db.read() as uow:
        match = await uow.mentor_requests.match(claimed.match.id)
    assert match is not None
    assert match.status == "active"
    assert match.thread_id == 4242
    assert await status_of(pt, request_id) is RequestStatus.MATCHED


async def test_thread_failure_undoes_the_claim_and_tells_moderators(pt: Services) -> None:
    request_id = await request(pt)
    mentor = (await told_by_dm(pt, request_id))[0]
    claimed = await pt.mentor_claims.claim(request_id, mentor)
    await settle_threads(pt, failure=FailureReason.THREAD_LIMIT)
    async with pt.db.read() as uow:
        assert await uow.mentor_requests.match(claimed.match.id) is None
        assert await uow.mentor_requests.holding_counts(GUILD) == {}
    assert await status_of(pt, request_id) is RequestStatus.OPEN
    notes = [
        i
        for i in await queued(pt, DeliveryKind.POST_MESSAGE)
        if i["recipient"] == f"channel:{MODLOG_CHANNEL}" and "160006" in str(i["payload"])
    ]
    assert len(notes) == 1
    assert any(k["key"].endswith(":failed") for k in await queued(pt, DeliveryKind.SEND_DM))
    again = await pt.mentor_claims.claim(request_id, mentor)  # still claimable
    assert again.match.status == "opening"
    assert len(await queued(pt, DeliveryKind.CREATE_THREAD)) == 1


async def test_capacity_is_refused_politely(pt: Services) -> None:
    first, second = await request(pt), await request(pt, 101)
    await pt.mentor_claims.claim(first, ANA)
    with pytest.raises(Conflict, match="at your capacity"):
        await pt.mentor_claims.claim(second, ANA)


async def test_status_at_capacity_says_full_not_taking_requests(pt: Services) -> None:
    from cogs.mentorship._render import status_embed

    await pt.mentor_claims.claim(await request(pt), ANA)
    status = await pt.mentors.status(GUILD, ANA)
    mentoring = str(status_embed(status).fields[0].value)
    assert "1 of 1 mentee" in mentoring
    assert "taking requests" not in mentoring
    assert "full" in mentoring


async def test_cancel_before_a_claim_and_not_after(pt: Services) -> None:
    request_id = await request(pt)
    await pt.mentor_requests.cancel(GUILD, MENTEE)
    assert await status_of(pt, request_id) is RequestStatus.CANCELLED
    assert await told_by_dm(pt, request_id) == []  # the unsent DMs were withdrawn
    with pytest.raises(NotFound):
        await pt.mentor_requests.cancel(GUILD, MENTEE)
    with pytest.raises(Conflict, match="closed"):
        await pt.mentor_claims.claim(request_id, ANA)
    second = await request(pt)
    await pt.mentor_claims.claim(second, BEN)
    with pytest.raises(Conflict, match="already claimed"):
        await pt.mentor_requests.cancel(GUILD, MENTEE)


async def test_escalation_after_three_days_and_expiry_after_fourteen(
    pt: Services, clock: FakeClock
) -> None:
    request_id = await request(pt)
    first = set(await told_by_dm(pt, request_id))
    clock.advance(timedelta(days=2, hours=23))
    assert await pt.mentor_routing.escalate_due() == 0
    clock.advance(timedelta(hours=1))
    assert await pt.mentor_routing.escalate_due() == 1
    assert await pt.mentor_routing.escalate_due() == 0  # once
    second = set(await told_by_dm(pt, request_id)) - first
    assert second == set(MENTORS) - first
    notes = [i for i in await queued(pt) if i["recipient"] == f"channel:{MODLOG_CHANNEL}"]
    assert any("waited 3 days" in str(n["payload"]) for n in notes)

    clock.advance(timedelta(days=11))
    assert await pt.mentor_routing.expire_due() == 1
    assert await pt.mentor_routing.expire_due() == 0
    assert await status_of(pt, request_id) is RequestStatus.EXPIRED
    kind = [i for i in await queued(pt, DeliveryKind.SEND_DM) if i["key"].endswith(":expired")]
    assert [k["recipient"] for k in kind] == [f"user:{MENTEE}"]
    assert "says nothing about you" in str(kind[0]["payload"])


async def test_consent_snoozed_blocked_and_hidden_mentors_are_not_told(
    pt: Services, clock: FakeClock
) -> None:
    await pt.introductions.snooze(GUILD, ANA, 2)
    await pt.privacy.block(GUILD, MENTEE, BEN)  # the mentee blocked Ben
    await pt.privacy.set_discoverable(GUILD, CAT, False)
    request_id = await request(pt)
    assert sorted(await told_by_dm(pt, request_id)) == [DEV, EVE]
    with pytest.raises(Conflict, match="not open to you"):
        await pt.mentor_claims.claim(request_id, BEN)
    with pytest.raises(Conflict, match="snoozed"):
        await pt.mentor_claims.claim(request_id, ANA)
    with pytest.raises(Conflict, match="discoverable"):
        await pt.mentor_claims.claim(request_id, CAT)


async def test_withdrawing_consent_cancels_the_request_and_takes_mentors_off(
    pt: Services,
) -> None:
    request_id = await request(pt)
    told = await told_by_dm(pt, request_id)
    await pt.privacy.block(GUILD, told[0], MENTEE)  # a mentor blocks the mentee
    assert told[0] not in await told_by_dm(pt, request_id)  # their DM is withdrawn
    with pytest.raises(Conflict, match="not open to you"):
        await pt.mentor_claims.claim(request_id, told[0])
    await pt.privacy.set_discoverable(GUILD, MENTEE, False)
    assert await status_of(pt, request_id) is RequestStatus.CANCELLED
    assert await told_by_dm(pt, request_id) == []


async def test_pause_reroutes_requests_offered_only_to_me(services: Services) -> None:
    pt = await prepare(services, mentors=(ANA,))
    request_id = await request(pt)
    assert await told_by_dm(pt, request_id) == [ANA]
    await pt.member_tags.add_member_tag(GUILD, BEN, "Orthopedics")
    await pt.mentors.offer(GUILD, BEN, capacity=2)
    assert await pt.mentors.pause(GUILD, ANA) == 1
    assert BEN in await told_by_dm(pt, request_id)
    with pytest.raises(Conflict, match="paused"):
        await pt.mentor_claims.claim(request_id, ANA)
    with pytest.raises(Conflict, match="already paused"):
        await pt.mentors.pause(GUILD, ANA)
    await pt.mentors.resume(GUILD, ANA)
    status = await pt.mentors.status(GUILD, ANA)
    assert status.profile is not None
    assert not status.profile.paused
    assert [r.id for r in status.offered] == [request_id]


async def test_a_request_sent_back_goes_to_other_mentors_only(pt: Services) -> None:
    """What a poor fit does (mentor-b's side): open, wave 0, the mentor excluded."""
    request_id = await request(pt)
    told = await told_by_dm(pt, request_id)
    claimed = await pt.mentor_claims.claim(request_id, told[0])
    await settle_threads(pt)
    async with pt.db.transaction() as uow:
        req = await uow.mentor_requests.get(request_id)
        assert req is not None
        await uow.mentor_requests.move(
            req.id, RequestStatus.MATCHED, RequestStatus.OPEN, now=pt.clock.now()
        )
        await uow.mentor_requests.set_routed(req.id, 0)
        await uow.mentor_requests.exclude(req, claimed.match.mentor_id)
    assert await pt.mentor_routing.route_pending() == 1
    again = await told_by_dm(pt, request_id)
    assert claimed.match.mentor_id not in again
    assert set(again) == set(MENTORS) - set(told)
    with pytest.raises(Conflict, match="not open to you"):
        await pt.mentor_claims.claim(request_id, claimed.match.mentor_id)


async def test_offer_rules_and_require_role(pt: Services) -> None:
    with pytest.raises(InvalidInput, match="1 to 5"):
        await pt.mentors.offer(GUILD, ANA, capacity=6)
    with pytest.raises(InvalidInput, match="your own tags"):
        await pt.mentors.offer(GUILD, ANA, topics=["Neurology"])
    with pytest.raises(Conflict, match="tags"):
        await pt.mentors.offer(GUILD, 999)
    status = await pt.mentors.offer(GUILD, ANA, capacity=3, note="Ortho residency grad")
    assert status.profile is not None
    assert status.profile.capacity == 3
    assert status.topics == ("Orthopedics",)
    await pt.mentors.set_require_role(GUILD, 55, actor_id=MOD)
    with pytest.raises(Conflict, match="role"):
        await pt.mentors.offer(GUILD, ANA, capacity=2, role_ids=[1])
    kept = await pt.mentors.offer(GUILD, ANA, role_ids=[55])
    assert kept.profile is not None
    assert kept.profile.capacity == 3
    assert kept.profile.note == "Ortho residency grad"


async def test_privacy_export_and_delete(pt: Services) -> None:
    request_id = await request(pt)
    exported = (await pt.privacy.export(GUILD, MENTEE))["servers"][str(GUILD)]
    assert exported["mentor_requests"][0]["goals"].startswith("Pass the OCS")
    mentor = (await told_by_dm(pt, request_id))[0]
    theirs = (await pt.privacy.export(GUILD, mentor))["servers"][str(GUILD)]
    assert theirs["mentor_profiles"][0]["capacity"] == 1
    (told,) = theirs["mentor_request_mentors"]
    assert told["mentor_id"] == "you"
    assert "mentor_requests" not in theirs  # the mentee's request is theirs, not the mentor's
    await pt.privacy.delete(GUILD, MENTEE)
    async with pt.db.read() as uow:
        assert await uow.mentor_requests.get(request_id) is None


async def test_report_counts(pt: Services, clock: FakeClock) -> None:
    start = clock.now()
    request_id = await request(pt)
    clock.advance(timedelta(hours=5))
    await pt.mentor_claims.claim(request_id, ANA)
    await settle_threads(pt)
    until = clock.now() + timedelta(seconds=1)
    async with pt.db.read() as uow:
        assert await uow.mentor_requests.count_requests_opened(GUILD, start, until) == 1
        assert await uow.mentor_requests.count_matched(GUILD, start, until) == 1
        assert await uow.mentor_requests.match_durations(GUILD, start, until) == [
            timedelta(hours=5)
        ]
    assert MOD  # the moderator set the server up


NASTY = ["@everyone", "@here", "<@123>", "<@&456>", "[a](https://x.y)", "\u200b", "\u202e", "\x00"]
hostile = st.one_of(
    st.text(max_size=600),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), max_size=12).map("".join),
    st.text(min_size=5_000, max_size=10_000),
)
short_hostile = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=4)), max_size=6).map("".join),
)


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(goals=hostile, background=hostile, note=short_hostile, term=short_hostile)
async def test_hostile_text_never_crashes_or_stores_a_ping(
    pt: Services, goals: str, background: str, note: str, term: str
) -> None:
    for call in (
        pt.mentor_requests.open(
            GUILD, MENTEE, topic="ortho", goals=goals, term=term, background=background
        ),
        pt.mentors.offer(GUILD, ANA, note=note),
    ):
        with contextlib.suppress(DomainError):  # a friendly refusal stores nothing
            await call
    async with pt.db.transaction() as uow:
        request = await uow.mentor_requests.current_for(GUILD, MENTEE)
        offer = await uow.mentors.get(GUILD, ANA)
        if request is not None:
            assert not could_ping(request.goals)
            assert not could_ping(request.background or "")
            assert "\x00" not in request.goals
            await uow.conn.execute(
                mentor_requests.delete().where(mentor_requests.c.id == request.id)
            )
    assert offer is not None
    assert not could_ping(offer.note or "")


async def _card_sent(services: Services, request_id: int) -> str:
    """Play the sender for the request's current card: posted as message 1."""
    async with services.db.transaction() as uow:
        found = await uow.mentor_requests.get(request_id)
        assert found is not None
        assert found.card_key is not None
        row = await uow.outbox.get(found.card_key)
        assert row is not None
        result = {"channel_id": REQUESTS_CHANNEL, "message_id": 1}
        await uow.outbox.mark_sent(row.id, result, now=services.clock.now())
    return found.card_key


async def test_after_a_poor_fit_mentors_with_room_hear_again_and_the_old_card_steps_aside(
    services: Services, clock: FakeClock
) -> None:
    from bot.domain.mentorship.matches import FitAnswer

    pt = await prepare(services, mentors=(ANA, BEN))
    request_id = await request(pt)
    assert sorted(await told_by_dm(pt, request_id)) == [ANA, BEN]
    first_card = await _card_sent(pt, request_id)
    claimed = await pt.mentor_claims.claim(request_id, ANA)
    await settle_threads(pt)
    clock.advance(timedelta(days=14))
    await pt.mentor_matches.tick()
    await pt.mentor_matches.answer_fit(claimed.match.id, MENTEE, FitAnswer.POOR)

    assert await told_by_dm(pt, request_id) == [BEN]  # had room: told of it afresh
    logged = [
        json.dumps(item["payload"])
        for item in await queued(pt)
        if item["recipient"] == f"channel:{MODLOG_CHANNEL}"
    ]
    assert not any("no mentor with" in line for line in logged)
    old_card = [
        item["payload"]["message"]["embeds"][0]["description"]
        for item in await queued(pt, DeliveryKind.EDIT_MESSAGE)
        if item["key"].startswith(f"{first_card}:")
    ]
    assert old_card
    assert "Matched" not in old_card[-1]
    assert "newer card" in old_card[-1]


async def test_resume_tells_the_mentor_of_open_requests_they_could_take(
    services: Services,
) -> None:
    pt = await prepare(services, mentors=(ANA, BEN))
    await pt.mentors.pause(GUILD, ANA)
    request_id = await request(pt)
    assert await told_by_dm(pt, request_id) == [BEN]
    assert await pt.mentors.resume(GUILD, ANA) == 1
    assert sorted(await told_by_dm(pt, request_id)) == [ANA, BEN]
    status = await pt.mentors.status(GUILD, ANA)
    assert [r.id for r in status.offered] == [request_id]
    await pt.mentors.pause(GUILD, ANA)
    assert await pt.mentors.resume(GUILD, ANA) == 0  # told once, never twice


async def test_the_request_form_is_refused_before_it_opens(pt: Services) -> None:
    """Issue #20 item 13: an open request or no consent is said before any goals are typed."""
    assert await pt.mentor_requests.form_for(GUILD, MENTEE, "ortho") == "Orthopedics"
    await request(pt)
    with pytest.raises(Conflict, match="already have an open mentor request"):
        await pt.mentor_requests.form_for(GUILD, MENTEE, "ortho")
    await pt.privacy.set_discoverable(GUILD, MENTEE, False)
    with pytest.raises(Conflict, match="need to be discoverable first"):
        await pt.mentor_requests.form_for(GUILD, MENTEE, "ortho")

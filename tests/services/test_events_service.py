"""EventService with real repositories and a fake clock: the server's time zone and retention
decide when events are over and fade, imports, and the consent rule in event listings.

The ``services`` fixture's servers default to America/Chicago.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.services import Services
from bot.services.events import ScheduledEvent

GUILD, MOD = 1001, 7
MARIA, PRIYA, GRACE, TOM = 101, 102, 103, 104


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def community(services: Services) -> int:
    """Four discoverable members with PT tags and one event, 11-13 Feb 2026; its id."""
    await services.vocabulary.apply_preset(GUILD, "pt", actor_id=MOD)
    for user, tags in (
        (MARIA, ("ortho", "Sports")),
        (PRIYA, ("ortho", "Sports")),
        (GRACE, ("ortho",)),
        (TOM, ("Neurology",)),
    ):
        for tag in tags:
            await services.member_tags.add_member_tag(GUILD, user, tag)
        await services.privacy.set_discoverable(GUILD, user, True)
    event = await services.events.add(GUILD, "CSM 2026", "2026-02-11", "2026-02-13", actor_id=MOD)
    for user in (MARIA, PRIYA, GRACE, TOM):
        await services.events.attend(GUILD, user, event.id)
    return event.id


async def people(services: Services, event_id: int, viewer: int = MARIA) -> list[int]:
    found = await services.events.people(GUILD, viewer, event_id)
    return [p.user_id for p in found.result.people]


async def test_ranked_attendees_and_the_consent_rule(services: Services) -> None:
    event_id = await community(services)
    assert await people(services, event_id) == [PRIYA, GRACE, TOM]  # 2 shared, 1, none
    await services.privacy.block(GUILD, GRACE, MARIA)  # either direction hides both
    await services.introductions.snooze(GUILD, PRIYA, 1)
    assert await people(services, event_id) == [TOM]
    assert MARIA not in await people(services, event_id, viewer=GRACE)
    await services.privacy.set_discoverable(GUILD, TOM, False)
    assert await people(services, event_id) == []
    # The rounds' member list is every attendee still attending: consent is the round's to apply.
    assert await services.events.attendees(GUILD, event_id) == [MARIA, PRIYA, GRACE, TOM]


async def test_over_and_fading_follow_the_server_time_zone_and_retention(
    services: Services, clock: FakeClock
) -> None:
    event_id = await community(services)
    await services.events.leave(GUILD, TOM, event_id)
    clock.set(at("2026-02-14T05:59:00"))  # still 13 Feb, 23:59 in Chicago
    await services.events.attend(GUILD, TOM, event_id)
    clock.set(at("2026-02-14T06:00:00"))  # 14 Feb in Chicago: over
    with pytest.raises(Conflict, match="is over"):
        await services.events.attend(GUILD, TOM, event_id)
    await services.settings.set_defaults(GUILD, actor_id=MOD, event_retention_days=7)
    clock.set(at("2026-02-21T05:59:00"))  # 20 Feb in Chicago: the 7th day after
    assert len(await services.events.mine(GUILD, MARIA)) == 1
    summary = await services.privacy.show(GUILD, MARIA)
    assert [e.id for e in summary.events] == [event_id]
    clock.set(at("2026-02-21T06:00:00"))  # 21 Feb in Chicago: faded
    assert await services.events.mine(GUILD, MARIA) == []
    assert await services.events.attendees(GUILD, event_id) == []
    with pytest.raises(NotFound, match="attendance list is gone"):
        await services.events.people(GUILD, MARIA, event_id)
    assert (await services.privacy.show(GUILD, MARIA)).events == ()
    assert await services.events.forget_faded() == 4
    assert await services.events.forget_faded() == 0


async def test_import_adds_then_updates_and_skips_what_it_cannot_take(
    services: Services,
) -> None:
    found = [
        ScheduledEvent(
            1, "CSM 2027", at("2027-02-11T14:00:00"), at("2027-02-14T02:00:00"), "SD", None
        ),
        ScheduledEvent(
            2,
            "Journal club",
            at("2027-01-20T18:00:00"),
            None,
            None,
            "https://discord.com/events/1/2",
        ),
        ScheduledEvent(3, "Cancelled", at("2027-01-21T18:00:00"), None, None, None, canceled=True),
        ScheduledEvent(4, "x", at("2027-01-22T18:00:00"), None, None, None),
    ]
    first = await services.events.import_scheduled(GUILD, found, actor_id=MOD)
    assert [e.name for e in first.added] == ["CSM 2027", "Journal club"]
    csm = first.added[0]
    assert (csm.start_date.isoformat(), csm.end_date.isoformat()) == ("2027-02-11", "2027-02-13")
    assert first.added[1].end_date == first.added[1].start_date  # no end time: one day
    assert first.skipped == ("x: An event name needs 2 to 100 characters (it has 1).",)
    renamed = [ScheduledEvent(1, "CSM 2027 (San Diego)", found[0].start, found[0].end, "SD", None)]
    second = await services.events.import_scheduled(GUILD, renamed, actor_id=MOD)
    assert second.added == ()
    assert [(e.id, e.name) for e in second.updated] == [(csm.id, "CSM 2027 (San Diego)")]
    assert len(await services.events.listing(GUILD)) == 2


async def test_deleting_my_data_removes_my_attendance(services: Services) -> None:
    event_id = await community(services)
    await services.privacy.delete(GUILD, PRIYA)
    assert PRIYA not in await services.events.attendees(GUILD, event_id)
    assert await services.events.mine(GUILD, PRIYA) == []


async def test_unknown_events_are_friendly(services: Services) -> None:
    with pytest.raises(NotFound, match="no such event"):
        await services.events.attend(GUILD, MARIA, 999)
    with pytest.raises(NotFound):
        await services.events.remove(GUILD, 999, actor_id=MOD)


async def test_a_member_first_seen_attending_is_listed(services: Services) -> None:
    event_id = await community(services)
    await services.settings.set_defaults(GUILD, actor_id=MOD, discoverable_by_default=True)
    assert await people(services, event_id) == [PRIYA, GRACE, TOM]  # the index is built
    newcomer = 999  # no tags, never seen before: discoverable by the server's default
    await services.events.attend(GUILD, newcomer, event_id)
    assert await people(services, event_id) == [PRIYA, GRACE, TOM, newcomer]


async def test_an_event_already_over_is_refused_in_the_servers_time_zone(
    services: Services,
) -> None:
    today = services.clock.now().date()  # the fake clock's noon UTC: the same day in UTC
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    with pytest.raises(InvalidInput, match="already over"):
        await services.events.add(GUILD, "Last week", f"{yesterday}", f"{yesterday}", actor_id=MOD)
    assert await services.events.listing(GUILD) == []
    ending_today = await services.events.add(GUILD, "Today", f"{today}", f"{today}", actor_id=MOD)
    coming = await services.events.add(GUILD, "Soon", f"{tomorrow}", f"{tomorrow}", actor_id=MOD)
    assert {line.event.id for line in await services.events.listing(GUILD)} == {
        ending_today.id,
        coming.id,
    }

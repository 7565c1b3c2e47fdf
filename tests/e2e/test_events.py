"""Events (conference mode) through the sandbox server (PRODUCT.md "Events (conference mode)"):
moderators add and import events, members attend and find other attendees ranked by shared
tags, ``/find event:`` keeps to attendees, and attendance fades after the retention period
(the bot's FakeClock is moved; the housekeeping job is called as the scheduler would).

The clock starts Mon 5 Jan 2026 12:00 UTC; the server's time zone stays UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.events import Event
from sandbox.demo import DemoCommunity
from sandbox.members import Member
from sandbox.render import render_message
from sandbox.server import SandboxServer
from tests.e2e.support import ClockedRunner, answer, drained, prepare, running

pytestmark = pytest.mark.e2e


async def events_here(runner: ClockedRunner, community: DemoCommunity) -> dict[str, Event]:
    lines = await running(runner).services.events.listing(community.guild.id)
    return {line.event.name: line.event for line in lines}


async def add_event(community: DemoCommunity, **options: object) -> str:
    defaults = {"name": "CSM 2026", "start": "2026-02-11", "end": "2026-02-13"}
    return await answer(await community.moderator.slash("setup events add", **defaults | options))


async def attend(member: Member, event: Event) -> str:
    return await answer(await member.slash("event attend", event=event.id))


def listed_names(text: str, community: DemoCommunity) -> list[str]:
    """Who a listing shows, in its order (by username)."""
    found = [
        (text.index(m.display_name), name)
        for name, m in community.members.items()
        if m.display_name in text
    ]
    return [name for _, name in sorted(found)]


async def test_add_import_attend_people_find_fade_remove(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    mod = community.moderator
    await prepare(community, "maria", "priya", "grace", "james", "tom")
    mod_log = community.guild.channel("mod-log")
    await answer(await mod.slash("setup channel", purpose="moderation-log", channel=mod_log))

    # -- moderators: add (validated), import (re-import updates), list --------------------------
    assert "before the start date" in await add_event(
        community, start="2026-02-13", end="2026-02-11"
    )
    assert "should look like 2027-02-11" in await add_event(community, start="11/02/2026")
    assert "web address" in await add_event(community, url="javascript:alert(1)")
    assert "2 to 100 characters" in await add_event(community, name="x")
    added = await add_event(community, location="Boston, MA", url="https://www.apta.org/csm")
    assert "Added event" in added
    assert (
        "**CSM 2026** (11 Feb 2026 to 13 Feb 2026, Boston, MA) <https://www.apta.org/csm>" in added
    )

    imported = await answer(await mod.slash("setup events import"))
    assert "2 added, 0 updated" in imported
    assert "APTA Combined Sections Meeting" in imported
    assert "Lakeshore Chapter Meeting" in imported
    seeded = next(e for e in community.guild.scheduled_events.values() if "Combined" in e.name)
    seeded.name = "APTA CSM (San Diego)"
    again = await answer(await mod.slash("setup events import"))
    assert "0 added, 2 updated" in again
    events = await events_here(clocked, community)
    assert set(events) == {
        "CSM 2026",
        "APTA CSM (San Diego)",
        "Lakeshore Chapter Meeting",
    }
    csm27 = events["APTA CSM (San Diego)"]
    assert seeded.end is not None
    # Three days from 14:00 UTC on the first to 23:00 UTC on the last: local dates (UTC here).
    assert csm27.start_date == datetime.fromtimestamp(seeded.start, UTC).date()
    assert csm27.end_date == datetime.fromtimestamp(seeded.end, UTC).date()
    assert (csm27.end_date - csm27.start_date).days == 2
    assert csm27.location == "San Diego, CA"
    assert csm27.url == f"https://discord.com/events/{community.guild.id}/{seeded.id}"
    listed = await answer(await mod.slash("setup events list"))
    assert listed.index("CSM 2026") < listed.index("APTA CSM (San Diego)")  # by start date
    await drained(clocked)
    logged = "\n".join(render_message(m) for m in mod_log.messages)
    assert "added the event" in logged
    assert "imported the server's scheduled events: 2 added, 0 updated." in logged

    # -- members attend, with autocomplete ------------------------------------------------------
    csm = events["CSM 2026"]
    maria, priya, grace, james, tom = (
        community.members[n] for n in ("maria", "priya", "grace", "james", "tom")
    )
    choices = await maria.autocomplete("event attend", focused="event", value="csm")
    assert [c["value"] for c in choices] == [csm.id, csm27.id]
    assert choices[0]["name"] == "CSM 2026 · 11 Feb 2026"
    assert "You're marked as attending **CSM 2026**" in await attend(maria, csm)
    assert "already marked" in await attend(maria, csm)
    for member in (priya, grace, tom):
        await attend(member, csm)
    await attend(james, csm27)  # another event: never listed for CSM 2026
    assert "**CSM 2026**" in await answer(await maria.slash("event mine"))

    # -- /event people: discoverable attendees ranked by shared tags -----------------------------
    ix = await maria.slash("event people", event=csm.id)
    listing = await ix.final()
    shown = render_message(listing)
    assert "People at CSM 2026" in shown
    # Maria: Orthopedics, Sports, Outpatient. Priya and Grace share two tags, Tom one.
    assert listed_names(shown, community)[-1] == "tom"
    assert set(listed_names(shown, community)) == {"priya", "grace", "tom"}
    assert "James" not in shown
    assert "Maria" not in shown
    chose = await maria.select(listing, "Request an introduction", [str(priya.id)])
    assert chose.modal is not None  # the same introduction request as /find
    sports = await answer(await maria.slash("event people", event=csm.id, tag="Sports"))
    assert listed_names(sports, community) == ["grace"]

    # -- /find event: only attendees ------------------------------------------------------------
    everyone = await answer(await maria.slash("find", tag="ortho"))
    assert "James" in everyone
    at_csm = await answer(await maria.slash("find", tag="ortho", event=csm.id))
    assert "People with Orthopedics at CSM 2026" in at_csm
    assert set(listed_names(at_csm, community)) == {"priya", "grace", "tom"}
    find_choices = await maria.autocomplete("find", focused="event", value="", tag="ortho")
    assert csm.id in [c["value"] for c in find_choices]

    # -- consent: someone hidden is listed nowhere ------------------------------------------------
    await answer(await grace.slash("privacy discoverable", value="off"))
    hidden = await answer(await maria.slash("event people", event=csm.id))
    assert "Grace" not in hidden
    assert "Grace" not in await answer(await maria.slash("find", tag="ortho", event=csm.id))
    assert "**Events you attend**: CSM 2026" in await answer(await grace.slash("privacy show"))

    # -- past events: not attendable; attendance fades after event_retention_days ----------------
    clock = clocked.clock
    clock.set(datetime(2026, 2, 14, 0, 0, tzinfo=UTC))  # the day after it ended
    assert "is over" in await attend(james, csm)
    assert "Tom" in await answer(await maria.slash("event people", event=csm.id))
    clock.set(datetime(2026, 3, 15, 23, 59, tzinfo=UTC))  # last day within 30 days
    assert "Tom" in await answer(await maria.slash("event people", event=csm.id))
    clock.advance(timedelta(minutes=1))  # 16 Mar: faded
    gone = await answer(await maria.slash("event people", event=csm.id))
    assert "attendance list is gone" in gone
    assert "not marked as attending any event" in await answer(await tom.slash("event mine"))
    assert "Events you attend" not in await answer(await tom.slash("privacy show"))
    assert csm.id not in [
        c["value"] for c in await maria.autocomplete("event people", focused="event", value="")
    ]
    purged = await running(clocked).services.events.forget_faded()
    assert purged == 4  # maria, priya, grace, tom: the rows are gone, nobody told
    assert await running(clocked).services.events.attendees(community.guild.id, csm27.id) == [
        james.id
    ]

    # -- remove, with a confirmation ------------------------------------------------------------
    remove_choices = await mod.autocomplete("setup events remove", focused="id", value="CSM 2026")
    assert [c["value"] for c in remove_choices] == [csm.id]
    asked = await mod.slash("setup events remove", id=csm.id)
    confirm = await asked.final()
    assert "cannot be undone" in confirm.content
    assert "CSM 2026" in await answer(await mod.slash("setup events list"))  # not yet
    done = await (await mod.click(confirm, "Remove event")).final()
    assert f"Removed event {csm.id}" in done.content
    assert "CSM 2026**" not in await answer(await mod.slash("setup events list"))
    assert "no such event" in await answer(await maria.slash("event people", event=csm.id))


async def test_people_pages_keep_to_the_event_and_leave_works(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    names = list(community.members)
    await prepare(community, *names)  # everyone holds Orthopedics (and some more)
    await add_event(community)
    csm = (await events_here(clocked, community))["CSM 2026"]
    for name in names:
        await attend(community.members[name], csm)
    maria = community.members["maria"]
    listing = await (await maria.slash("event people", event=csm.id)).final()
    first = render_message(listing)
    assert "Page 1 of 2 · 13 people" in first
    turned = await (await maria.click(listing, "Next")).final()
    second = render_message(turned)
    assert "Page 2 of 2" in second
    assert set(listed_names(first, community)) | set(listed_names(second, community)) == (
        set(names) - {"maria"}
    )

    tom = community.members["tom"]
    choices = await tom.autocomplete("event leave", focused="event", value="")
    assert [c["value"] for c in choices] == [csm.id]
    assert "no longer marked" in await answer(await tom.slash("event leave", event=csm.id))
    assert "were not marked" in await answer(await tom.slash("event leave", event=csm.id))
    after = await (await maria.click(turned, "Previous")).final()
    assert "12 people" in render_message(after)


async def test_an_event_round_groups_its_attendees_once_after_the_event(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    """PRODUCT.md: "once after the event, an intro round among its attendees"."""
    mod = community.moderator
    names = ("maria", "priya", "grace", "james")
    await prepare(community, *names, "tom")
    await add_event(community)
    event = (await events_here(clocked, community))["CSM 2026"]
    for name in names:
        await attend(community.members[name], event)
    channel = community.guild.channel("general")

    too_early = await answer(await mod.slash("setup events round", event=event.id, channel=channel))
    assert "is not over yet" in too_early
    clocked.clock.set(datetime(2026, 2, 14, 9, 0, tzinfo=UTC))  # the day after it ended
    ran = await answer(await mod.slash("setup events round", event=event.id, channel=channel))
    assert "Intro round for **CSM 2026** (4 attendees): 2 groups" in ran
    await drained(clocked)
    threads = [t for t in channel.threads if t.name.startswith("Intro round")]
    assert len(threads) == 2
    assert all(t.type == 12 for t in threads)
    bot_id = server.state.bot_user.id
    grouped = [{u.id for u in t.members} - {bot_id} for t in threads]
    attendees = {community.members[name].id for name in names}
    assert set().union(*grouped) == attendees  # tom did not attend: not grouped
    assert all(len(group) == 2 for group in grouped)

    again = await answer(await mod.slash("setup events round", event=event.id, channel=channel))
    assert "already ran" in again
    assert len([t for t in channel.threads if t.name.startswith("Intro round")]) == 2

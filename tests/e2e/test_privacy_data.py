"""/privacy export and delete through the sandbox server (conformance on), from a server and
from DMs across two servers, and members who left: marked on 10007, purged after retention.
After a deletion, later requests still arrive (a freed id never makes a new message look like an
old one) and whoever had asked the deleted member sees what a decline shows."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bot.domain.delivery import Delivery
from sandbox.control import Interaction
from sandbox.demo import DemoCommunity, add_second_server
from sandbox.members import Member
from sandbox.server import SandboxServer
from tests.e2e.support import (
    ENDED,
    NEUTRAL,
    ClockedRunner,
    answer,
    asked_dm,
    dms,
    drained,
    expire,
    prepare,
    request,
    running,
    write_card,
)
from tests.services.support.privacy_world import rows_naming

pytestmark = pytest.mark.e2e


def attached_json(ix: Interaction, message: Any) -> dict[str, Any]:
    assert len(message.attachments) == 1, message
    attachment = message.attachments[0]
    assert attachment.filename.endswith(".json")
    exported: dict[str, Any] = json.loads(attachment.data)
    return exported


async def stored_rows(runner: ClockedRunner, user_id: int, guild_id: int) -> dict[str, int]:
    counts = await rows_naming(running(runner).services.db, user_id, guild_id)
    return {table: n for table, n in counts.items() if n}


async def test_export_attaches_a_json_file_about_me_only(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya")
    maria, priya = community.members["maria"], community.members["priya"]
    await write_card(maria, "maria@example.org")
    await write_card(priya, "priya-private@example.org")
    assert NEUTRAL in await request(priya, maria, "Priya's note about knees")
    await drained(clocked)

    ix = await maria.slash("privacy export")
    message = await ix.final()
    assert ix.ephemeral
    exported = attached_json(ix, message)
    assert "readme" in exported
    assert "the other member" in exported["readme"]["the_other_member"]
    mine = exported["servers"][str(community.guild.id)]
    assert mine["member_profiles"][0]["contact"] == "maria@example.org"
    assert len(mine["member_tags"]) == 3
    text = json.dumps(exported)
    for leak in (str(priya.id), "Priya", "priya-private@example.org", "knees"):
        assert leak not in text
    assert "Everything I store about you" in message.content


async def test_delete_asks_first_and_then_deletes_everything_here(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya")
    maria, priya = community.members["maria"], community.members["priya"]
    await write_card(maria, "maria@example.org")
    assert NEUTRAL in await request(maria, priya, "hello")
    asked = await asked_dm(server, priya)
    await answer(await maria.slash("privacy block", member=community.members["tom"]))
    guild = community.guild.id
    assert len(await stored_rows(clocked, maria.id, guild)) >= 5

    ix = await maria.slash("privacy delete")
    confirm = await ix.final()
    assert ix.ephemeral
    assert "cannot be undone" in confirm.content
    kept = await (await maria.click(confirm, "Cancel")).final()
    assert "Nothing was deleted." in kept.content
    assert len(await stored_rows(clocked, maria.id, guild)) >= 5

    confirm = await (await maria.slash("privacy delete")).final()
    done = await (await maria.click(confirm, "Delete everything")).final()
    assert "everything I stored about you in this server is deleted" in done.content
    assert await stored_rows(clocked, maria.id, guild) == {}
    # Her pending request is gone with her: the target's button says so, nobody is told.
    late = await (await priya.click(asked, "Accept")).final()
    assert "That request no longer exists." in late.content
    shown = await answer(await maria.slash("privacy show"))
    assert "I store nothing about you in this server yet." in shown


async def test_the_confirmation_expires(clocked: ClockedRunner, community: DemoCommunity) -> None:
    await prepare(community, "maria")
    maria = community.members["maria"]
    confirm = await (await maria.slash("privacy delete")).final()
    clocked.clock.advance(timedelta(minutes=11))
    late = await (await maria.click(confirm, "Delete everything")).final()
    assert "expired" in late.content
    assert await stored_rows(clocked, maria.id, community.guild.id) != {}


async def test_from_dms_show_export_and_delete_cover_every_server(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria")
    neuro = add_second_server(community, "maria")
    await running(clocked).sync_commands()  # global commands, as in production: DMs need them
    await server.wait_for(lambda: server.commands() or None, what="global commands")
    maria_there = neuro.members["maria"]
    assert "You are discoverable" in await answer(
        await maria_there.slash("privacy discoverable", value="on")
    )
    maria = community.members["maria"]
    for guild in (community.guild.id, neuro.guild.id):
        assert await stored_rows(clocked, maria.id, guild) != {}

    shown = await (await maria.slash("privacy show", in_dm=True)).final()
    assert "in 2 servers" in shown.content
    ix = await maria.slash("privacy export", in_dm=True)
    exported = attached_json(ix, await ix.final())
    assert set(exported["servers"]) == {str(community.guild.id), str(neuro.guild.id)}
    refused = await (await maria.slash("privacy blocks", in_dm=True)).final()
    assert "use it there" in refused.content

    confirm = await (await maria.slash("privacy delete", in_dm=True)).final()
    assert "every server" in confirm.content
    done = await (await maria.click(confirm, "Delete everything")).final()
    assert "in 2 servers" in done.content
    for guild in (community.guild.id, neuro.guild.id):
        assert await stored_rows(clocked, maria.id, guild) == {}


async def add_to_thread(runner: ClockedRunner, community: DemoCommunity, *user_ids: int) -> None:
    """A private thread that adds these members: what the bot does after an introduction."""
    services = running(runner).services
    channel = community.guild.channel("introductions")
    async with services.db.transaction() as uow:
        delivery = Delivery.thread(
            f"test:thread:{user_ids}",
            channel.id,
            name="Your introduction",
            private=True,
            member_ids=user_ids,
            message={"content": "Hello both"},
            guild_id=community.guild.id,
        )
        await uow.outbox.enqueue(delivery, now=services.clock.now())
    sender = running(runner).sender
    assert sender is not None
    sender.wake()
    await drained(runner)


async def departed_at(runner: ClockedRunner, guild_id: int, user_id: int) -> Any:
    async with running(runner).services.db.read() as uow:
        member = await uow.members.get(guild_id, user_id)
    return member.departed_at if member else "purged"


async def test_a_member_who_left_is_purged_after_the_retention_period(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    await prepare(community, "maria", "priya", "grace")
    maria, priya, grace = (community.members[n] for n in ("maria", "priya", "grace"))
    guild = community.guild
    saved = await answer(
        await community.moderator.slash("setup defaults", departed_retention_days=10)
    )
    assert "Data of members who left is deleted after (days): 30 → **10**" in saved
    guild.remove_member(maria)
    guild.remove_member(grace)
    await add_to_thread(clocked, community, maria.id, priya.id)
    await add_to_thread(clocked, community, grace.id, priya.id)
    assert await departed_at(clocked, guild.id, maria.id) is not None  # 10007 → departed
    assert await departed_at(clocked, guild.id, grace.id) is not None
    assert await departed_at(clocked, guild.id, priya.id) is None
    thread = next(t for t in guild.threads if priya.id in t.thread_members)
    assert maria.id not in thread.thread_members  # the thread went on without her

    guild.rejoin(grace)  # grace comes back and uses the bot: no longer departed
    await answer(await grace.slash("privacy show"))
    assert await departed_at(clocked, guild.id, grace.id) is None

    privacy = running(clocked).services.privacy
    clocked.clock.advance(timedelta(days=9))
    assert await privacy.purge_departed() == 0
    assert await stored_rows(clocked, maria.id, guild.id) != {}
    clocked.clock.advance(timedelta(days=2))
    assert await privacy.purge_departed() == 1
    assert await stored_rows(clocked, maria.id, guild.id) == {}
    assert await stored_rows(clocked, grace.id, guild.id) != {}
    assert await stored_rows(clocked, priya.id, guild.id) != {}


async def test_the_confirmation_survives_a_restart(
    clocked: ClockedRunner, community: DemoCommunity
) -> None:
    await prepare(community, "maria")
    maria = community.members["maria"]
    confirm = await (await maria.slash("privacy delete")).final()
    await clocked.restart()
    done = await (await maria.click(confirm, "Delete everything")).final()
    assert "is deleted" in done.content
    assert await stored_rows(clocked, maria.id, community.guild.id) == {}


async def delete_my_data(member: Member) -> None:
    confirm = await (await member.slash("privacy delete")).final()
    done = await (await member.click(confirm, "Delete everything")).final()
    assert "is deleted" in done.content


async def four_members(community: DemoCommunity) -> tuple[Member, Member, Member, Member]:
    await prepare(community, "grace", "maria", "james", "priya")
    m = community.members
    return m["grace"], m["maria"], m["james"], m["priya"]


# -- after someone deleted their data ----------------------------------------------------------


async def test_a_request_after_someone_deleted_their_data_is_delivered(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    grace, maria, james, priya = await four_members(community)
    assert NEUTRAL in await request(grace, maria, "first")
    await asked_dm(server, maria)
    await delete_my_data(maria)  # the newest request goes with her

    assert NEUTRAL in await request(james, priya, "second")
    await drained(clocked)
    asked = await dms(server, priya)
    assert len(asked) == 1
    assert "second" in asked[0].content or any("second" in str(embed) for embed in asked[0].embeds)


async def test_the_target_deleting_their_data_looks_like_a_decline_to_the_requester(
    clocked: ClockedRunner, community: DemoCommunity, server: SandboxServer
) -> None:
    grace, maria, james, priya = await four_members(community)
    assert NEUTRAL in await request(grace, maria)
    assert NEUTRAL in await request(james, priya)
    await asked_dm(server, maria)
    await (await priya.click(await asked_dm(server, priya), "Decline")).final()
    await delete_my_data(maria)

    # Both requesters still see their request waiting, and hear nothing yet.
    assert "to @Maria Lopez, DPT, asked" in await answer(await grace.slash("intro pending"))
    assert "to @Priya" in await answer(await james.slash("intro pending"))
    await drained(clocked)
    assert server.dm_messages(grace) == server.dm_messages(james) == []

    # At expiry both hear the same neutral ending, once; then nothing about maria is left.
    assert await expire(clocked) == 2
    assert ENDED in (await dms(server, grace))[0].content
    assert ENDED in (await dms(server, james))[0].content
    assert await running(clocked).services.introductions.end_expired() == 0
    assert "You asked" not in await answer(await grace.slash("intro pending"))
    counts = await rows_naming(running(clocked).services.db, maria.id, community.guild.id)
    assert {table: n for table, n in counts.items() if n} == {}

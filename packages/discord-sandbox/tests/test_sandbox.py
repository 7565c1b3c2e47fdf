"""The sandbox server against the real discord.py client (a minimal bot built per test)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from support import Bot, Register

from sandbox.control import CommandNotAvailable, SandboxUsageError
from sandbox.render import render_message
from sandbox.server import SandboxServer
from sandbox.testing import conformance_violations, run_client, without_conformance


def guild_cmd(bot: Bot, **kwargs: Any) -> Callable[..., Any]:
    return bot.tree.command(guild=discord.Object(bot.guild_id), **kwargs)


def running(server: SandboxServer, world: dict[str, Any], register: Register) -> Any:
    return run_client(server, Bot(world["guild"], register))


async def test_start_to_ready(sandbox_server: SandboxServer, world: dict[str, Any]) -> None:
    """Ready with the guild and the application; how fast is a figure for bench/."""
    async with running(sandbox_server, world, lambda bot: None) as bot:
        assert bot.get_guild(world["guild"].id) is not None
        assert bot.application_id == sandbox_server.application_id
    assert sandbox_server.identify_count == 1


async def test_bad_token_is_rejected(sandbox_server: SandboxServer) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.get(
            sandbox_server.api_base_url + "/users/@me", headers={"Authorization": "Bot nope"}
        ) as resp,
    ):
        assert resp.status == 401
        assert (await resp.json())["code"] == 0


async def test_slash_command_ephemeral_with_subcommand_group(
    sandbox_server: SandboxServer, world: dict[str, Any]
) -> None:
    def register(bot: Bot) -> None:
        setup = app_commands.Group(
            name="setup",
            description="Moderator setup",
            default_permissions=discord.Permissions(manage_guild=True),
        )
        tags = app_commands.Group(name="tags", description="Tags", parent=setup)

        @setup.command(name="channel", description="Set a channel")
        async def channel(
            ix: discord.Interaction, purpose: str, channel: discord.TextChannel
        ) -> None:
            await ix.response.send_message(f"{purpose} -> {channel.mention}", ephemeral=True)

        @tags.command(name="add", description="Add a tag")
        async def add(ix: discord.Interaction, name: str, owner: discord.Member) -> None:
            await ix.response.send_message(f"{name} by {owner.display_name}", ephemeral=True)

        bot.tree.add_command(setup, guild=discord.Object(bot.guild_id))

    guild, general = world["guild"], world["general"]
    mod = sandbox_server.actor(guild.add_moderator("mod"))
    async with running(sandbox_server, world, register):
        ix = await mod.slash(
            "setup channel", purpose="introductions", channel=general, in_channel=general
        )
        msg = await ix.final()
        assert ix.response_type == 4
        assert ix.ephemeral
        assert msg.content == f"introductions -> <#{general.id}>"
        assert msg not in general.messages  # ephemeral: not in channel history
        ix = await mod.slash("setup tags add", name="Ortho", owner=world["maria"])
        assert (await ix.final()).content == "Ortho by Maria Lopez"
        with pytest.raises(CommandNotAvailable):
            await world["maria"].slash("setup channel", purpose="x", channel=general)


async def test_defer_then_followup_and_edit(
    sandbox_server: SandboxServer, world: dict[str, Any]
) -> None:
    def register(bot: Bot) -> None:
        @guild_cmd(bot, name="slow", description="slow")
        async def slow(ix: discord.Interaction) -> None:
            await ix.response.defer(ephemeral=True, thinking=True)
            await ix.followup.send("done", ephemeral=True)
            await ix.followup.send("and more", ephemeral=True)
            await ix.edit_original_response(content="done (edited)")

    async with running(sandbox_server, world, register):
        ix = await world["maria"].slash("slow")
        assert ix.response_type == 5
        first = await ix.wait_for_message(lambda m: "edited" in m.content)
        assert first.ephemeral
        assert not first.loading
        assert [h["content"] for h in first.history] == ["", "done"]
        await sandbox_server.wait_for(lambda: len(ix.messages) == 2, what="second followup")
        assert ix.messages[1].content == "and more"


async def test_button_click_updates_message_with_dynamic_item(
    sandbox_server: SandboxServer, world: dict[str, Any]
) -> None:
    class Counter(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"count:(?P<n>\d+)"):
        def __init__(self, n: int) -> None:
            super().__init__(discord.ui.Button(label=f"Count {n}", custom_id=f"count:{n}"))
            self.n = n

        @classmethod
        async def from_custom_id(
            cls, ix: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
        ) -> Counter:
            return cls(int(match["n"]))

        async def callback(self, ix: discord.Interaction) -> None:
            view = discord.ui.View(timeout=None)
            view.add_item(Counter(self.n + 1))
            await ix.response.edit_message(content=f"count={self.n + 1}", view=view)

    def register(bot: Bot) -> None:
        bot.add_dynamic_items(Counter)

        @guild_cmd(bot, name="counter", description="counter")
        async def counter(ix: discord.Interaction) -> None:
            view = discord.ui.View(timeout=None)
            view.add_item(Counter(0))
            await ix.response.send_message("count=0", view=view)

    async with running(sandbox_server, world, register):
        ix = await world["maria"].slash("counter", in_channel=world["general"])
        msg = await ix.final()
        assert msg in world["general"].messages
        assert "[1] Count 0" in render_message(msg)
        click = await world["sam"].click(msg, "Count 0")
        assert click.response_type == 7
        assert msg.content == "count=1"
        assert msg.iter_components()[0]["custom_id"] == "count:1"
        await world["sam"].click(msg, 0)
        assert msg.content == "count=2"
        assert len(msg.history) == 2


async def test_modal_and_select(sandbox_server: SandboxServer, world: dict[str, Any]) -> None:
    class Profile(discord.ui.Modal, title="Edit profile"):
        about: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="About me", max_length=300, custom_id="about"
        )

        async def on_submit(self, ix: discord.Interaction) -> None:
            await ix.response.send_message(f"saved: {self.about.value}", ephemeral=True)

    class Picker(discord.ui.View):
        @discord.ui.select(
            custom_id="pick",
            options=[
                discord.SelectOption(label="Ortho", value="o"),
                discord.SelectOption(label="Neuro", value="n"),
            ],
            max_values=2,
        )
        async def pick(self, ix: discord.Interaction, select: discord.ui.Select[Any]) -> None:
            await ix.response.send_message(",".join(sorted(select.values)), ephemeral=True)

    def register(bot: Bot) -> None:
        @guild_cmd(bot, name="profile", description="edit")
        async def profile(ix: discord.Interaction) -> None:
            await ix.response.send_modal(Profile())

        @guild_cmd(bot, name="pick", description="pick")
        async def pick(ix: discord.Interaction) -> None:
            await ix.response.send_message("pick", view=Picker(), ephemeral=True)

    maria = world["maria"]
    async with running(sandbox_server, world, register):
        ix = await maria.slash("profile")
        assert ix.response_type == 9
        assert ix.modal is not None
        with pytest.raises(SandboxUsageError):
            await maria.submit_modal(ix, {"nope": "x"})
        sub = await maria.submit_modal(ix, {"About me": "PT in Ohio"})
        assert (await sub.final()).content == "saved: PT in Ohio"
        ix = await maria.slash("pick")
        chosen = await maria.select(await ix.final(), "pick", ["Ortho", "n"])
        assert (await chosen.final()).content == "n,o"
        with pytest.raises(SandboxUsageError):
            await world["sam"].click(ix.message, 0)  # not sam's ephemeral message


async def test_autocomplete_and_user_command(
    sandbox_server: SandboxServer, world: dict[str, Any]
) -> None:
    vocab = ["Orthopedics", "Oncology", "Neurology"]

    def register(bot: Bot) -> None:
        async def complete(ix: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            return [
                app_commands.Choice(name=v, value=v)
                for v in vocab
                if current.lower()[:2] in v.lower()
            ]

        @guild_cmd(bot, name="tag", description="tag")
        @app_commands.autocomplete(tag=complete)
        async def tag(ix: discord.Interaction, tag: str) -> None:
            await ix.response.send_message(tag, ephemeral=True)

        @bot.tree.context_menu(name="View profile", guild=discord.Object(bot.guild_id))
        async def view_profile(ix: discord.Interaction, member: discord.Member) -> None:
            await ix.response.send_message(f"profile of {member.display_name}", ephemeral=True)

    async with running(sandbox_server, world, register):
        choices = await world["maria"].autocomplete("tag", focused="tag", value="ort")
        assert [c["value"] for c in choices] == ["Orthopedics"]
        ix = await world["maria"].user_command("View profile", world["sam"])
        assert (await ix.final()).content == "profile of Sam Lee"


async def test_dm_closed_gives_50007_and_dm_open_works(
    sandbox_server: SandboxServer, world: dict[str, Any]
) -> None:
    outcomes: list[str] = []

    def register(bot: Bot) -> None:
        @guild_cmd(bot, name="poke", description="poke")
        async def poke(ix: discord.Interaction, member: discord.Member) -> None:
            await ix.response.defer(ephemeral=True)
            try:
                await member.send("hello from the bot")
                outcomes.append("sent")
            except discord.Forbidden as exc:
                outcomes.append(f"forbidden {exc.code}")
            await ix.followup.send(outcomes[-1], ephemeral=True)

    sandbox_server.faults.close_dms(world["sam"])
    async with running(sandbox_server, world, register):
        await (await world["maria"].slash("poke", member=world["sam"])).final()
        await (await world["sam"].slash("poke", member=world["maria"])).final()
    assert outcomes == ["forbidden 50007", "sent"]
    assert [m.content for m in sandbox_server.dm_messages(world["maria"])] == ["hello from the bot"]
    assert sandbox_server.dm_messages(world["sam"]) == []


async def test_private_thread_with_members_and_permissions(
    sandbox_server: SandboxServer, world: dict[str, Any]
) -> None:
    guild = world["guild"]
    mentorship = guild.add_text_channel("mentorship")
    created: list[Any] = []

    def register(bot: Bot) -> None:
        @guild_cmd(bot, name="match", description="match")
        async def match(ix: discord.Interaction, mentor: discord.Member) -> None:
            await ix.response.defer(ephemeral=True)
            channel = ix.client.get_channel(mentorship.id)
            assert isinstance(channel, discord.TextChannel)
            try:
                thread = await channel.create_thread(name="Mentorship: Maria", invitable=False)
            except discord.Forbidden as exc:
                created.append(exc.code)
                await ix.followup.send("cannot", ephemeral=True)
                return
            await thread.add_user(ix.user)
            await thread.add_user(mentor)
            await thread.send("Welcome!")
            await thread.edit(archived=True, locked=True)
            created.append(thread.id)
            await ix.followup.send("ok", ephemeral=True)

    guild.set_bot_permissions(allow=["manage_threads"])
    async with running(sandbox_server, world, register):
        ix = await world["maria"].slash("match", mentor=world["sam"])
        assert (await ix.final()).content == "ok"
        thread = sandbox_server.state.channels[created[0]]
        assert thread.type == 12
        assert not thread.invitable
        assert thread.members == [sandbox_server.bot_user, world["maria"].user, world["sam"].user]
        assert thread.archived
        assert thread.locked
        assert [m.content for m in thread.messages] == ["Welcome!"]
        guild.set_bot_permissions(mentorship, deny=["create_private_threads"])
        ix = await world["maria"].slash("match", mentor=world["sam"])
        assert (await ix.final()).content == "cannot"
        assert created[-1] == 50013


async def test_three_second_rule_and_double_ack(
    sandbox_server: SandboxServer, world: dict[str, Any]
) -> None:
    sandbox_server.interaction_ack_timeout = 0.2  # Discord's 3 s, scaled down
    seen: list[int] = []
    deadline_passed = asyncio.Event()

    def register(bot: Bot) -> None:
        @guild_cmd(bot, name="late", description="late")
        async def late(ix: discord.Interaction) -> None:
            await deadline_passed.wait()  # the test saw no acknowledgement in time
            try:
                await ix.response.send_message("too late")
            except discord.NotFound as exc:
                seen.append(exc.code)

        @guild_cmd(bot, name="ok", description="ok")
        async def ok(ix: discord.Interaction) -> None:
            await ix.response.send_message("fine", ephemeral=True)

    async with running(sandbox_server, world, register):
        ix = await world["maria"].slash("late", wait=False)
        with pytest.raises(TimeoutError, match="acknowledge /late"):
            await ix.wait_ack(timeout=0.5)
        deadline_passed.set()
        await sandbox_server.wait_for(lambda: seen, what="the late callback")
        assert seen == [10062]
        assert ix.callback_statuses == [404]
        ix = await world["maria"].slash("ok")
        url = f"{sandbox_server.api_base_url}/interactions/{ix.id}/{ix.token}/callback"
        status, body = await post_raw(url, {"type": 4, "data": {"content": "again"}})
        assert status == 400
        assert body["code"] == 40060


async def test_callback_type_must_fit_and_limits(
    sandbox_server: SandboxServer, world: dict[str, Any]
) -> None:
    errors: list[tuple[int, int]] = []
    raw_callback_refused = asyncio.Event()

    def register(bot: Bot) -> None:
        @guild_cmd(bot, name="long", description="long")
        async def long(ix: discord.Interaction) -> None:
            try:
                await ix.response.send_message("x" * 2001)
            except discord.HTTPException as exc:
                errors.append((exc.status, exc.code))
            await ix.response.send_message("recovered", ephemeral=True)

        @guild_cmd(bot, name="quiet", description="quiet")
        async def quiet(ix: discord.Interaction) -> None:
            await raw_callback_refused.wait()  # the test's wrong callback goes first
            await ix.response.send_message("late but fine", ephemeral=True)

    async with running(sandbox_server, world, register):
        ix = await world["maria"].slash("long")
        assert (await ix.final()).content == "recovered"
        assert errors == [(400, 50035)]
        ix = await world["maria"].slash("quiet", wait=False)
        url = f"{sandbox_server.api_base_url}/interactions/{ix.id}/{ix.token}/callback"
        status, body = await post_raw(url, {"type": 8, "data": {"choices": []}})
        assert status == 400
        assert body["code"] == 50035
        raw_callback_refused.set()
        assert (await ix.final()).content == "late but fine"


async def test_gateway_reconnect_resume_and_invalid_session(
    sandbox_server: SandboxServer, world: dict[str, Any]
) -> None:
    def register(bot: Bot) -> None:
        @guild_cmd(bot, name="ping", description="ping")
        async def ping(ix: discord.Interaction) -> None:
            await ix.response.send_message("pong", ephemeral=True)

    maria = world["maria"]
    async with running(sandbox_server, world, register):
        await sandbox_server.gateway_reconnect()
        # dispatched while the bot is away: delivered by RESUME replay
        ix = await maria.slash("ping", wait=False)
        await sandbox_server.wait_ready()
        assert (await ix.final()).content == "pong"
        assert (sandbox_server.identify_count, sandbox_server.resume_count) == (1, 1)

        await sandbox_server.gateway_disconnect()
        await sandbox_server.wait_ready()
        assert (await (await maria.slash("ping")).final()).content == "pong"
        assert (sandbox_server.identify_count, sandbox_server.resume_count) == (1, 2)

        await sandbox_server.gateway_invalid_session(resumable=True)
        await sandbox_server.wait_ready()
        assert (sandbox_server.identify_count, sandbox_server.resume_count) == (1, 3)

        await sandbox_server.gateway_invalid_session(resumable=False)
        await sandbox_server.wait_ready()
        assert (await (await maria.slash("ping")).final()).content == "pong"
        assert (sandbox_server.identify_count, sandbox_server.resume_count) == (2, 3)


async def test_rate_limited_response_is_retried(
    sandbox_server: SandboxServer, world: dict[str, Any]
) -> None:
    def register(bot: Bot) -> None:
        @guild_cmd(bot, name="ping", description="ping")
        async def ping(ix: discord.Interaction) -> None:
            await ix.response.defer()
            await ix.followup.send("pong")
            await ix.channel.send("also here")  # type: ignore[union-attr]

    faults = sandbox_server.faults
    faults.rate_limit(
        "POST /webhooks/{application_id}/{interaction_token}", count=1, retry_after=0.05
    )
    faults.rate_limit(
        "POST /channels/{channel_id}/messages", count=1, retry_after=0.05, global_=True
    )
    async with running(sandbox_server, world, register):
        ix = await world["maria"].slash("ping", in_channel=world["general"])
        assert (await ix.final()).content == "pong"
        await sandbox_server.wait_for(
            lambda: any(m.content == "also here" for m in world["general"].messages)
        )
    statuses = [
        r.status
        for r in sandbox_server.requests_for("POST /webhooks/{application_id}/{interaction_token}")
    ]
    assert statuses == [429, 200]
    statuses = [
        r.status for r in sandbox_server.requests_for("POST /channels/{channel_id}/messages")
    ]
    assert statuses == [429, 200]


async def test_nonce_deduplicates_and_unknown_route_recorded(
    sandbox_server: SandboxServer, world: dict[str, Any]
) -> None:
    general = world["general"]
    headers = {"Authorization": f"Bot {sandbox_server.token}"}
    url = f"{sandbox_server.api_base_url}/channels/{general.id}/messages"
    body = {"content": "once", "nonce": "abc", "enforce_nonce": True}
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.post(url, json=body) as r1, http.post(url, json=body) as r2:
            assert (await r1.json())["id"] == (await r2.json())["id"]
        async with http.get(f"{sandbox_server.api_base_url}/emojis/1") as r3:
            assert r3.status == 404
            assert (await r3.json())["code"] == 0
    assert [m.content for m in general.messages] == ["once"]
    assert sandbox_server.unknown_routes == ["GET /api/v10/emojis/1"]
    sandbox_server.unknown_routes.clear()


async def test_conformance_hook_collects_violations(world: dict[str, Any]) -> None:
    class Strict:
        def check_request(
            self, method: str, path: str, query: str, headers: Any, body: bytes
        ) -> list[str]:
            return ["request flagged"] if path.endswith("/users/@me") else []

        def check_response(
            self, method: str, path: str, query: str, status: int, headers: Any, body: bytes
        ) -> list[str]:
            return []

        def check_gateway(self, direction: str, payload: dict[str, Any]) -> list[str]:
            return [f"{direction} seen"] if payload.get("t") == "READY" else []

    async with SandboxServer(conformance=Strict()) as server:
        guild = server.create_guild("G")
        async with run_client(server, Bot(guild, lambda bot: None)):
            pass
    assert any("GET /api/v10/users/@me" in v and "request flagged" in v for v in server.violations)
    assert any("READY" in v for v in server.violations)


async def post_raw(url: str, body: dict[str, Any]) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as http, http.post(url, json=body) as resp:
        return resp.status, await resp.json()


@pytest.mark.parametrize(
    "flow",
    [
        test_slash_command_ephemeral_with_subcommand_group,
        test_defer_then_followup_and_edit,
        test_button_click_updates_message_with_dynamic_item,
        test_modal_and_select,
        test_autocomplete_and_user_command,
        test_dm_closed_gives_50007_and_dm_open_works,
        test_private_thread_with_members_and_permissions,
        test_gateway_reconnect_resume_and_invalid_session,
    ],
)
async def test_flows_conform_to_references(
    sandbox_server: SandboxServer, world: dict[str, Any], flow: Any
) -> None:
    if sandbox_server.conformance is None:
        without_conformance("reference specs (../shared) not available")
    await flow(sandbox_server, world)
    assert conformance_violations(sandbox_server) == []

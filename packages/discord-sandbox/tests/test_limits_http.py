"""Discord's payload rules over raw HTTP: just inside a limit is accepted, just outside refused.

Limits are Discord's documented ones (messages, embeds, components, modals, application
commands, channel names). Each case sends the same request twice, once on each side of one
rule, and the refusal must come back as Discord words it: 400, code 50035, the field's path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from sandbox import fields as known
from sandbox.conformance import default_shared_dir
from sandbox.control import Interaction
from sandbox.kinds import InteractionType
from sandbox.server import SandboxServer

Body = Any


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # message modal choices callback commands thread thread_edit channel_edit
    good: Body
    bad: Body
    path: tuple[str | int, ...]  # where Discord reports the error
    code: int = 50035


def button(cid: str = "b", **extra: Any) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "Go", "custom_id": cid, **extra}


def row(*children: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(children)}


def options(n: int, **extra: Any) -> list[dict[str, Any]]:
    return [{"label": f"L{i}", "value": f"v{i}", **extra} for i in range(n)]


def select(**extra: Any) -> dict[str, Any]:
    return {"type": 3, "custom_id": "s", "options": options(3), **extra}


def msg_components(*rows: dict[str, Any]) -> dict[str, Any]:
    return {"content": "x", "components": list(rows)}


def embed(**fields: Any) -> dict[str, Any]:
    return {"embeds": [fields]}


def text_input(**extra: Any) -> dict[str, Any]:
    return {"type": 4, "custom_id": "t", "style": 1, "label": "About", **extra}


def modal(**extra: Any) -> dict[str, Any]:
    return {"title": "Edit", "custom_id": "m", "components": [row(text_input())], **extra}


def command(**extra: Any) -> dict[str, Any]:
    return {"name": "tag", "description": "Tags", "type": 1, **extra}


def option(name: str = "o", **extra: Any) -> dict[str, Any]:
    return {"type": 3, "name": name, "description": "d", **extra}


def choices(n: int, size: int = 5) -> list[dict[str, Any]]:
    return [{"name": f"{i:0{size}d}", "value": f"{i}"} for i in range(n)]


CASES = [
    # --- messages (POST /channels/{id}/messages) -----------------------------------------
    Case("content 2000", "message", {"content": "x" * 2000}, {"content": "x" * 2001}, ("content",)),
    Case("empty message", "message", {"content": "x"}, {"content": ""}, (), code=50006),
    Case(
        "nonce 25",
        "message",
        {"content": "x", "nonce": "n" * 25},
        {"content": "x", "nonce": "n" * 26},
        ("nonce",),
    ),
    Case(
        "unknown field",
        "message",
        {"content": "x", "allowed_mentions": {"parse": []}},
        {"content": "x", "alowed_mentions": {"parse": []}},
        ("alowed_mentions",),
    ),
    Case(
        "ephemeral is not a message field",
        "message",
        {"content": "x", "tts": False},
        {"content": "x", "ephemeral": True},
        ("ephemeral",),
    ),
    Case(
        "allowed_mentions parse users excludes users",
        "message",
        {"content": "x", "allowed_mentions": {"parse": ["roles"], "users": ["1"]}},
        {"content": "x", "allowed_mentions": {"parse": ["users"], "users": ["1"]}},
        ("allowed_mentions",),
    ),
    Case(
        "allowed_mentions unknown key",
        "message",
        {"content": "x", "allowed_mentions": {"replied_user": False}},
        {"content": "x", "allowed_mentions": {"replied": False}},
        ("allowed_mentions", "replied"),
    ),
    Case(
        "ephemeral flag on a channel message",
        "message",
        {"content": "x", "flags": 4096},
        {"content": "x", "flags": 64},
        ("flags",),
    ),
    Case(
        "components v2 refuse content",
        "message",
        {"flags": 1 << 15, "components": [{"type": 10, "content": "hello"}]},
        {"flags": 1 << 15, "content": "x", "components": [{"type": 10, "content": "hello"}]},
        ("content",),
    ),
    Case(
        "components v2 refuse embeds",
        "message",
        {"flags": 1 << 15, "components": [{"type": 10, "content": "hello"}]},
        {
            "flags": 1 << 15,
            "embeds": [{"title": "t"}],
            "components": [{"type": 10, "content": "hello"}],
        },
        ("embeds",),
    ),
    # --- embeds ----------------------------------------------------------------------------
    Case(
        "10 embeds",
        "message",
        {"embeds": [{"title": "t"}] * 10},
        {"embeds": [{"title": "t"}] * 11},
        ("embeds",),
    ),
    Case(
        "embed title 256",
        "message",
        embed(title="t" * 256),
        embed(title="t" * 257),
        ("embeds", 0, "title"),
    ),
    Case(
        "embed description 4096",
        "message",
        embed(description="d" * 4096),
        embed(description="d" * 4097),
        ("embeds", 0, "description"),
    ),
    Case(
        "embed 25 fields",
        "message",
        embed(fields=[{"name": "n", "value": "v"}] * 25),
        embed(fields=[{"name": "n", "value": "v"}] * 26),
        ("embeds", 0, "fields"),
    ),
    Case(
        "embed field name 256",
        "message",
        embed(fields=[{"name": "n" * 256, "value": "v"}]),
        embed(fields=[{"name": "n" * 257, "value": "v"}]),
        ("embeds", 0, "fields", 0, "name"),
    ),
    Case(
        "embed field value 1024",
        "message",
        embed(fields=[{"name": "n", "value": "v" * 1024}]),
        embed(fields=[{"name": "n", "value": "v" * 1025}]),
        ("embeds", 0, "fields", 0, "value"),
    ),
    Case(
        "embed footer 2048",
        "message",
        embed(footer={"text": "f" * 2048}),
        embed(footer={"text": "f" * 2049}),
        ("embeds", 0, "footer", "text"),
    ),
    Case(
        "embed author 256",
        "message",
        embed(author={"name": "a" * 256}),
        embed(author={"name": "a" * 257}),
        ("embeds", 0, "author", "name"),
    ),
    Case(
        "embeds total 6000",
        "message",
        {"embeds": [{"description": "d" * 4000}, {"footer": {"text": "f" * 2000}}]},
        {"embeds": [{"description": "d" * 4000}, {"footer": {"text": "f" * 2001}}]},
        ("embeds",),
    ),
    # --- components --------------------------------------------------------------------------
    Case(
        "5 action rows",
        "message",
        msg_components(*[row(button(f"b{i}")) for i in range(5)]),
        msg_components(*[row(button(f"b{i}")) for i in range(6)]),
        ("components",),
    ),
    Case(
        "5 buttons in a row",
        "message",
        msg_components(row(*[button(f"b{i}") for i in range(5)])),
        msg_components(row(*[button(f"b{i}") for i in range(6)])),
        ("components", 0, "components"),
    ),
    Case(
        "top level must be a row",
        "message",
        msg_components(row(button())),
        msg_components(button()),
        ("components", 0, "type"),
    ),
    Case(
        "a select fills its row",
        "message",
        msg_components(row(select())),
        msg_components(row(select(), button())),
        ("components", 0, "components"),
    ),
    Case(
        "button label 80",
        "message",
        msg_components(row(button(label="l" * 80))),
        msg_components(row(button(label="l" * 81))),
        ("components", 0, "components", 0, "label"),
    ),
    Case(
        "link button needs url",
        "message",
        msg_components(row({"type": 2, "style": 5, "label": "L", "url": "https://x.org"})),
        msg_components(row({"type": 2, "style": 5, "label": "L"})),
        ("components", 0, "components", 0, "url"),
    ),
    Case(
        "link button has no custom_id",
        "message",
        msg_components(row({"type": 2, "style": 5, "label": "L", "url": "https://x.org"})),
        msg_components(
            row({"type": 2, "style": 5, "label": "L", "url": "https://x.org", "custom_id": "c"})
        ),
        ("components", 0, "components", 0, "custom_id"),
    ),
    Case(
        "button needs custom_id",
        "message",
        msg_components(row(button())),
        msg_components(row({"type": 2, "style": 1, "label": "L"})),
        ("components", 0, "components", 0, "custom_id"),
    ),
    Case(
        "custom_id 100",
        "message",
        msg_components(row(button("c" * 100))),
        msg_components(row(button("c" * 101))),
        ("components", 0, "components", 0, "custom_id"),
    ),
    Case(
        "custom_ids unique",
        "message",
        msg_components(row(button("a"), button("b"))),
        msg_components(row(button("a"), button("a"))),
        ("components", 0, "components", 1, "custom_id"),
    ),
    Case(
        "select placeholder 150",
        "message",
        msg_components(row(select(placeholder="p" * 150))),
        msg_components(row(select(placeholder="p" * 151))),
        ("components", 0, "components", 0, "placeholder"),
    ),
    Case(
        "select min_values 25",
        "message",
        msg_components(row(select(options=options(25), min_values=25, max_values=25))),
        msg_components(row(select(options=options(25), min_values=26, max_values=25))),
        ("components", 0, "components", 0, "min_values"),
    ),
    Case(
        "select max_values 25",
        "message",
        msg_components(row(select(options=options(25), max_values=25))),
        msg_components(row(select(options=options(25), max_values=26))),
        ("components", 0, "components", 0, "max_values"),
    ),
    Case(
        "select min_values <= max_values",
        "message",
        msg_components(row(select(min_values=2, max_values=2))),
        msg_components(row(select(min_values=3, max_values=2))),
        ("components", 0, "components", 0, "min_values"),
    ),
    Case(
        "select 25 options",
        "message",
        msg_components(row(select(options=options(25)))),
        msg_components(row(select(options=options(26)))),
        ("components", 0, "components", 0, "options"),
    ),
    Case(
        "select max_values <= options",
        "message",
        msg_components(row(select(max_values=3))),
        msg_components(row(select(max_values=4))),
        ("components", 0, "components", 0, "max_values"),
    ),
    Case(
        "option label 100",
        "message",
        msg_components(row(select(options=[{"label": "l" * 100, "value": "v"}]))),
        msg_components(row(select(options=[{"label": "l" * 101, "value": "v"}]))),
        ("components", 0, "components", 0, "options", 0, "label"),
    ),
    Case(
        "option value 100",
        "message",
        msg_components(row(select(options=[{"label": "l", "value": "v" * 100}]))),
        msg_components(row(select(options=[{"label": "l", "value": "v" * 101}]))),
        ("components", 0, "components", 0, "options", 0, "value"),
    ),
    Case(
        "option description 100",
        "message",
        msg_components(row(select(options=options(1, description="d" * 100)))),
        msg_components(row(select(options=options(1, description="d" * 101)))),
        ("components", 0, "components", 0, "options", 0, "description"),
    ),
    Case(
        "option values unique",
        "message",
        msg_components(
            row(select(options=[{"label": "a", "value": "a"}, {"label": "b", "value": "b"}]))
        ),
        msg_components(
            row(select(options=[{"label": "a", "value": "a"}, {"label": "b", "value": "a"}]))
        ),
        ("components", 0, "components", 0, "options", 1, "value"),
    ),
    # --- interaction callbacks -------------------------------------------------------------
    Case(
        "callback unknown field",
        "callback",
        {"type": 4, "data": {"content": "x", "flags": 64}},
        {"type": 4, "data": {"content": "x"}, "ephemeral": True},
        ("ephemeral",),
    ),
    Case(
        "callback message unknown field",
        "callback",
        {"type": 4, "data": {"content": "x", "flags": 64}},
        {"type": 4, "data": {"content": "x", "ephemeral": True}},
        ("ephemeral",),
    ),
    Case(
        "callback type fits the interaction",
        "callback",
        {"type": 5},
        {"type": 8, "data": {"choices": []}},
        ("type",),
    ),
    # --- modals ----------------------------------------------------------------------------
    Case(
        "modal title 45", "modal", modal(title="t" * 45), modal(title="t" * 46), ("data", "title")
    ),
    Case(
        "modal custom_id 100",
        "modal",
        modal(custom_id="m" * 100),
        modal(custom_id="m" * 101),
        ("data", "custom_id"),
    ),
    Case(
        "modal 5 rows",
        "modal",
        modal(components=[row(text_input(custom_id=f"t{i}")) for i in range(5)]),
        modal(components=[row(text_input(custom_id=f"t{i}")) for i in range(6)]),
        ("data", "components"),
    ),
    Case(
        "modal one input per row",
        "modal",
        modal(),
        modal(components=[row(text_input(), text_input(custom_id="u"))]),
        ("data", "components", 0, "components"),
    ),
    Case(
        "text input label 45",
        "modal",
        modal(components=[row(text_input(label="l" * 45))]),
        modal(components=[row(text_input(label="l" * 46))]),
        ("data", "components", 0, "components", 0, "label"),
    ),
    Case(
        "text input max_length 4000",
        "modal",
        modal(components=[row(text_input(max_length=4000))]),
        modal(components=[row(text_input(max_length=4001))]),
        ("data", "components", 0, "components", 0, "max_length"),
    ),
    Case(
        "text input value 4000",
        "modal",
        modal(components=[row(text_input(value="v" * 4000))]),
        modal(components=[row(text_input(value="v" * 4001))]),
        ("data", "components", 0, "components", 0, "value"),
    ),
    Case(
        "text input placeholder 100",
        "modal",
        modal(components=[row(text_input(placeholder="p" * 100))]),
        modal(components=[row(text_input(placeholder="p" * 101))]),
        ("data", "components", 0, "components", 0, "placeholder"),
    ),
    Case("modal unknown field", "modal", modal(), modal(ephemeral=True), ("data", "ephemeral")),
    # --- autocomplete results ------------------------------------------------------------------
    Case(
        "25 choices",
        "choices",
        {"choices": choices(25)},
        {"choices": choices(26)},
        ("data", "choices"),
    ),
    Case(
        "choice name 100",
        "choices",
        {"choices": [{"name": "n" * 100, "value": "v"}]},
        {"choices": [{"name": "n" * 101, "value": "v"}]},
        ("data", "choices", 0, "name"),
    ),
    Case(
        "choice value 100",
        "choices",
        {"choices": [{"name": "n", "value": "v" * 100}]},
        {"choices": [{"name": "n", "value": "v" * 101}]},
        ("data", "choices", 0, "value"),
    ),
    # --- application commands ------------------------------------------------------------------
    Case("commands are an array", "commands", [command()], command(), ()),
    Case(
        "command name charset",
        "commands",
        [command(name="my-tags_2")],
        [command(name="my tags")],
        (0, "name"),
    ),
    Case(
        "command name lower case",
        "commands",
        [command(name="tags")],
        [command(name="Tags")],
        (0, "name"),
    ),
    Case(
        "command name 32",
        "commands",
        [command(name="n" * 32)],
        [command(name="n" * 33)],
        (0, "name"),
    ),
    Case(
        "command description 100",
        "commands",
        [command(description="d" * 100)],
        [command(description="d" * 101)],
        (0, "description"),
    ),
    Case(
        "command description required",
        "commands",
        [command(description="d")],
        [command(description="")],
        (0, "description"),
    ),
    Case(
        "25 options",
        "commands",
        [command(options=[option(f"o{i}") for i in range(25)])],
        [command(options=[option(f"o{i}") for i in range(26)])],
        (0, "options"),
    ),
    Case(
        "option description 100",
        "commands",
        [command(options=[option(description="d" * 100)])],
        [command(options=[option(description="d" * 101)])],
        (0, "options", 0, "description"),
    ),
    Case(
        "25 option choices",
        "commands",
        [command(options=[option(choices=choices(25))])],
        [command(options=[option(choices=choices(26))])],
        (0, "options", 0, "choices"),
    ),
    Case(
        "option choice name 100",
        "commands",
        [command(options=[option(choices=[{"name": "n" * 100, "value": "v"}])])],
        [command(options=[option(choices=[{"name": "n" * 101, "value": "v"}])])],
        (0, "options", 0, "choices", 0, "name"),
    ),
    Case(
        "required options first",
        "commands",
        [command(options=[option("a", required=True), option("b")])],
        [command(options=[option("a"), option("b", required=True)])],
        (0, "options", 1, "required"),
    ),
    Case(
        "autocomplete without choices",
        "commands",
        [command(options=[option(autocomplete=True)])],
        [command(options=[option(autocomplete=True, choices=choices(2))])],
        (0, "options", 0, "autocomplete"),
    ),
    Case(
        "context menu name 32",
        "commands",
        [{"name": "N" * 32, "type": 2}],
        [{"name": "N" * 33, "type": 2}],
        (0, "name"),
    ),
    Case(
        "command names unique",
        "commands",
        [command(name="a"), command(name="b")],
        [command(name="a"), command(name="a")],
        (1, "name"),
    ),
    # --- channel and thread names ------------------------------------------------------------
    Case(
        "thread name 100",
        "thread",
        {"name": "n" * 100, "type": 11},
        {"name": "n" * 101, "type": 11},
        ("name",),
    ),
    Case(
        "thread name not empty",
        "thread",
        {"name": "n", "type": 11},
        {"name": "", "type": 11},
        ("name",),
    ),
    Case(
        "thread unknown field",
        "thread",
        {"name": "n", "type": 11},
        {"name": "n", "type": 11, "private": True},
        ("private",),
    ),
    Case("channel rename 100", "channel_edit", {"name": "c" * 100}, {"name": "c" * 101}, ("name",)),
    Case("thread rename 100", "thread_edit", {"name": "r" * 100}, {"name": "r" * 101}, ("name",)),
]


class World:
    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.guild = server.create_guild("Limits")
        self.general = self.guild.add_text_channel("general")
        self.member = self.guild.add_member("maria")
        self.guild.set_bot_permissions(allow=["manage_threads", "manage_channels"])
        self.http: aiohttp.ClientSession | None = None

    def interaction(self, kind: InteractionType) -> Interaction:
        ix = Interaction(
            self.server.context,
            type=kind,
            data={},
            user=self.member.user,
            member=self.member,
            channel=self.general,
            label="raw",
        )
        self.server.state.interactions[ix.id] = ix
        self.server.interactions_by_token[ix.token] = ix
        return ix

    async def send(self, kind: str, body: Body) -> tuple[int, Any]:
        method, path, payload = self._request(kind, body)
        assert self.http is not None
        url = self.server.api_base_url + path
        async with self.http.request(method, url, json=payload) as resp:
            return resp.status, (await resp.json() if resp.status != 204 else None)

    def _request(self, kind: str, body: Body) -> tuple[str, str, Body]:
        channel = self.general.id
        if kind == "message":
            return "POST", f"/channels/{channel}/messages", body
        if kind in ("modal", "choices", "callback"):
            itype = {
                "modal": InteractionType.APPLICATION_COMMAND,
                "choices": InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE,
                "callback": InteractionType.APPLICATION_COMMAND,
            }[kind]
            ix = self.interaction(itype)
            if kind != "callback":
                body = {"type": 9 if kind == "modal" else 8, "data": body}
            return "POST", f"/interactions/{ix.id}/{ix.token}/callback", body
        if kind == "commands":
            return "PUT", f"/applications/{self.server.application_id}/commands", body
        if kind == "thread":
            return "POST", f"/channels/{channel}/threads", body
        if kind == "channel_edit":
            return "PATCH", f"/channels/{channel}", body
        if kind == "thread_edit":
            thread = self.guild.threads[0] if self.guild.threads else None
            if thread is None:
                raise AssertionError("thread_edit needs a thread: the 'thread' cases run first")
            return "PATCH", f"/channels/{thread.id}", body
        raise AssertionError(kind)


@pytest.fixture
async def world(sandbox_server: SandboxServer) -> Any:
    w = World(sandbox_server)
    headers = {"Authorization": f"Bot {sandbox_server.token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        w.http = http
        yield w


def error_at(body: dict[str, Any], path: tuple[str | int, ...]) -> list[dict[str, Any]]:
    node: Any = body.get("errors", {})
    for part in path:
        node = node.get(str(part), {})
    return list(node.get("_errors", []))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_inside_the_limit_accepted_outside_refused(world: World, case: Case) -> None:
    if case.kind == "thread_edit":
        status, _ = await world.send("thread", {"name": "to rename", "type": 11})
        assert status == 201
    status, body = await world.send(case.kind, case.good)
    assert status in (200, 201, 204), body
    status, body = await world.send(case.kind, case.bad)
    assert status == 400, body
    assert body["code"] == case.code, body
    if case.code == 50035:
        assert body["message"] == "Invalid Form Body"
        found = error_at(body, case.path)
        assert found, f"no error at {case.path}: {body}"
        assert all(isinstance(e["code"], str) and e["message"] for e in found)


async def test_ephemeral_flag_is_allowed_on_interaction_messages(world: World) -> None:
    status, body = await world.send("callback", {"type": 4, "data": {"content": "x", "flags": 64}})
    assert status == 204, body


def _spec_properties(spec: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    schemas = spec["components"]["schemas"]
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    found = set(schema.get("properties", {}))
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in schema.get(key, []):
            found |= _spec_properties(spec, sub)
    return found


@pytest.mark.parametrize(("table", "method", "path"), known.SPEC_ROUTES)
def test_known_fields_match_the_spec(table: str, method: str, path: str) -> None:
    spec_file = default_shared_dir() / "discord-api-spec" / "openapi.json"
    if not spec_file.exists():
        pytest.skip(f"Discord's OpenAPI spec not found at {spec_file}: allow-lists not checked")
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    content = spec["paths"][path][method]["requestBody"]["content"]
    schema = (content.get("application/json") or next(iter(content.values())))["schema"]
    ours = getattr(known, table) - known.ACCEPTED_BEYOND_SPEC.get(table, frozenset())
    assert ours == _spec_properties(spec, schema)


SANDBOX = Path(__file__).resolve().parents[1] / "sandbox"
# client-side glue that runs discord.py against the fake: allowed to import it
CLIENT_SIDE = ("harness.py", "testing.py", "driver.py", "driver_words.py", "cli.py", "demo.py")
FAKE_SERVER_MODULES = sorted(p for p in SANDBOX.rglob("*.py") if p.name not in CLIENT_SIDE)


@pytest.mark.parametrize("module", FAKE_SERVER_MODULES, ids=lambda p: str(p.relative_to(SANDBOX)))
def test_the_fake_server_does_not_import_discord(module: Path) -> None:
    lines = module.read_text(encoding="utf-8").splitlines()
    imports = [ln for ln in lines if ln.strip().startswith(("import discord", "from discord"))]
    assert imports == []


def test_permission_table_agrees_with_discord_py() -> None:
    import discord  # the client under test, used here only to cross-check the sandbox's table

    from sandbox.permissions import permission_value

    for name, enabled in discord.Permissions.all():
        assert enabled
        assert permission_value([name]) == getattr(discord.Permissions, name).flag, name

"""How the sandbox is put together: no import cycle, named interaction types, one error builder,
parts that share a context (not the server), and acting that is the actor's (not the member's)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import aiohttp

from sandbox.control import Actor
from sandbox.kinds import CallbackType, InteractionType
from sandbox.members import Member
from sandbox.server import SandboxServer

SANDBOX = Path(__file__).resolve().parents[1] / "sandbox"
# The world and its JSON: acting as a member (sandbox.control) builds on these, never back.
MODEL = ("state", "members", "guilds", "channels", "messages", "scheduled_events", "shapes")
MODULES = sorted(SANDBOX.rglob("*.py"))
MODULE_LINE_LIMIT = 400


def runtime_imports(module: Path) -> set[str]:
    """Modules imported when the module runs (``if TYPE_CHECKING:`` blocks excluded)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_state_does_not_import_control_back() -> None:
    assert "sandbox.members" in runtime_imports(SANDBOX / "control" / "actor.py")
    for name in MODEL:
        imported = runtime_imports(SANDBOX / f"{name}.py")
        assert not [m for m in imported if m.startswith("sandbox.control")], name


def all_imports(module: Path) -> set[str]:
    """Every module named in an import, type-checking ones included."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}


def test_the_parts_get_the_context_not_the_server() -> None:
    parts = [
        *(SANDBOX / "rest").glob("*.py"),
        *(SANDBOX / "control").glob("*.py"),
        SANDBOX / "gateway.py",
        SANDBOX / "context.py",
    ]
    for module in parts:
        assert "sandbox.server" not in all_imports(module), module.name


def test_acting_is_the_actors_not_the_members() -> None:
    actions = ("slash", "autocomplete", "user_command", "click", "select", "submit_modal")
    assert all(callable(getattr(Actor, name, None)) for name in actions)
    assert not [name for name in actions if hasattr(Member, name)]


def test_no_module_is_too_big() -> None:
    sizes = {str(p.relative_to(SANDBOX)): len(p.read_text("utf-8").splitlines()) for p in MODULES}
    assert {name: n for name, n in sizes.items() if n > MODULE_LINE_LIMIT} == {}


def test_only_form_errors_builds_invalid_form_body() -> None:
    builders = [
        p.name for p in SANDBOX.rglob("*.py") if '"Invalid Form Body"' in p.read_text("utf-8")
    ]
    assert builders == ["limits.py"]


async def test_interactions_carry_named_types(sandbox_server: SandboxServer) -> None:
    from sandbox.control import Interaction

    guild = sandbox_server.create_guild("Kinds")
    member = guild.add_member("maria")
    ix = Interaction(
        sandbox_server.context,
        type=InteractionType.APPLICATION_COMMAND,
        data={},
        user=member.user,
        member=member,
        channel=guild.add_text_channel("general"),
    )
    sandbox_server.state.interactions[ix.id] = ix
    url = f"{sandbox_server.api_base_url}/interactions/{ix.id}/{ix.token}/callback"
    body: dict[str, Any] = {"type": 5, "data": {"flags": 64}}
    async with aiohttp.ClientSession() as http, http.post(url, json=body) as resp:
        assert resp.status == 204
    assert ix.type is InteractionType.APPLICATION_COMMAND
    assert ix.response_type is CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert ix.to_payload()["type"] == 2

from typing import Any

import pytest

from sandbox.server import SandboxServer
from sandbox.testing import sandbox_server

__all__ = ["sandbox_server"]


@pytest.fixture
def world(sandbox_server: SandboxServer) -> dict[str, Any]:
    guild = sandbox_server.create_guild("Physio SIG")
    general = guild.add_text_channel("general")
    maria = sandbox_server.actor(guild.add_member("maria", display_name="Maria Lopez"))
    sam = sandbox_server.actor(guild.add_member("sam", display_name="Sam Lee"))
    return {"guild": guild, "general": general, "maria": maria, "sam": sam}

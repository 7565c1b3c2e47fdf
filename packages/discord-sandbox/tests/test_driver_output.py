"""What the terminal driver prints and keeps: timestamps as dates, DMs kept beside a database."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest

from sandbox import wallclock
from sandbox.dm_archive import load_dms, save_dms
from sandbox.messages import Attachment, Message
from sandbox.render import humanize_timestamps, render_messages
from sandbox.server import SandboxServer
from sandbox.snowflake import snowflake_time_ms

NOW = datetime.datetime(2026, 1, 5, 12, 0, tzinfo=datetime.UTC).timestamp()


def test_timestamps_read_as_dates() -> None:
    in_three_days = int(NOW) + 3 * 86400
    assert humanize_timestamps(f"ends <t:{in_three_days}:R>", now=NOW) == "ends in 3 days"
    assert humanize_timestamps(f"<t:{int(NOW) - 7200}:R>", now=NOW) == "2 hours ago"
    assert humanize_timestamps(f"<t:{int(NOW)}:f>", now=NOW) == "05 January 2026 12:00 UTC"
    assert humanize_timestamps(f"<t:{int(NOW)}:D>", now=NOW) == "05 January 2026 UTC"
    assert humanize_timestamps(f"<t:{int(NOW)}>", now=NOW) == "05 January 2026 12:00 UTC"
    assert humanize_timestamps("<t:not-a-time:R> stays", now=NOW) == "<t:not-a-time:R> stays"


def test_rendered_messages_show_timestamps_from_the_given_now() -> None:
    server = SandboxServer()
    maria = server.create_user("maria")
    channel = server.state.dm_channel_for(maria)
    later = int(NOW) + 86400
    message = Message(1, channel, server.bot_user, content=f"Due <t:{later}:R>")
    assert render_messages([message], now=NOW).endswith("Due in 1 day")


def test_dms_are_kept_beside_the_database_and_put_back(tmp_path: Path) -> None:
    database = tmp_path / "demo.sqlite3"
    first = SandboxServer()
    maria = first.create_user("maria")
    channel = first.state.dm_channel_for(maria)
    export = Attachment(7, "export.json", 2, "application/json", b"{}")
    sent = Message(2, channel, first.bot_user, content="Hello", attachments=[export])
    first.state.messages[sent.id] = sent
    channel.all_messages.append(sent)
    save_dms(first.state, database)

    second = SandboxServer()
    second.state.users[maria.id] = maria  # the same member (the demo's ids are stable)
    assert load_dms(second.state, database) == 1
    [kept] = second.dm_messages(maria)
    assert kept.content == "Hello"
    assert kept.author is second.bot_user
    assert kept.attachments[0].data == b"{}"
    assert load_dms(second.state, tmp_path / "other.sqlite3") == 0  # nothing kept: no DMs


def test_travel_moves_the_sandbox_dates_and_ids_forward() -> None:
    server = SandboxServer()
    maria = server.create_user("maria")
    channel = server.state.dm_channel_for(maria)
    before = Message(server.state.ids.next(), channel, maria)
    try:
        wallclock.travel(8 * 86400)
        after = Message(server.state.ids.next(), channel, maria)
        assert after.timestamp - before.timestamp >= 8 * 86400
        assert snowflake_time_ms(after.id) - snowflake_time_ms(before.id) >= 8 * 86400 * 1000
        with pytest.raises(ValueError, match="forward"):
            wallclock.travel(-1)
    finally:
        wallclock.reset()
    assert abs(wallclock.now() - time.time()) < 60  # back to real time for the other tests

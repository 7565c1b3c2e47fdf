"""Tests for sandbox.conformance against the shared Discord references.

The references live in ../shared (or $SIGBOT_SHARED_DIR) and are never copied into the project;
when they are absent every test that needs them is skipped with the loader's reason.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import sandbox.conformance.gateway as gateway_schemas
from sandbox.conformance import (
    SHARED_DIR_ENV,
    Conformance,
    ConformanceUnavailable,
    default_shared_dir,
)
from sandbox.testing import require_conformance_in_ci

MESSAGES = "/api/v10/channels/123456789012345678/messages"
CALLBACK = "/api/v10/interactions/300000000000000001/aW50ZXJhY3Rpb24tdG9rZW4/callback"
BOT_JSON = {"Authorization": "Bot sandbox-token", "Content-Type": "application/json"}
JSON_ONLY = {"Content-Type": "application/json"}
BOUNDARY = "----sigbot-conformance-boundary"


def load_or_skip() -> Conformance:
    try:
        return Conformance.load()
    except ConformanceUnavailable as exc:
        require_conformance_in_ci(None, str(exc))
        pytest.skip(f"Discord conformance references unavailable: {exc}")


@pytest.fixture(scope="module")
def conformance() -> Conformance:
    return load_or_skip()


def as_json(data: Any) -> bytes:
    return json.dumps(data).encode()


def request(
    c: Conformance,
    method: str,
    path: str,
    body: Any = None,
    *,
    query: str = "",
    headers: dict[str, str] | None = None,
) -> list[str]:
    raw = b"" if body is None else as_json(body)
    return c.check_request(method, path, query, BOT_JSON if headers is None else headers, raw)


def multipart(payload_json: str, files: int = 1) -> bytes:
    parts = [
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="payload_json"\r\n'
        "Content-Type: application/json\r\n\r\n"
        f"{payload_json}\r\n"
    ]
    for i in range(files):
        parts.append(
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="files[{i}]"; filename="tag{i}.png"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
            "\x89PNG\x00\x01\r\n"
        )
    return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode("latin-1")


# --------------------------------------------------------------------------- sample payloads

USER = {
    "id": "200000000000000002",
    "username": "alice",
    "discriminator": "0",
    "global_name": "Alice",
    "avatar": None,
}
BOT_USER = {
    "id": "100000000000000001",
    "username": "sigbot",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
    # VERIFIED_BOT (1 << 16) | BOT_HTTP_INTERACTIONS (1 << 19): combined flags
    "flags": (1 << 16) | (1 << 19),
    "public_flags": (1 << 16) | (1 << 19),
}
CHANNEL = {
    "id": "123456789012345678",
    "type": 0,
    "guild_id": "400000000000000004",
    "name": "general",
    "position": 0,
    "permission_overwrites": [],
    "nsfw": False,
    "topic": None,
    "last_message_id": None,
    "parent_id": None,
    "rate_limit_per_user": 0,
    "flags": 0,
}
ALL_PERMISSIONS = str((1 << 51) - 1)


def interaction_member() -> dict[str, Any]:
    return {
        "user": dict(USER),
        "roles": [],
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "deaf": False,
        "mute": False,
        # DID_REJOIN (1) | COMPLETED_ONBOARDING (2) | STARTED_ONBOARDING (8): combined flags
        "flags": 1 | 2 | 8,
        "permissions": ALL_PERMISSIONS,
        "nick": None,
        "avatar": None,
        "banner": None,
        "premium_since": None,
        "pending": False,
    }


def hello() -> dict[str, Any]:
    return {"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None}


def ready() -> dict[str, Any]:
    return {
        "op": 0,
        "s": 1,
        "t": "READY",
        "d": {
            "v": 10,
            "user": dict(BOT_USER),
            "guilds": [{"id": "400000000000000004", "unavailable": True}],
            "session_id": "0f1e2d3c4b5a",
            "resume_gateway_url": "ws://127.0.0.1:8765",
            "shard": [0, 1],
            # GATEWAY_GUILD_MEMBERS_LIMITED | GATEWAY_MESSAGE_CONTENT_LIMITED | ...: combined
            "application": {
                "id": "100000000000000001",
                "flags": (1 << 15) | (1 << 19) | (1 << 23),
                "flags_new": str((1 << 15) | (1 << 19) | (1 << 23)),
            },
        },
    }


def interaction_create() -> dict[str, Any]:
    return {
        "op": 0,
        "s": 2,
        "t": "INTERACTION_CREATE",
        "d": {
            "id": "300000000000000001",
            "application_id": "100000000000000001",
            "type": 2,
            "token": "aW50ZXJhY3Rpb24tdG9rZW4",
            "version": 1,
            "guild_id": "400000000000000004",
            "channel_id": CHANNEL["id"],
            "channel": dict(CHANNEL),
            "member": interaction_member(),
            "locale": "en-US",
            "guild_locale": "en-US",
            "app_permissions": ALL_PERMISSIONS,
            "entitlements": [],
            "authorizing_integration_owners": {"0": "400000000000000004"},
            "context": 0,
            "attachment_size_limit": 10485760,
            "data": {
                "id": "500000000000000005",
                "name": "tags",
                "type": 1,
                "options": [
                    {
                        "name": "add",
                        "type": 1,
                        "options": [{"name": "tag", "type": 3, "value": "python"}],
                    }
                ],
            },
        },
    }


def guild_create() -> dict[str, Any]:
    member = interaction_member()
    del member["permissions"]  # only interaction members carry permissions
    return {
        "op": 0,
        "s": 3,
        "t": "GUILD_CREATE",
        "d": {
            "id": "400000000000000004",
            "name": "Data SIG",
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": USER["id"],
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [
                {
                    "id": "400000000000000004",
                    "name": "@everyone",
                    "color": 0,
                    "colors": {
                        "primary_color": 0,
                        "secondary_color": None,
                        "tertiary_color": None,
                    },
                    "hoist": False,
                    "icon": None,
                    "unicode_emoji": None,
                    "position": 0,
                    "permissions": "1071698660929",
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "emojis": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            # SUPPRESS_JOIN_NOTIFICATIONS | SUPPRESS_PREMIUM_SUBSCRIPTIONS: combined flags
            "system_channel_flags": 1 | 2,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "safety_alerts_channel_id": None,
            "stickers": [],
            "max_video_channel_users": 25,
            "hub_type": None,
            "incidents_data": None,
            "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "large": False,
            "unavailable": False,
            "member_count": 1,
            "voice_states": [],
            "members": [member],
            "channels": [dict(CHANNEL)],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        },
    }


def identify() -> dict[str, Any]:
    """The IDENTIFY discord.py 2.7 sends when no presence is configured."""
    return {
        "op": 2,
        "d": {
            "token": "sandbox-token",
            "properties": {"os": "linux", "browser": "discord.py", "device": "discord.py"},
            "compress": True,
            "large_threshold": 250,
            "intents": 3276543,
        },
    }


def message_response() -> dict[str, Any]:
    return {
        "id": "600000000000000006",
        "channel_id": CHANNEL["id"],
        "content": "hello",
        "author": {**BOT_USER, "primary_guild": None},
        "timestamp": "2024-01-01T00:00:00.000000+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
        "components": [],
    }


# --------------------------------------------------------------------------- loading


def test_missing_shared_dir_is_unavailable_with_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SHARED_DIR_ENV, str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    assert default_shared_dir() == tmp_path
    with pytest.raises(ConformanceUnavailable, match=r"openapi\.json"):
        Conformance.load()
    with pytest.raises(pytest.skip.Exception, match="references unavailable"):
        load_or_skip()


def test_missing_shared_dir_fails_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SHARED_DIR_ENV, str(tmp_path))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        load_or_skip()


def test_nonexistent_shared_dir_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(ConformanceUnavailable, match="not found"):
        Conformance.load(tmp_path / "nowhere")


def test_default_shared_dir_is_beside_the_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SHARED_DIR_ENV, raising=False)
    project_root = Path(__file__).resolve().parents[3]  # packages/discord-sandbox/tests/
    assert default_shared_dir() == project_root.parent / "shared"


def test_load_is_cached(conformance: Conformance) -> None:
    assert Conformance.load(conformance.shared_dir) is conformance


# --------------------------------------------------------------------------- REST requests


def test_valid_create_message_passes(conformance: Conformance) -> None:
    body = {
        "content": "Welcome to the Data SIG!",
        "embeds": [{"title": "Tags", "description": "python, sql", "color": 0x5865F2}],
        "allowed_mentions": {"parse": []},
        # SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS: combined message flags
        "flags": 4 | 4096,
    }
    assert request(conformance, "POST", MESSAGES, body) == []


def test_create_message_with_non_string_content_fails_naming_route(
    conformance: Conformance,
) -> None:
    errors = request(conformance, "POST", MESSAGES, {"content": 5})
    assert len(errors) == 1
    assert errors[0].startswith(f"POST {MESSAGES} [/channels/{{channel_id}}/messages]")
    assert "$.content" in errors[0]
    assert "not of type" in errors[0]


def test_unknown_path_fails(conformance: Conformance) -> None:
    errors = request(conformance, "GET", "/api/v10/channels/1/not-a-route")
    assert errors == ["GET /api/v10/channels/1/not-a-route: path not in Discord's OpenAPI spec"]
    assert "not under /api/v10" in request(conformance, "GET", "/v9/users/@me")[0]


def test_wrong_method_fails(conformance: Conformance) -> None:
    errors = request(conformance, "PUT", MESSAGES, {"content": "x"})
    assert len(errors) == 1
    assert "[/channels/{channel_id}/messages]" in errors[0]
    assert "spec has GET, POST" in errors[0]


def test_literal_route_wins_over_template(conformance: Conformance) -> None:
    assert conformance.route_for("/api/v10/users/@me") == "/users/@me"
    assert conformance.route_for("/api/v10/users/200000000000000002") == "/users/{user_id}"


def test_missing_bot_token_fails_security(conformance: Conformance) -> None:
    errors = request(conformance, "POST", MESSAGES, {"content": 5}, headers=JSON_ONLY)
    assert any("security" in e for e in errors)
    assert any("$.content" in e for e in errors), "body is still checked"


def test_query_parameters_are_validated(conformance: Conformance) -> None:
    assert request(conformance, "GET", MESSAGES, query="limit=50&before=1") == []
    errors = request(conformance, "GET", MESSAGES, query="limit=many&before=abc")
    assert any("query parameter 'limit'" in e for e in errors)
    assert any("query parameter 'before'" in e for e in errors)


def test_path_snowflake_must_be_digits(conformance: Conformance) -> None:
    errors = request(conformance, "GET", "/api/v10/channels/general/messages")
    assert any("path parameter 'channel_id'" in e for e in errors)


def test_int_for_snowflake_recipient_id_passes(conformance: Conformance) -> None:
    # discord.py 2.7 sends this snowflake as a JSON integer.
    assert request(conformance, "POST", "/api/v10/users/@me/channels", {"recipient_id": 2}) == []
    assert (
        request(
            conformance,
            "POST",
            "/api/v10/users/@me/channels",
            {"recipient_id": "200000000000000002"},
        )
        == []
    )


@pytest.mark.parametrize(
    ("method", "path", "body", "where"),
    [
        ("POST", "/api/v10/users/@me/channels", {"recipient_id": -2}, "$.recipient_id"),
        ("POST", "/api/v10/users/@me/channels", {"recipient_id": "x2"}, "$.recipient_id"),
        ("POST", "/api/v10/users/@me/channels", {"recipient_id": 2.5}, "$.recipient_id"),
        ("POST", MESSAGES, {"content": "x", "tts": 1}, "$.tts"),
        ("PATCH", "/api/v10/channels/123456789012345678", {"name": 123}, "$.name"),
        ("POST", MESSAGES, {"embeds": [{"title": 7}]}, "$.embeds[0].title"),
    ],
)
def test_only_snowflakes_accept_integers(
    conformance: Conformance, method: str, path: str, body: dict[str, Any], where: str
) -> None:
    errors = request(conformance, method, path, body)
    assert len(errors) == 1, errors
    assert where in errors[0]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            {"type": 4, "data": {"content": "Tag added.", "flags": 64}},
            id="4-channel-message",
        ),
        pytest.param({"type": 5, "data": {"flags": 64}}, id="5-deferred"),
        pytest.param({"type": 6}, id="6-deferred-update"),
        pytest.param({"type": 7, "data": {"content": "Updated", "components": []}}, id="7-update"),
        pytest.param(
            {
                "type": 8,
                "data": {
                    "choices": [
                        {"name": "python", "value": "python"},
                        {"name": "sql", "value": "sql"},
                    ]
                },
            },
            id="8-autocomplete",
        ),
        pytest.param(
            {
                "type": 9,
                "data": {
                    "custom_id": "intro:modal",
                    "title": "Introduce yourself",
                    "components": [
                        {
                            "type": 1,
                            "components": [
                                {
                                    "type": 4,
                                    "custom_id": "about",
                                    "label": "About you",
                                    "style": 2,
                                    "required": True,
                                    "max_length": 1000,
                                }
                            ],
                        }
                    ],
                },
            },
            id="9-modal",
        ),
    ],
)
def test_interaction_callbacks_pass(conformance: Conformance, body: dict[str, Any]) -> None:
    assert request(conformance, "POST", CALLBACK, body, headers=JSON_ONLY) == []


def test_broken_interaction_callback_names_the_field(conformance: Conformance) -> None:
    errors = request(
        conformance, "POST", CALLBACK, {"type": 4, "data": {"content": 5}}, headers=JSON_ONLY
    )
    assert len(errors) == 1
    assert "[/interactions/{interaction_id}/{interaction_token}/callback]" in errors[0]
    assert "$.data.content" in errors[0]
    errors = request(
        conformance, "POST", CALLBACK, {"type": 8, "data": {"choices": "python"}}, headers=JSON_ONLY
    )
    assert len(errors) == 1
    assert "$.data.choices" in errors[0]


def test_multipart_payload_json_is_validated(conformance: Conformance) -> None:
    headers = {
        "Authorization": "Bot sandbox-token",
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
    }
    good = json.dumps({"content": "card", "attachments": [{"id": 0, "filename": "tag0.png"}]})
    assert conformance.check_request("POST", MESSAGES, "", headers, multipart(good)) == []
    errors = conformance.check_request(
        "POST", MESSAGES, "", headers, multipart(json.dumps({"content": 5}))
    )
    assert len(errors) == 1
    assert "payload_json" in errors[0]
    assert "$.content" in errors[0]
    errors = conformance.check_request("POST", MESSAGES, "", headers, multipart("{broken"))
    assert len(errors) == 1
    assert "not JSON" in errors[0]
    errors = conformance.check_request(
        "POST", "/api/v10/users/@me/channels", "", headers, multipart('{"recipient_id": 2}')
    )
    assert len(errors) == 1
    assert "multipart/form-data is not accepted" in errors[0]


# --------------------------------------------------------------------------- REST responses


def test_valid_responses_pass(conformance: Conformance) -> None:
    ok = conformance.check_response(
        "POST", MESSAGES, "", 200, JSON_ONLY, as_json(message_response()), BOT_JSON
    )
    assert ok == []
    no_content = conformance.check_response(
        "DELETE", f"{MESSAGES}/600000000000000006", "", 204, {}, b""
    )
    assert no_content == []
    not_found = conformance.check_response(
        "POST", MESSAGES, "", 404, JSON_ONLY, as_json({"code": 10003, "message": "Unknown Channel"})
    )
    assert not_found == []


def test_broken_responses_fail(conformance: Conformance) -> None:
    broken = message_response()
    broken["id"] = "not-a-snowflake"
    errors = conformance.check_response("POST", MESSAGES, "", 200, JSON_ONLY, as_json(broken))
    assert len(errors) == 1
    assert errors[0].startswith(f"POST {MESSAGES} [/channels/{{channel_id}}/messages] -> 200")
    assert "$.id" in errors[0]
    errors = conformance.check_response("POST", MESSAGES, "", 204, {}, b"")
    assert errors
    assert "status not documented" in errors[0]
    errors = conformance.check_response("POST", MESSAGES, "", 200, JSON_ONLY, b"not json")
    assert errors


def test_response_snowflakes_accept_integers_too(conformance: Conformance) -> None:
    body = message_response()
    body["id"] = 600000000000000006
    assert conformance.check_response("POST", MESSAGES, "", 200, JSON_ONLY, as_json(body)) == []


# --------------------------------------------------------------------------- gateway


@pytest.mark.parametrize(
    ("direction", "payload"),
    [
        pytest.param("to_client", hello(), id="HELLO"),
        pytest.param("to_client", ready(), id="READY"),
        pytest.param("to_client", interaction_create(), id="INTERACTION_CREATE"),
        pytest.param("to_client", guild_create(), id="GUILD_CREATE"),
        pytest.param("to_client", {"op": 11, "s": None, "t": None}, id="HEARTBEAT_ACK"),
        pytest.param("to_client", {"op": 7, "s": None, "t": None}, id="RECONNECT"),
        pytest.param("to_client", {"op": 9, "d": False, "s": None, "t": None}, id="INVALID"),
        pytest.param("from_client", identify(), id="IDENTIFY"),
        pytest.param("from_client", {"op": 1, "d": None}, id="HEARTBEAT-first"),
        pytest.param("from_client", {"op": 1, "d": 42}, id="HEARTBEAT"),
        pytest.param(
            "from_client",
            {"op": 6, "d": {"token": "t", "session_id": "0f1e2d3c4b5a", "seq": 42}},
            id="RESUME",
        ),
        pytest.param(
            "from_client",
            # discord.py's chunk request: guild_id as a JSON integer (int-for-snowflake).
            {
                "op": 8,
                "d": {"guild_id": 400000000000000004, "presences": False, "limit": 0, "query": ""},
            },
            id="REQUEST_GUILD_MEMBERS",
        ),
    ],
)
def test_valid_gateway_payloads_pass(
    conformance: Conformance, direction: Any, payload: dict[str, Any]
) -> None:
    assert conformance.check_gateway(direction, payload) == []


def _broken(payload: dict[str, Any], *path: Any, value: Any = None, delete: bool = False) -> Any:
    broken = copy.deepcopy(payload)
    node = broken
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return broken


@pytest.mark.parametrize(
    ("direction", "payload", "expected"),
    [
        pytest.param(
            "to_client",
            _broken(hello(), "d", "heartbeat_interval", value="soon"),
            "[GatewayHello]: $.d.heartbeat_interval",
            id="HELLO",
        ),
        pytest.param(
            "to_client",
            _broken(ready(), "d", "session_id", delete=True),
            "t=READY [GatewayReadyDispatch]: $.d: 'session_id' is a required property",
            id="READY",
        ),
        pytest.param(
            "to_client",
            _broken(interaction_create(), "d", "token", delete=True),
            "[GatewayInteractionCreateDispatch]: $.d: 'token' is a required property",
            id="INTERACTION_CREATE",
        ),
        pytest.param(
            "to_client",
            _broken(
                interaction_create(), "d", "data", "options", 0, "options", 0, "type", value=99
            ),
            "$.d.data.options[0].options[0].type",
            id="INTERACTION_CREATE-option",
        ),
        pytest.param(
            "to_client",
            _broken(guild_create(), "d", "roles", 0, "permissions", value=8),
            "$.d.roles[0].permissions",
            id="GUILD_CREATE-permissions-not-string",
        ),
        pytest.param(
            "to_client",
            _broken(ready(), "d", "user", "flags", value="lots"),
            "$.d.user.flags",
            id="READY-flags-not-integer",
        ),
        pytest.param(
            "to_client",
            {"op": 0, "s": 4, "t": "NOT_AN_EVENT", "d": {}},
            "t=NOT_AN_EVENT: no Receive payload",
            id="unknown-event",
        ),
        pytest.param(
            "to_client",
            {"op": 11, "d": None, "s": None, "t": None},
            "$.d: must be absent",
            id="HEARTBEAT_ACK-with-d",
        ),
        pytest.param(
            "from_client",
            _broken(identify(), "d", "properties", "device", delete=True),
            "[GatewayIdentify]: $.d.properties: 'device' is a required property",
            id="IDENTIFY",
        ),
        pytest.param(
            "from_client",
            _broken(identify(), "d", "intents", value="all"),
            "$.d.intents",
            id="IDENTIFY-intents",
        ),
        pytest.param(
            "from_client",
            {"op": 1, "d": "42"},
            "[GatewayHeartbeat]: $.d",
            id="HEARTBEAT",
        ),
        pytest.param("from_client", {"op": 0, "d": {}}, "no Send payload", id="dispatch-sent"),
        pytest.param("from_client", {"d": {}}, "'op' must be an integer", id="no-op"),
    ],
)
def test_broken_gateway_payloads_fail(
    conformance: Conformance, direction: Any, payload: dict[str, Any], expected: str
) -> None:
    errors = conformance.check_gateway(direction, payload)
    assert errors, "expected a conformance error"
    assert any(expected in e for e in errors), errors
    assert all(len(e) < 400 for e in errors)


def test_gateway_flags_relaxed_but_snowflakes_checked(conformance: Conformance) -> None:
    payload = ready()
    payload["d"]["user"]["public_flags"] = (1 << 0) | (1 << 6) | (1 << 22) | (1 << 46)
    assert conformance.check_gateway("to_client", payload) == []
    payload["d"]["user"]["id"] = "bot-1"
    errors = conformance.check_gateway("to_client", payload)
    assert len(errors) == 1
    assert "$.d.user.id" in errors[0]
    assert "Flags" not in " ".join(conformance.send.relaxed)  # Send has no flag enums
    assert {"UserFlags", "MessageFlags", "ApplicationFlags"} <= set(conformance.receive.relaxed)


def test_strict_gateway_schemas_are_used(conformance: Conformance) -> None:
    assert conformance.receive.flavour == "strict"
    assert conformance.send.flavour == "strict"
    unknown = interaction_create()
    unknown["d"]["surprise"] = True
    errors = conformance.check_gateway("to_client", unknown)
    assert errors
    assert "surprise" in errors[0]


# --------------------------------------------------------------------------- cost


def test_checks_reuse_their_validators(
    conformance: Conformance, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guard against gross regressions (e.g. rebuilding validators per call), without timing.

    How long a check takes is a figure for ``bench/``; here: each gateway schema is compiled
    once, and each path is matched to its route once.
    """
    built: list[str] = []
    real = gateway_schemas.Draft7Validator

    def counting(schema: dict[str, Any], **kwargs: Any) -> Any:
        built.append(str(schema.get("$ref")))
        return real(schema, **kwargs)

    monkeypatch.setattr(gateway_schemas, "Draft7Validator", counting)
    checks = [
        lambda: request(conformance, "POST", MESSAGES, {"content": "hi"}),
        lambda: request(conformance, "POST", CALLBACK, {"type": 4, "data": {"content": "x"}}),
        lambda: conformance.check_gateway("to_client", interaction_create()),
        lambda: conformance.check_gateway("to_client", ready()),
        lambda: conformance.check_gateway("from_client", {"op": 1, "d": 3}),
    ]
    for _ in range(10):
        for check in checks:
            check()
    assert len(built) == len(set(built)) <= 3  # at most once per gateway payload kind
    routes_before = dict(conformance._route_cache)
    for check in checks:
        check()
    assert conformance._route_cache == routes_before  # nothing matched again

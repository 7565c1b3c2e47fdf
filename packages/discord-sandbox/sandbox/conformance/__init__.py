"""Conformance checks against Discord references that no one in this project wrote.

The sandbox server calls :class:`Conformance` on every REST request/response and every gateway
payload it sends or receives (see ``TESTING.md``, "Conformance against references no one here
wrote"). The references are read from ``../shared`` (or ``$SIGBOT_SHARED_DIR``) and never copied
into the project:

* ``discord-api-spec/openapi.json``: Discord's OpenAPI 3.1 spec for API v10. REST traffic is
  validated with ``openapi-core`` as if sent to ``https://discord.com/api/v10/...``.
* ``discord-gateway-schemas/{strict,lenient}_{Receive,Send}.json``: JSON Schemas (draft-07)
  generated from ``discord-api-types``. Gateway payloads are validated with ``jsonschema``.

Relaxations, and nothing else (each is applied to an in-memory copy of the reference):

1. Int-for-snowflake (both references). discord.py sends some snowflakes as JSON integers (e.g.
   ``recipient_id`` on ``POST /users/@me/channels``, ``guild_id`` in REQUEST_GUILD_MEMBERS).
   Wherever a *body* or *gateway* schema expects a snowflake string, a non-negative JSON integer
   is accepted too. In the OpenAPI spec every body/response ``$ref`` to
   ``#/components/schemas/SnowflakeType`` is pointed at an added ``SnowflakeTypeOrInteger``
   (``{"type": ["string", "integer"], "pattern": "^(0|[1-9][0-9]*)$", "minimum": 0}``); path and
   query parameters keep ``SnowflakeType`` (they are strings on the wire, and openapi-core cannot
   deserialize parameters whose schema has a list of types). In the gateway schemas the
   ``Snowflake`` definition (plain ``{"type": "string"}`` there) becomes the same schema, which
   also *adds* the spec's digits-only pattern for strings.
2. Bit flags (gateway schemas only). TypeScript bit-flag enums come out as fixed ``enum``/``const``
   lists that reject combined flags (and even ``0``). Every definition whose name contains
   ``Flags`` and whose schema is a numeric ``enum`` or ``const`` (``UserFlags``, ``MessageFlags``,
   ``ChannelFlags``, ``ApplicationFlags``, ``GuildMemberFlags``, ``RoleFlags``, ...) becomes
   ``{"type": "integer", "minimum": 0}``. Permission bitfields are already ``{"type": "string"}``
   there (``Permissions``) and are left alone. The OpenAPI spec types flags as plain integers, so
   nothing is relaxed there.

Multipart bodies (``multipart/form-data`` with a ``payload_json`` part, as discord.py sends
attachments): ``payload_json`` is parsed and, together with one placeholder string per other part
(``files[0]`` ...), validated against the operation's ``multipart/form-data`` schema (the spec's
multipart schemas are the JSON schema plus optional ``files[n]`` properties). Path, query and
security are still validated by openapi-core.

Gateway payloads are matched to one member of the union before validating, so errors name it:
``to_client`` by ``(op, t)`` among the members of ``GatewayReceivePayload`` (dispatches by ``t``,
e.g. ``GatewayReadyDispatch``, ``GatewayInteractionCreateDispatch``), ``from_client`` by ``op``
among ``GatewaySendPayload``. The standalone ``*_Ready.json`` etc. files hold exactly the same
definitions as the union files, so they are not loaded separately. The strict files are used; the
lenient ones only if a strict file is missing or cannot be indexed.

Error strings look like ``POST /api/v10/channels/1/messages [/channels/{channel_id}/messages]:
body $.content: 5 is not of type 'string', 'null'`` or ``gateway to_client op=0 t=READY
[GatewayReadyDispatch]: $.d.user.id: ...``; at most 8 schema errors per check are listed.
"""

from __future__ import annotations

from sandbox.conformance.checker import Conformance
from sandbox.conformance.references import (
    SHARED_DIR_ENV,
    ConformanceUnavailable,
    default_shared_dir,
)

__all__ = ["SHARED_DIR_ENV", "Conformance", "ConformanceUnavailable", "default_shared_dir"]

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

import collections
import json
import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError as SchemaValidationError
from jsonschema.exceptions import relevance
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.responses.exceptions import ResponseFinderError
from openapi_core.validation.request.exceptions import ParameterValidationError
from openapi_core.validation.request.validators import (
    V31RequestBodyValidator,
    V31RequestParametersValidator,
    V31RequestSecurityValidator,
    V31RequestValidator,
)
from openapi_core.validation.response.exceptions import HeaderValidationError
from openapi_core.validation.response.validators import V31ResponseValidator
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from referencing import Registry
from referencing.jsonschema import DRAFT7, DRAFT202012
from werkzeug.datastructures import Headers, ImmutableMultiDict

__all__ = ["Conformance", "ConformanceUnavailable", "default_shared_dir"]

SHARED_DIR_ENV = "SIGBOT_SHARED_DIR"
API_HOST = "https://discord.com"
API_PREFIX = "/api/v10"
SNOWFLAKE_PATTERN = "^(0|[1-9][0-9]*)$"
SNOWFLAKE_OR_INT: dict[str, Any] = {
    "type": ["string", "integer"],
    "pattern": SNOWFLAKE_PATTERN,
    "minimum": 0,
}
FLAGS_RELAXED: dict[str, Any] = {"type": "integer", "minimum": 0}

_SPEC_SNOWFLAKE_REF = "#/components/schemas/SnowflakeType"
_SPEC_SNOWFLAKE_OR_INT = "SnowflakeTypeOrInteger"
_SPEC_URI = "urn:discord-api-spec"
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_ERRORS = 8
_MAX_MESSAGE = 240


class ConformanceUnavailable(Exception):
    """The shared references are missing or unreadable; the message says which and where."""


def default_shared_dir() -> Path:
    """``$SIGBOT_SHARED_DIR``, else ``<project root>/../shared``."""
    env = os.environ.get(SHARED_DIR_ENV)
    if env:
        return Path(env)
    project_root = Path(__file__).resolve().parent.parent
    return project_root.parent / "shared"


# --------------------------------------------------------------------------- helpers


def _header(headers: Mapping[str, str] | None, name: str) -> str:
    if not headers:
        return ""
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, val in headers.items():
        if key.lower() == lowered:
            return val
    return ""


def _json_path(path: Iterable[Any]) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _shorten(text: str, limit: int = _MAX_MESSAGE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _branches(error: SchemaValidationError) -> list[list[SchemaValidationError]]:
    """The sub-errors of an anyOf/oneOf error, grouped by union member."""
    grouped: dict[Any, list[SchemaValidationError]] = {}
    for sub in error.context or ():
        key = sub.relative_schema_path[0] if sub.relative_schema_path else None
        grouped.setdefault(key, []).append(sub)
    return list(grouped.values())


def _error_cost(error: SchemaValidationError, budget: int = 6) -> tuple[int, int]:
    """(discriminator misses, leaf errors) of one error, looking into nested unions."""
    if error.context and budget > 0:
        return min(_branch_cost(b, budget - 1) for b in _branches(error))
    return (int(error.validator in ("const", "enum")), 1)


def _branch_cost(errors: list[SchemaValidationError], budget: int = 6) -> tuple[int, int]:
    misses = leaves = 0
    for error in errors:
        m, n = _error_cost(error, budget)
        misses += m
        leaves += n
    return (misses, leaves)


def _branch_score(errors: list[SchemaValidationError]) -> tuple[int, bool, int, int]:
    """Lower is a better explanation of why a union (anyOf/oneOf) did not match.

    Prefer the member whose discriminators (const/enum, also inside nested unions) matched,
    whose type matched, and which has the fewest and then the deepest errors.
    """
    misses, leaves = _branch_cost(errors)
    only_type_miss = all(e.validator == "type" and not e.relative_path for e in errors)
    depth = max(len(e.relative_path) for e in errors)
    return (misses, only_type_miss, leaves, -depth)


def _deepest(error: SchemaValidationError) -> SchemaValidationError:
    """For anyOf/oneOf failures, descend into the union member that came closest."""
    for _ in range(20):
        if not error.context:
            break
        closest = min(_branches(error), key=_branch_score)
        # jsonschema's own ordering within the member, without its descent into unions.
        error = max(closest, key=relevance)
    return error


def _describe_schema_error(error: SchemaValidationError, prefix: str = "") -> str:
    deep = _deepest(error)
    where = _json_path(deep.absolute_path)
    message = deep.message
    if deep.validator == "not" and deep.validator_value == {}:
        message = "must be absent (typed `never`), got " + repr(deep.instance)
    if deep is not error:
        # Inside a union: the message is about the member that came closest to matching.
        message = f"{message} (in the closest {error.validator} member)"
    return f"{prefix}{where}: {_shorten(message)}"


def _schema_errors(errors: Iterable[SchemaValidationError], prefix: str = "") -> list[str]:
    ordered = sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.message))
    out = [_describe_schema_error(e, prefix) for e in ordered[:_MAX_ERRORS]]
    if len(ordered) > _MAX_ERRORS:
        out.append(f"... and {len(ordered) - _MAX_ERRORS} more schema errors")
    return out


def _cause_details(exc: BaseException, prefix: str) -> list[str]:
    cause = exc.__cause__
    schema_errors = getattr(cause, "schema_errors", None)
    if schema_errors:
        return _schema_errors(schema_errors, prefix)
    if cause is not None:
        return [f"{prefix}{_shorten(str(cause))}"]
    return [f"{prefix}{_shorten(str(exc))}"]


# --------------------------------------------------------------------------- REST routing


@dataclass(frozen=True)
class _Route:
    template: str
    regex: re.Pattern[str]
    methods: frozenset[str]
    params: int


def _compile_routes(paths: Mapping[str, Any]) -> list[_Route]:
    routes = []
    for template, item in paths.items():
        regex = "".join(
            "[^/]+" if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{[^}]+\})", template)
        )
        methods = frozenset(m.upper() for m in item if m in _HTTP_METHODS)
        routes.append(_Route(template, re.compile(regex), methods, template.count("{")))
    # Fewer parameters first: /users/@me wins over /users/{user_id}.
    routes.sort(key=lambda r: (r.params, -len(r.template)))
    return routes


@dataclass
class _OARequest:
    """openapi-core Request protocol implementation."""

    host_url: str
    path: str
    method: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters = field(default_factory=RequestParameters)


@dataclass
class _OAResponse:
    """openapi-core Response protocol implementation."""

    status_code: int
    content_type: str
    headers: Headers
    data: bytes | None


def _build_request(
    method: str, path: str, query: str, headers: Mapping[str, str] | None, body: bytes
) -> _OARequest:
    hdrs = Headers(list((headers or {}).items()))
    return _OARequest(
        host_url=API_HOST,
        path=path,
        method=method.lower(),
        body=body or None,
        content_type=_header(headers, "Content-Type").lower(),
        parameters=RequestParameters(
            query=ImmutableMultiDict(parse_qsl(query.lstrip("?"), keep_blank_values=True)),
            header=hdrs,
        ),
    )


# --------------------------------------------------------------------------- spec preprocessing


def _relax_spec_snowflakes(spec: dict[str, Any]) -> int:
    """Point body/response snowflake refs at SnowflakeTypeOrInteger; return how many."""
    count = 0

    def walk(node: Any) -> None:
        nonlocal count
        if isinstance(node, dict):
            if node.get("$ref") == _SPEC_SNOWFLAKE_REF:
                node["$ref"] = f"#/components/schemas/{_SPEC_SNOWFLAKE_OR_INT}"
                count += 1
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    components = spec.get("components", {})
    for name, schema in components.get("schemas", {}).items():
        if name != "SnowflakeType":
            walk(schema)
    walk(components.get("responses", {}))
    for item in spec.get("paths", {}).values():
        for method, operation in item.items():
            if method in _HTTP_METHODS:
                walk(operation.get("requestBody", {}))
                walk(operation.get("responses", {}))
    components.setdefault("schemas", {})[_SPEC_SNOWFLAKE_OR_INT] = dict(SNOWFLAKE_OR_INT)
    return count


def _relax_gateway_definitions(definitions: dict[str, Any]) -> list[str]:
    """Apply the Snowflake and *Flags relaxations in place; return the relaxed names."""
    relaxed = []
    for name, schema in definitions.items():
        if name == "Snowflake":
            definitions[name] = dict(SNOWFLAKE_OR_INT)
            relaxed.append(name)
        elif "Flags" in name and isinstance(schema, dict) and _is_numeric_enum(schema):
            definitions[name] = dict(FLAGS_RELAXED)
            relaxed.append(name)
    return relaxed


def _is_numeric_enum(schema: Mapping[str, Any]) -> bool:
    values = schema.get("enum", [schema["const"]] if "const" in schema else None)
    return bool(values) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    )


# --------------------------------------------------------------------------- gateway index


@dataclass
class _GatewaySchemas:
    """One union document (Receive or Send) and a validator per member."""

    flavour: str  # "strict" or "lenient"
    file: Path
    uri: str
    registry: Registry[Any]
    members: dict[tuple[int, str | None], str]  # (op, t) -> "#/definitions/..." ref
    relaxed: list[str]
    validators: dict[str, Draft7Validator] = field(default_factory=dict)

    def validator(self, ref: str) -> Draft7Validator:
        validator = self.validators.get(ref)
        if validator is None:
            validator = Draft7Validator({"$ref": self.uri + ref}, registry=self.registry)
            self.validators[ref] = validator
        return validator


def _resolve_local(definitions: Mapping[str, Any], ref: str) -> dict[str, Any]:
    prefix = "#/definitions/"
    if not ref.startswith(prefix):
        raise ValueError(f"unsupported $ref {ref!r}")
    return dict(definitions[unquote(ref[len(prefix) :])])


def _union_members(definitions: Mapping[str, Any], root_ref: str) -> list[str]:
    """Expand a union of refs (following single-$ref aliases and nested unions)."""
    schema = _resolve_local(definitions, root_ref)
    while set(schema) <= {"$ref", "description"} and "$ref" in schema:
        schema = _resolve_local(definitions, schema["$ref"])
    if "anyOf" not in schema or "properties" in schema:
        return [root_ref]
    out: list[str] = []
    for member in schema["anyOf"]:
        if "$ref" not in member:
            raise ValueError(f"inline union member under {root_ref}")
        out.extend(_union_members(definitions, member["$ref"]))
    return out


def _member_keys(definitions: Mapping[str, Any], ref: str) -> list[tuple[int, str | None]]:
    schema = _resolve_local(definitions, ref)
    while "$ref" in schema and "properties" not in schema:
        schema = _resolve_local(definitions, schema["$ref"])
    props = schema["properties"]
    op = props["op"]["const"]
    t_schema = props.get("t", {})
    if "const" in t_schema:
        return [(op, t_schema["const"])]
    if "enum" in t_schema:
        return [(op, t) for t in t_schema["enum"]]
    return [(op, None)]


def _load_gateway(directory: Path, union: str) -> _GatewaySchemas:
    problems = []
    for flavour in ("strict", "lenient"):
        file = directory / f"{flavour}_{union}.json"
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
            definitions = document["definitions"]
            root = document["$ref"]
            relaxed = _relax_gateway_definitions(definitions)
            members: dict[tuple[int, str | None], str] = {}
            for ref in _union_members(definitions, root):
                for key in _member_keys(definitions, ref):
                    if key in members:
                        raise ValueError(f"two union members for op/t {key}")
                    members[key] = ref
            uri = f"urn:discord-gateway:{flavour}_{union}"
            resource = DRAFT7.create_resource(document)
            registry: Registry[Any] = Registry().with_resource(uri, resource).crawl()
            return _GatewaySchemas(flavour, file, uri, registry, members, relaxed)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problems.append(f"{file}: {type(exc).__name__}: {exc}")
    raise ConformanceUnavailable(f"no usable gateway {union} schema: " + "; ".join(problems))


# --------------------------------------------------------------------------- the checker


class Conformance:
    """Validates REST traffic and gateway payloads against Discord's references."""

    _cache: dict[Path, Conformance] = {}
    _cache_lock = threading.Lock()

    def __init__(
        self,
        shared_dir: Path,
        spec: dict[str, Any],
        receive: _GatewaySchemas,
        send: _GatewaySchemas,
    ) -> None:
        self.shared_dir = shared_dir
        self.spec = spec
        self.receive = receive
        self.send = send
        # The spec itself is not re-validated (openapi-spec-validator takes seconds on it).
        self._openapi = OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))
        spec_path = self._openapi.spec
        self._request_validator = V31RequestValidator(spec_path)
        self._params_validator = V31RequestParametersValidator(spec_path)
        self._security_validator = V31RequestSecurityValidator(spec_path)
        self._body_validator = V31RequestBodyValidator(spec_path)
        self._response_validator = V31ResponseValidator(spec_path)
        self._routes = _compile_routes(spec["paths"])
        self._route_cache: dict[str, _Route | None] = {}
        self._spec_registry: Registry[Any] = Registry().with_resource(
            _SPEC_URI, DRAFT202012.create_resource(spec)
        )
        self._multipart_validators: dict[tuple[str, str], OAS31Validator | None] = {}
        # How much was validated, for the test suite's summary.
        self.counts: collections.Counter[str] = collections.Counter()

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, shared_dir: Path | None = None) -> Conformance:
        """Load (once per directory and process) or raise :class:`ConformanceUnavailable`."""
        base = Path(shared_dir) if shared_dir is not None else default_shared_dir()
        key = base.resolve()
        with cls._cache_lock:
            cached = cls._cache.get(key)
            if cached is not None:
                return cached
            instance = cls._load_uncached(base)
            cls._cache[key] = instance
            return instance

    @classmethod
    def _load_uncached(cls, base: Path) -> Conformance:
        hint = f"set {SHARED_DIR_ENV} or put the shared references at ../shared"
        if not base.is_dir():
            raise ConformanceUnavailable(f"shared references not found: {base} ({hint})")
        spec_file = base / "discord-api-spec" / "openapi.json"
        try:
            spec = json.loads(spec_file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConformanceUnavailable(
                f"Discord OpenAPI spec not readable: {spec_file} ({exc.strerror}; {hint})"
            ) from exc
        except ValueError as exc:
            raise ConformanceUnavailable(f"Discord OpenAPI spec is not JSON: {exc}") from exc
        if not isinstance(spec, dict) or "paths" not in spec:
            raise ConformanceUnavailable(f"{spec_file} does not look like an OpenAPI document")
        _relax_spec_snowflakes(spec)
        gateway_dir = base / "discord-gateway-schemas"
        if not gateway_dir.is_dir():
            raise ConformanceUnavailable(f"gateway schemas not found: {gateway_dir} ({hint})")
        receive = _load_gateway(gateway_dir, "Receive")
        send = _load_gateway(gateway_dir, "Send")
        return cls(base, spec, receive, send)

    # ------------------------------------------------------------------ REST

    def route_for(self, path: str) -> str | None:
        """The spec's path template for ``/api/v10/...``, or None."""
        route = self._route(path)
        return route.template if route else None

    def _route(self, path: str) -> _Route | None:
        if path in self._route_cache:
            return self._route_cache[path]
        found = None
        if path.startswith(API_PREFIX + "/"):
            rest = path[len(API_PREFIX) :]
            found = next((r for r in self._routes if r.regex.fullmatch(rest)), None)
        if len(self._route_cache) < 10_000:
            self._route_cache[path] = found
        return found

    def _label(self, method: str, path: str, route: _Route | None) -> str:
        label = f"{method.upper()} {path}"
        return f"{label} [{route.template}]" if route else label

    def _route_errors(self, method: str, path: str) -> tuple[_Route | None, list[str]]:
        route = self._route(path)
        label = self._label(method, path, route)
        if not path.startswith(API_PREFIX + "/"):
            return route, [f"{label}: path is not under {API_PREFIX}/"]
        if route is None:
            return route, [f"{label}: path not in Discord's OpenAPI spec"]
        if method.upper() not in route.methods:
            allowed = ", ".join(sorted(route.methods))
            return route, [f"{label}: method not in spec for this route (spec has {allowed})"]
        return route, []

    def check_request(
        self,
        method: str,
        path: str,
        query: str,
        headers: Mapping[str, str],
        body: bytes,
    ) -> list[str]:
        """Validate one REST request; [] when it conforms."""
        self.counts["REST requests"] += 1
        route, errors = self._route_errors(method, path)
        if errors or route is None:
            return errors
        label = self._label(method, path, route)
        request = _build_request(method, path, query, headers, body)
        if request.content_type.startswith("multipart/form-data"):
            found = self._iter_openapi(self._security_validator.iter_errors(request))
            found += self._iter_openapi(self._params_validator.iter_errors(request))
            found += self._multipart_errors(route, method, request)
        else:
            found = self._iter_openapi(self._request_validator.iter_errors(request))
            if any(e.startswith("security:") for e in found):
                # openapi-core stops after a security error; still check the rest.
                found += self._iter_openapi(self._params_validator.iter_errors(request))
                found += self._iter_openapi(self._body_validator.iter_errors(request))
        return [f"{label}: {e}" for e in found]

    def check_response(
        self,
        method: str,
        path: str,
        query: str,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        request_headers: Mapping[str, str] | None = None,
        request_body: bytes = b"",
    ) -> list[str]:
        """Validate one REST response (status, headers, body) for the request that caused it."""
        self.counts["REST responses"] += 1
        route, errors = self._route_errors(method, path)
        if errors or route is None:
            return errors
        label = self._label(method, path, route)
        request = _build_request(method, path, query, request_headers, request_body)
        response = _OAResponse(
            status_code=status,
            content_type=_header(headers, "Content-Type").lower(),
            headers=Headers(list((headers or {}).items())),
            data=body or None,
        )
        found = self._iter_openapi(self._response_validator.iter_errors(request, response))
        return [f"{label} -> {status}: {e}" for e in found]

    def _iter_openapi(self, errors: Iterator[Exception]) -> list[str]:
        out: list[str] = []
        for exc in errors:
            out.extend(self._describe_openapi_error(exc))
        return out

    def _describe_openapi_error(self, exc: Exception) -> list[str]:
        name = type(exc).__name__
        if isinstance(exc, ParameterValidationError):
            prefix = f"{exc.location} parameter {exc.name!r}: "
            if exc.__cause__ is None:
                return [prefix + _shorten(str(exc))]
            return _cause_details(exc, prefix)
        if isinstance(exc, HeaderValidationError):
            prefix = f"response header {exc.name!r}: "
            if exc.__cause__ is None:
                return [prefix + _shorten(str(exc))]
            return _cause_details(exc, prefix)
        if name.startswith(("InvalidSecurity", "Security")):
            return [f"security: {_shorten(str(exc.__cause__ or exc))}"]
        if isinstance(exc, ResponseFinderError):
            return [f"status not documented for this operation ({_shorten(str(exc))})"]
        if isinstance(exc, PathError):
            return [f"routing: {_shorten(str(exc))}"]
        if name in ("InvalidRequestBody", "InvalidData"):
            where = "body" if name == "InvalidRequestBody" else "response body"
            return _cause_details(exc, f"{where} ")
        if name in ("MediaTypeNotFound",) or "MediaType" in type(exc.__cause__).__name__:
            return [f"content type: {_shorten(str(exc.__cause__ or exc))}"]
        detail = str(exc.__cause__) if exc.__cause__ is not None else str(exc)
        return [f"{name}: {_shorten(detail)}"]

    def _multipart_errors(self, route: _Route, method: str, request: _OARequest) -> list[str]:
        validator = self._multipart_validator(route, method)
        if validator is None:
            return ["content type: multipart/form-data is not accepted by this operation"]
        try:
            document = self._multipart_document(request.content_type, request.body or b"")
        except ValueError as exc:
            return [f"multipart body: {exc}"]
        return _schema_errors(validator.iter_errors(document), "body (payload_json) ")

    def _multipart_validator(self, route: _Route, method: str) -> OAS31Validator | None:
        key = (route.template, method.lower())
        if key not in self._multipart_validators:
            content = (
                self.spec["paths"][route.template][method.lower()]
                .get("requestBody", {})
                .get("content", {})
            )
            validator = None
            if "multipart/form-data" in content:
                escaped = route.template.replace("~", "~0").replace("/", "~1")
                pointer = (
                    f"#/paths/{escaped}/{method.lower()}/requestBody/content/"
                    "multipart~1form-data/schema"
                )
                validator = OAS31Validator(
                    {"$ref": _SPEC_URI + pointer},
                    registry=self._spec_registry,
                    format_checker=oas31_format_checker,
                )
            self._multipart_validators[key] = validator
        return self._multipart_validators[key]

    @staticmethod
    def _multipart_document(content_type: str, body: bytes) -> dict[str, Any]:
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message: Message = BytesParser(policy=HTTP).parsebytes(head + body)
        if not message.is_multipart():
            raise ValueError("could not parse multipart/form-data body")
        document: dict[str, Any] = {}
        placeholders: dict[str, str] = {}
        for part in message.iter_parts():  # type: ignore[attr-defined]
            name = part.get_param("name", header="content-disposition")
            if not name:
                raise ValueError("a part has no name in Content-Disposition")
            if name == "payload_json":
                raw = part.get_payload(decode=True) or b""
                try:
                    payload = json.loads(raw)
                except ValueError as exc:
                    raise ValueError(f"payload_json is not JSON: {exc}") from exc
                if not isinstance(payload, dict):
                    raise ValueError("payload_json is not a JSON object")
                document.update(payload)
            else:
                placeholders[str(name)] = "<binary>"
        document.update(placeholders)
        return document

    # ------------------------------------------------------------------ gateway

    def check_gateway(
        self, direction: Literal["to_client", "from_client"], payload: dict[str, Any]
    ) -> list[str]:
        """Validate a gateway payload sent to the client (Receive) or by it (Send)."""
        self.counts[f"gateway payloads {direction.replace('_', ' ')}"] += 1
        if direction == "to_client":
            schemas, union = self.receive, "Receive"
        elif direction == "from_client":
            schemas, union = self.send, "Send"
        else:
            return [f"gateway: unknown direction {direction!r}"]
        if not isinstance(payload, dict):
            return [f"gateway {direction}: payload is {type(payload).__name__}, not an object"]
        op = payload.get("op")
        t = payload.get("t") if direction == "to_client" else None
        label = f"gateway {direction} op={op!r}" + (f" t={t}" if t is not None else "")
        if not isinstance(op, int) or isinstance(op, bool):
            return [f"{label}: 'op' must be an integer"]
        ref = schemas.members.get((op, t))
        if ref is None:
            known = sorted({k[0] for k in schemas.members})
            return [
                f"{label}: no {union} payload with this op/t in discord-api-types "
                f"(known ops: {known})"
            ]
        member = ref.rsplit("/", 1)[-1]
        errors = schemas.validator(ref).iter_errors(payload)
        return [f"{label} [{member}]: {e}" for e in _schema_errors(errors)]

"""Discord's OpenAPI spec: routes, requests as openapi-core wants them, snowflake relaxation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from sandbox.conformance.references import (
    _HTTP_METHODS,
    _SPEC_SNOWFLAKE_OR_INT,
    _SPEC_SNOWFLAKE_REF,
    API_HOST,
    SNOWFLAKE_OR_INT,
)


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

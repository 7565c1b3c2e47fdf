"""The gateway schemas: relaxed bit flags and snowflakes, union members by op and t."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

from sandbox.conformance.references import FLAGS_RELAXED, SNOWFLAKE_OR_INT, ConformanceUnavailable


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

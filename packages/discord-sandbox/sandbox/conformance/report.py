"""Schema and openapi-core errors as short, readable lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jsonschema.exceptions import ValidationError as SchemaValidationError
from jsonschema.exceptions import relevance

from sandbox.conformance.references import _MAX_ERRORS, _MAX_MESSAGE


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

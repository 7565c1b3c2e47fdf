"""``Conformance``: validates REST traffic and gateway payloads against the references."""

from __future__ import annotations

import collections
import json
import threading
from collections.abc import Iterator, Mapping
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any, Literal

from openapi_core import Config, OpenAPI
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
from referencing.jsonschema import DRAFT202012
from werkzeug.datastructures import Headers

from sandbox.conformance.gateway import _GatewaySchemas, _load_gateway
from sandbox.conformance.openapi import (
    _build_request,
    _compile_routes,
    _header,
    _OARequest,
    _OAResponse,
    _relax_spec_snowflakes,
    _Route,
)
from sandbox.conformance.references import (
    _SPEC_URI,
    API_PREFIX,
    SHARED_DIR_ENV,
    ConformanceUnavailable,
    default_shared_dir,
)
from sandbox.conformance.report import _cause_details, _schema_errors, _shorten


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

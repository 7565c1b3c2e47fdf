"""Discord's payload limits, reported the way Discord reports them (400, code 50035)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sandbox import fields as known


class ApiError(Exception):
    """A Discord JSON error: ``{"message": ..., "code": ..., "errors"?: ...}``."""

    def __init__(
        self, status: int, code: int, message: str, errors: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            out["errors"] = self.errors
        return out


class FormErrors:
    """Collects field errors keyed by a path like ``("components", 0, "custom_id")``."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_len(self, path: tuple[str | int, ...], value: Any, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def length_between(self, path: tuple[str | int, ...], value: Any, low: int, high: int) -> None:
        if not isinstance(value, str) or not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def max_items(self, path: tuple[str | int, ...], value: Any, limit: int) -> None:
        if isinstance(value, list) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    @classmethod
    def single(cls, path: tuple[str | int, ...], code: str, message: str) -> ApiError:
        """The 50035 error for one field, to ``raise``."""
        errors = cls()
        errors.add(path, code, message)
        return ApiError(400, 50035, "Invalid Form Body", errors.tree)

    def raise_if_any(self) -> None:
        if self.tree:
            raise ApiError(400, 50035, "Invalid Form Body", self.tree)


SUPPRESS_EMBEDS, EPHEMERAL, LOADING = 1 << 2, 1 << 6, 1 << 7
SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, IS_COMPONENTS_V2 = 1 << 12, 1 << 13, 1 << 15
# Flags a bot may set: on a channel message, and on an interaction response or followup.
CHANNEL_MESSAGE_FLAGS = (
    SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | IS_VOICE_MESSAGE | IS_COMPONENTS_V2
)
INTERACTION_MESSAGE_FLAGS = CHANNEL_MESSAGE_FLAGS | EPHEMERAL
DEFER_FIELDS = frozenset({"flags"})


def validate_known_fields(
    path: tuple[str | int, ...], body: Any, allowed: Collection[str], errs: FormErrors | None = None
) -> None:
    """Refuse body fields the route does not know (a typo must not pass silently)."""
    own = errs is None
    errors = FormErrors() if errs is None else errs
    if isinstance(body, dict):
        for key in sorted(set(body) - set(allowed)):
            errors.add((*path, key), "UNKNOWN_FIELD", f"Unknown field {key!r} for this route.")
    if own:
        errors.raise_if_any()


def validate_allowed_mentions(errs: FormErrors, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        errs.add(("allowed_mentions",), "MODEL_TYPE_CONVERT", "Only dictionaries may be used.")
        return
    validate_known_fields(("allowed_mentions",), value, known.ALLOWED_MENTIONS, errs)
    parse = value.get("parse") or []
    for kind in ("users", "roles"):
        if kind in parse and value.get(kind):
            errs.add(
                ("allowed_mentions",),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids] are mutually exclusive.',
            )
        errs.max_items(("allowed_mentions", kind), value.get(kind), 100)


def validate_flags(errs: FormErrors, flags: int, settable: int) -> None:
    if flags & ~settable:
        errs.add(("flags",), "MESSAGE_FLAGS_INVALID", f"Flags {flags & ~settable} cannot be set.")


def validate_embeds(errs: FormErrors, embeds: Any) -> None:
    if embeds is None:
        return
    errs.max_items(("embeds",), embeds, 10)
    total = 0
    for i, e in enumerate(embeds or []):
        p: tuple[str | int, ...] = ("embeds", i)
        for key, limit in (("title", 256), ("description", 4096)):
            errs.max_len((*p, key), e.get(key), limit)
            total += len(e.get(key) or "")
        fields = e.get("fields") or []
        errs.max_items((*p, "fields"), fields, 25)
        for j, f in enumerate(fields):
            errs.max_len((*p, "fields", j, "name"), f.get("name"), 256)
            errs.max_len((*p, "fields", j, "value"), f.get("value"), 1024)
            total += len(f.get("name") or "") + len(f.get("value") or "")
        footer = e.get("footer") or {}
        errs.max_len((*p, "footer", "text"), footer.get("text"), 2048)
        author = e.get("author") or {}
        errs.max_len((*p, "author", "name"), author.get("name"), 256)
        total += len(footer.get("text") or "") + len(author.get("name") or "")
    if total > 6000:
        errs.add(("embeds",), "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")


def _validate_select(errs: FormErrors, p: tuple[str | int, ...], c: dict[str, Any]) -> None:
    errs.max_len((*p, "placeholder"), c.get("placeholder"), 150)
    min_v, max_v = c.get("min_values", 1), c.get("max_values", 1)
    if not 0 <= min_v <= 25:
        errs.add((*p, "min_values"), "NUMBER_TYPE_MAX", "int value should be <= 25 and >= 0.")
    if not 1 <= max_v <= 25:
        errs.add((*p, "max_values"), "NUMBER_TYPE_MAX", "int value should be <= 25 and >= 1.")
    if isinstance(min_v, int) and isinstance(max_v, int) and min_v > max_v:
        errs.add(
            (*p, "min_values"),
            "SELECT_COMPONENT_MIN_VALUES_TOO_LARGE",
            "min_values must be less than or equal to max_values",
        )
    if c.get("type") == 3:
        options = c.get("options") or []
        if not 1 <= len(options) <= 25:
            errs.add((*p, "options"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.")
        if max_v > len(options) and options:
            errs.add(
                (*p, "max_values"),
                "SELECT_COMPONENT_MAX_VALUES_TOO_LARGE",
                "max_values must be less than or equal to the number of options",
            )
        seen: set[str] = set()
        for k, o in enumerate(options):
            errs.length_between((*p, "options", k, "label"), o.get("label"), 1, 100)
            errs.length_between((*p, "options", k, "value"), o.get("value"), 1, 100)
            errs.max_len((*p, "options", k, "description"), o.get("description"), 100)
            if o.get("value") in seen:
                errs.add(
                    (*p, "options", k, "value"),
                    "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                    "Select component option values must be unique",
                )
            seen.add(o.get("value"))


def validate_components(errs: FormErrors, components: Any, *, v2: bool = False) -> None:
    if components is None:
        return
    if not v2:
        errs.max_items(("components",), components, 5)
    custom_ids: set[str] = set()
    for i, row in enumerate(components or []):
        p: tuple[str | int, ...] = ("components", i)
        if row.get("type") != 1:
            if not v2:
                errs.add((*p, "type"), "UNION_TYPE_CHOICES", 'Value of field "type" must be 1.')
            continue
        children = row.get("components") or []
        if not 1 <= len(children) <= 5:
            errs.add(
                (*p, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
            )
        selects = [c for c in children if c.get("type") in (3, 5, 6, 7, 8)]
        if selects and len(children) > 1:
            errs.add(
                (*p, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        for j, c in enumerate(children):
            cp = (*p, "components", j)
            cid = c.get("custom_id")
            if c.get("type") == 2:
                errs.max_len((*cp, "label"), c.get("label"), 80)
                style = c.get("style")
                if style == 5:
                    if not c.get("url"):
                        errs.add((*cp, "url"), "BASE_TYPE_REQUIRED", "This field is required")
                    if cid is not None:
                        errs.add(
                            (*cp, "custom_id"),
                            "BUTTON_COMPONENT_LINK_HAS_CUSTOM_ID",
                            "A link button cannot have a custom_id",
                        )
                elif style != 6 and cid is None:
                    errs.add((*cp, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required")
            else:
                _validate_select(errs, cp, c)
                if cid is None:
                    errs.add((*cp, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required")
            if cid is not None:
                errs.length_between((*cp, "custom_id"), cid, 1, 100)
                if cid in custom_ids:
                    errs.add(
                        (*cp, "custom_id"),
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        "Component custom id cannot be duplicated",
                    )
                custom_ids.add(cid)


def validate_message(
    payload: dict[str, Any],
    *,
    has_files: bool,
    creating: bool,
    fields: Collection[str],
    settable_flags: int = CHANNEL_MESSAGE_FLAGS,
) -> None:
    errs = FormErrors()
    validate_known_fields((), payload, fields, errs)
    content = payload.get("content")
    if content is not None and not isinstance(content, str):
        errs.add(("content",), "BASE_TYPE_STRING", "Could not interpret value as string.")
    errs.max_len(("content",), content, 2000)
    validate_embeds(errs, payload.get("embeds"))
    flags = int(payload.get("flags") or 0)
    validate_flags(errs, flags, settable_flags)
    v2 = bool(flags & IS_COMPONENTS_V2)
    if v2:
        _refuse_legacy_fields(errs, payload)
    validate_components(errs, payload.get("components"), v2=v2)
    validate_allowed_mentions(errs, payload.get("allowed_mentions"))
    nonce = payload.get("nonce")
    if isinstance(nonce, str):
        errs.max_len(("nonce",), nonce, 25)
    errs.raise_if_any()
    if creating and not (
        content
        or payload.get("embeds")
        or payload.get("components")
        or has_files
        or payload.get("sticker_ids")
        or payload.get("poll")
    ):
        raise ApiError(400, 50006, "Cannot send an empty message")


def _refuse_legacy_fields(errs: FormErrors, payload: dict[str, Any]) -> None:
    """With IS_COMPONENTS_V2 the components are the message: no content, embeds, poll."""
    for key in ("content", "embeds", "poll", "sticker_ids"):
        if payload.get(key):
            errs.add(
                (key,),
                "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'content', 'embeds', 'sticker_ids' and 'poll' fields cannot be used "
                "when the IS_COMPONENTS_V2 flag is set.",
            )


def validate_modal(data: dict[str, Any]) -> None:
    errs = FormErrors()
    validate_known_fields(("data",), data, known.CALLBACK_MODAL, errs)
    errs.length_between(("data", "title"), data.get("title"), 1, 45)
    errs.length_between(("data", "custom_id"), data.get("custom_id"), 1, 100)
    comps = data.get("components") or []
    if not 1 <= len(comps) <= 5:
        errs.add(
            ("data", "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
    for i, comp in enumerate(comps):
        p: tuple[str | int, ...] = ("data", "components", i)
        if comp.get("type") == 1:
            inner = comp.get("components") or []
            if len(inner) != 1:
                errs.add(
                    (*p, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 1 in length."
                )
            items: list[tuple[tuple[str | int, ...], Any]] = [
                (("components", 0), c) for c in inner[:1]
            ]
        elif comp.get("type") == 18:
            errs.length_between((*p, "label"), comp.get("label"), 1, 45)
            items = [(("component",), comp.get("component") or {})]
        else:
            items = []
        for sub, c in items:
            cp = (*p, *sub)
            errs.length_between((*cp, "custom_id"), c.get("custom_id"), 1, 100)
            if c.get("type") == 4:
                if comp.get("type") == 1:
                    errs.length_between((*cp, "label"), c.get("label"), 1, 45)
                if c.get("max_length") is not None and not 1 <= c["max_length"] <= 4000:
                    errs.add(
                        (*cp, "max_length"),
                        "NUMBER_TYPE_MAX",
                        "int value should be <= 4000 and >= 1.",
                    )
                errs.max_len((*cp, "value"), c.get("value"), 4000)
                errs.max_len((*cp, "placeholder"), c.get("placeholder"), 100)
            elif c.get("type") in (3, 5, 6, 7, 8):
                _validate_select(errs, cp, c)
    errs.raise_if_any()


def validate_choices(data: dict[str, Any]) -> None:
    errs = FormErrors()
    validate_known_fields(("data",), data, known.CALLBACK_CHOICES, errs)
    choices = data.get("choices")
    if not isinstance(choices, list):
        errs.add(("data", "choices"), "BASE_TYPE_REQUIRED", "This field is required")
    else:
        errs.max_items(("data", "choices"), choices, 25)
        for i, ch in enumerate(choices):
            errs.length_between(("data", "choices", i, "name"), ch.get("name"), 1, 100)
            if isinstance(ch.get("value"), str):
                errs.max_len(("data", "choices", i, "value"), ch.get("value"), 100)
    errs.raise_if_any()

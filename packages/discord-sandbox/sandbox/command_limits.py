"""Discord's limits on application commands (bulk overwrite), reported as 50035."""

from __future__ import annotations

import re
from typing import Any

from sandbox.limits import FormErrors

_NAME_RE = re.compile(r"^[-_'\w]{1,32}$", re.UNICODE)


def _validate_options(errs: FormErrors, p: tuple[str | int, ...], options: Any) -> None:
    errs.max_items(p, options, 25)
    required_done = False
    for i, opt in enumerate(options or []):
        op = (*p, i)
        name = opt.get("name")
        if not isinstance(name, str) or not _NAME_RE.match(name) or name != name.lower():
            errs.add((*op, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        errs.length_between((*op, "description"), opt.get("description"), 1, 100)
        choices = opt.get("choices")
        errs.max_items((*op, "choices"), choices, 25)
        for j, ch in enumerate(choices or []):
            errs.length_between((*op, "choices", j, "name"), ch.get("name"), 1, 100)
        if opt.get("type") in (1, 2):
            _validate_options(errs, (*op, "options"), opt.get("options"))
        else:
            if opt.get("required"):
                if required_done:
                    errs.add(
                        (*op, "required"),
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
            else:
                required_done = True
            if opt.get("autocomplete") and choices:
                errs.add(
                    (*op, "autocomplete"),
                    "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID",
                    "Autocomplete cannot be used with choices",
                )


def validate_commands(commands: Any) -> None:
    errs = FormErrors()
    if not isinstance(commands, list):
        errs.add((), "BASE_TYPE_ARRAY", "Must be an array")
        errs.raise_if_any()
    seen: set[tuple[int, str]] = set()
    for i, cmd in enumerate(commands):
        p: tuple[str | int, ...] = (i,)
        ctype = cmd.get("type", 1)
        name = cmd.get("name")
        if ctype == 1:
            if not isinstance(name, str) or not _NAME_RE.match(name) or name != name.lower():
                errs.add(
                    (*p, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
                )
            errs.length_between((*p, "description"), cmd.get("description"), 1, 100)
            _validate_options(errs, (*p, "options"), cmd.get("options"))
        else:
            errs.length_between((*p, "name"), name, 1, 32)
        key = (ctype, str(name))
        if key in seen:
            errs.add(
                (*p, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique: {name}",
            )
        seen.add(key)
    errs.raise_if_any()

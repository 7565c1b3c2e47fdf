"""Components as a member uses them: which one a click or select means, its ``data``, and a
filled-in modal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.channels import DM, Channel
from sandbox.control.errors import SandboxUsageError
from sandbox.control.resolved import Resolved
from sandbox.members import Member, Role, User, is_member_like
from sandbox.messages import Message
from sandbox.permissions import VIEW_CHANNEL

TEXT_INPUT, LABEL, ACTION_ROW, STRING_SELECT = 4, 18, 1, 3


def actor_for_message(member: Member, message: Message) -> Member | None:
    if message.visible_to is not None and message.visible_to != member.id:
        raise SandboxUsageError(f"{member} cannot see ephemeral message {message.id}")
    if message.deleted:
        raise SandboxUsageError(f"message {message.id} was deleted")
    channel = message.channel
    if channel.type == DM:
        if member.user not in channel.recipients:
            raise SandboxUsageError(f"{member} cannot see DM message {message.id}")
        return None
    actor = channel.guild.members.get(member.id) if channel.guild else None
    if actor is None or not actor.permissions_in(channel) & VIEW_CHANNEL:
        raise SandboxUsageError(f"{member} cannot see {channel}")
    return actor


def pick(components: list[dict[str, Any]], which: str | int, kind: str) -> dict[str, Any]:
    if isinstance(which, int):
        if not 0 <= which < len(components):
            raise SandboxUsageError(f"no {kind} #{which} (0-based); there are {len(components)}")
        return components[which]
    for key in ("custom_id", "label", "placeholder"):
        for c in components:
            if c.get(key) == which:
                return c
    for c in components:
        if str(c.get("label", "")).casefold() == which.casefold():
            return c
    have = [c.get("label") or c.get("placeholder") or c.get("custom_id") for c in components]
    raise SandboxUsageError(f"no {kind} matching {which!r}; have {have}")


def select_data(
    comp: dict[str, Any], values: list[Any], channel: Channel, actor: Member | None
) -> tuple[dict[str, Any], str]:
    min_v, max_v = comp.get("min_values", 1), comp.get("max_values", 1)
    if not min_v <= len(values) <= max_v:
        raise SandboxUsageError(
            f"select {comp['custom_id']!r} takes {min_v}..{max_v} values, got {len(values)}"
        )
    data: dict[str, Any] = {"custom_id": comp["custom_id"], "component_type": comp["type"]}
    if comp["type"] == STRING_SELECT:
        options = comp.get("options") or []
        out = []
        for v in values:
            match = next((o for o in options if o["value"] == v), None) or next(
                (o for o in options if o["label"] == v), None
            )
            if match is None:
                raise SandboxUsageError(f"{v!r} is not an option of {comp['custom_id']!r}")
            out.append(match["value"])
        data["values"] = out
    else:
        resolved = Resolved()
        out = []
        for v in values:
            if isinstance(v, Role):
                out.append(resolved.add_role(v))
            elif isinstance(v, Channel):
                out.append(resolved.add_channel(v, actor))
            elif is_member_like(v) or isinstance(v, User):
                out.append(resolved.add_user(v, channel))
            else:
                raise SandboxUsageError(f"entity select value {v!r} must be a Member/Role/Channel")
        data["values"] = out
        data["resolved"] = resolved.data
    return data, f"select {comp['custom_id']!r}={data['values']}"


def modal_components(modal: dict[str, Any], values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The submitted components of ``modal`` filled in with ``values`` (keys: text input
    custom_ids or labels; values: strings, or lists for selects inside labels)."""
    remaining = dict(values)
    components: list[dict[str, Any]] = []

    def take(c: dict[str, Any], label: str | None) -> Any:
        for key in (c.get("custom_id"), label, c.get("label")):
            if key is not None and key in remaining:
                return remaining.pop(key)
        return None

    for comp in modal.get("components") or []:
        if comp.get("type") == ACTION_ROW:
            inner = comp["components"][0]
            components.append({"type": 1, "components": [_modal_value(inner, take(inner, None))]})
        elif comp.get("type") == LABEL:
            inner = comp["component"]
            item = {"type": 18, "component": _modal_value(inner, take(inner, comp.get("label")))}
            if "id" in comp:
                item["id"] = comp["id"]
            components.append(item)
    if remaining:
        raise SandboxUsageError(f"modal {modal.get('title')!r} has no field(s) {list(remaining)}")
    return components


def _modal_value(c: dict[str, Any], value: Any) -> dict[str, Any]:
    if c.get("type") == TEXT_INPUT:
        text = "" if value is None else str(value)
        if c.get("required", True) and not text:
            raise SandboxUsageError(f"modal field {c.get('custom_id')!r} is required")
        if text and c.get("min_length") and len(text) < c["min_length"]:
            raise SandboxUsageError(f"modal field {c['custom_id']!r} shorter than min_length")
        if c.get("max_length") and len(text) > c["max_length"]:
            raise SandboxUsageError(f"modal field {c['custom_id']!r} longer than max_length")
        return {"type": 4, "custom_id": c["custom_id"], "value": text}
    vals = list(value or [])
    return {"type": c["type"], "custom_id": c["custom_id"], "values": [str(v) for v in vals]}

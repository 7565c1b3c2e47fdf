"""Redaction for the privacy export: the member's own data, and nothing about anyone else.

Safe by default, so a table added tomorrow cannot leak: in a stored row, a column that holds a
member id says "you" or "the other member"; when the row names another member, every free-text
column is withheld unless its table says the text belongs to a column that names the exporter
(an introduction note belongs to its requester). Finally every string of the export is
scrubbed of other members' ids, mentions and display names, wherever a feature put them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

YOU = "you"
OTHER_MEMBER = "the other member"
WITHHELD = "(withheld: written by or about the other member)"
_MENTION = re.compile(r"<@!?(\d+)>")
_MIN_NAME = 3  # shorter names would blank ordinary words

README = {
    "what_this_is": (
        "Everything this bot stores about you, exactly as stored: one list of records per "
        "table (described in 'tables'), per server id, and 'not_tied_to_a_server' for what is "
        "kept for you across servers."
    ),
    "you": f'"{YOU}" stands where a record names you.',
    "the_other_member": (
        f'"{OTHER_MEMBER}" stands where a record names someone else (the other side of an '
        "introduction, a block, a match, a group); they are never identified."
    ),
    "withheld": f'"{WITHHELD}" replaces text another member wrote or that describes them.',
    "names_of_ids": (
        "Per server, the name of each tag and event a record points at by id: a record's "
        '"tag_id" 12 is the tag names_of_ids[server]["tag_id"]["12"].'
    ),
    "anti_abuse_record": (
        "If you delete your data, blocks between you and others are kept only as keyed hashes "
        "of both ids, so a block still holds if you come back; they cannot be turned back "
        "into ids and are not part of this export."
    ),
}


def member_value(column: str, user_id: int) -> object:
    """How ``column`` stores a member's id (the outbox's recipient lane is "user:ID")."""
    return f"user:{user_id}" if column.lower() == "recipient" else user_id


def member_in(column: str, value: object) -> int | None:
    """The member id a stored value names, or None (empty, or a channel lane)."""
    if value is None:
        return None
    if column.lower() == "recipient":
        kind, _, number = str(value).partition(":")
        return int(number) if kind == "user" and number.isdigit() else None
    return int(value) if isinstance(value, int | str) and str(value).isdigit() else None


def redact_row(
    row: Mapping[str, Any],
    *,
    me: int,
    member_columns: Iterable[str],
    text_columns: Iterable[str],
    owners: Mapping[str, str | tuple[str, ...]],
) -> tuple[dict[str, Any], set[int]]:
    """The row as the member may see it, and the other members it named.

    ``owners`` maps a text column to the member column(s) it belongs to: with several, the text
    is the member's only when every one of them that names somebody names them (a DM about
    someone else, or to someone else, is withheld)."""
    named = {column: member_in(column, row.get(column)) for column in member_columns}
    others = {user for user in named.values() if user is not None and user != me}
    texts = set(text_columns)
    shown: dict[str, Any] = {}
    for column, value in row.items():
        if column in named:
            user = named[column]
            shown[column] = value if user is None else YOU if user == me else OTHER_MEMBER
        elif value is None:
            shown[column] = None
        elif column in owners and (owned := _owned_by(owners[column], named)):
            shown[column] = value if owned == {me} else WITHHELD
        elif others and column in texts:
            shown[column] = WITHHELD
        else:
            shown[column] = value
    return shown, others


def _owned_by(owner: str | tuple[str, ...], named: Mapping[str, int | None]) -> set[int]:
    columns = (owner,) if isinstance(owner, str) else owner
    return {user for c in columns if (user := named.get(c)) is not None}


def scrub(value: Any, *, me: int, others: Mapping[int, Sequence[str]]) -> Any:
    """``value`` with other members' ids, mentions and names replaced, at any depth."""
    if isinstance(value, dict):
        return {k: scrub(v, me=me, others=others) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, me=me, others=others) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and value in others:
        return OTHER_MEMBER
    if not isinstance(value, str):
        return value
    text = _MENTION.sub(lambda m: YOU if int(m.group(1)) == me else OTHER_MEMBER, value)
    for user_id, names in others.items():
        text = re.sub(rf"(?<!\d){user_id}(?!\d)", OTHER_MEMBER, text)
        for name in names:
            if len(name) >= _MIN_NAME:
                text = re.sub(re.escape(name), OTHER_MEMBER, text, flags=re.IGNORECASE)
    return text

"""Export redaction: safe by default, whatever a table holds."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.privacy import (
    OTHER_MEMBER,
    WITHHELD,
    YOU,
    member_in,
    member_value,
    redact_row,
    scrub,
)

ME, THEM = 880_000_000_000_000_101, 880_000_000_000_000_202


def test_member_columns_say_you_or_the_other_member() -> None:
    row = {"requester_id": THEM, "target_id": ME, "note": "hi there", "state": "pending"}
    shown, others = redact_row(
        row,
        me=ME,
        member_columns=("requester_id", "target_id"),
        text_columns=("note",),
        owners={"note": "requester_id"},
    )
    assert shown == {
        "requester_id": OTHER_MEMBER,
        "target_id": YOU,
        "note": WITHHELD,
        "state": "pending",
    }
    assert others == {THEM}


def test_text_in_a_row_naming_only_me_is_mine() -> None:
    row = {"user_id": ME, "about": "my words", "decided_by": None}
    shown, others = redact_row(
        row, me=ME, member_columns=("user_id", "decided_by"), text_columns=("about",), owners={}
    )
    assert shown == {"user_id": YOU, "about": "my words", "decided_by": None}
    assert others == set()


def test_an_undeclared_text_column_beside_another_member_is_withheld() -> None:
    """A new table that forgets to say whose text it holds leaks nothing."""
    row = {"mentor_id": ME, "mentee_id": THEM, "goals": "their goals", "status": "active"}
    shown, _ = redact_row(
        row, me=ME, member_columns=("mentor_id", "mentee_id"), text_columns=("goals",), owners={}
    )
    assert shown["goals"] == WITHHELD
    assert shown["status"] == "active"


def test_the_outbox_recipient_lane() -> None:
    assert member_value("recipient", ME) == f"user:{ME}"
    assert member_in("recipient", f"user:{ME}") == ME
    assert member_in("recipient", "channel:5") is None
    row = {"recipient": "channel:5", "subject_user_id": ME, "payload": "{}"}
    shown, _ = redact_row(
        row,
        me=ME,
        member_columns=("recipient", "subject_user_id"),
        text_columns=("payload",),
        owners={"payload": "subject_user_id"},
    )
    assert shown == {"recipient": "channel:5", "subject_user_id": YOU, "payload": "{}"}


def test_scrub_replaces_ids_mentions_and_names_anywhere() -> None:
    value = {
        "a": f"<@{THEM}> and <@!{ME}> met; key intro:1:{THEM}",
        "b": [THEM, 12, f"Bartholomew Quince says hi (bartholomew quince){THEM}0"],
    }
    scrubbed = scrub(value, me=ME, others={THEM: ["Bartholomew Quince"]})
    assert scrubbed["a"] == f"{OTHER_MEMBER} and {YOU} met; key intro:1:{OTHER_MEMBER}"
    assert scrubbed["b"][:2] == [OTHER_MEMBER, 12]
    assert scrubbed["b"][2] == f"{OTHER_MEMBER} says hi ({OTHER_MEMBER}){THEM}0"  # not an id


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=3, max_size=20)


@given(
    other=st.integers(10**16, 10**19),
    name=names,
    texts=st.lists(st.text(max_size=40), min_size=1, max_size=5),
    columns=st.lists(st.sampled_from(["user_id", "target_id", "created_by"]), min_size=1),
)
def test_nothing_of_the_other_member_survives(
    other: int, name: str, texts: list[str], columns: list[str]
) -> None:
    """Whatever a row holds and whichever member columns it has: the redacted, scrubbed row
    holds neither the other member's id nor their name nor their text."""
    if other == ME:
        return
    row: dict[str, object] = dict.fromkeys(columns, other)
    row |= {f"text_{i}": f"{t} {name} <@{other}> {other}" for i, t in enumerate(texts)}
    text_columns = [c for c in row if c.startswith("text_")]
    row["me"] = ME
    shown, others = redact_row(
        row, me=ME, member_columns=[*columns, "me"], text_columns=text_columns, owners={}
    )
    final = json.dumps(scrub(shown, me=ME, others={o: [name] for o in others}))
    assert str(other) not in final
    assert all(shown[c] == WITHHELD for c in text_columns)

"""The shipped icebreaker packs load, follow the posting rules, and a broken pack is refused."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.domain.text import clean_free_text, could_ping
from config.icebreaker_packs import (
    MAX_PROMPT_LENGTH,
    MIN_PROMPTS,
    available_icebreaker_packs,
    load_icebreaker_pack,
    prompt_key,
)

PACKS = ["general", "networking", "pt-clinicians", "pt-students"]
REMINDER = "(Please keep patient details out.)"
# A prompt opening with one of these invites a bare "yes" or "no".
_YES_NO_OPENING = re.compile(
    r"(do|does|did|have|has|had|is|are|was|were|can|could|would|will|should|shall|may)\b",
    re.IGNORECASE,
)
_MENTIONS_PATIENTS = re.compile(r"\b(patients?|clients?|cases?)\b", re.IGNORECASE)


def all_prompts() -> list[tuple[str, str]]:
    return [(name, prompt) for name in PACKS for prompt in load_icebreaker_pack(name).prompts]


def each_prompt() -> list[Any]:
    """One test case per prompt, named ``<pack>-<number>`` (the prompt is in the failure)."""
    return [
        pytest.param(name, prompt, id=f"{name}-{number}")
        for name in PACKS
        for number, prompt in enumerate(load_icebreaker_pack(name).prompts, start=1)
    ]


def test_the_documented_packs_are_listed() -> None:
    assert available_icebreaker_packs() == PACKS


@pytest.mark.parametrize("name", PACKS)
def test_every_pack_loads_with_enough_prompts(name: str) -> None:
    pack = load_icebreaker_pack(name)
    assert pack.name == name
    assert pack.title
    assert pack.description
    assert len(pack.prompts) >= MIN_PROMPTS >= 40
    assert isinstance(pack.prompts, tuple)


@pytest.mark.parametrize(("name", "prompt"), each_prompt())
def test_every_prompt_can_be_posted_as_is(name: str, prompt: str) -> None:
    assert len(prompt) <= MAX_PROMPT_LENGTH <= 300
    assert clean_free_text(prompt) == prompt
    assert not could_ping(prompt)
    assert "@" not in prompt  # not even an inert mention
    assert "\n" not in prompt
    assert not prompt.startswith(("#", ">", "-", "*")), "no Markdown heading, quote or list"
    assert prompt.endswith(("?", ".", REMINDER)), "a prompt ends as a question or an invitation"


@pytest.mark.parametrize(("name", "prompt"), each_prompt())
def test_no_prompt_asks_a_yes_or_no_question(name: str, prompt: str) -> None:
    assert not _YES_NO_OPENING.match(prompt)


@pytest.mark.parametrize(("name", "prompt"), each_prompt())
def test_a_prompt_about_patients_reminds_people_to_keep_details_out(name: str, prompt: str) -> None:
    if _MENTIONS_PATIENTS.search(prompt.replace(REMINDER, "")):
        assert REMINDER in prompt


def test_no_prompt_repeats_within_or_across_packs() -> None:
    counts = Counter(prompt_key(prompt) for _, prompt in all_prompts())
    assert [key for key, count in counts.items() if count > 1] == []


def test_prompt_key_ignores_case_and_spacing() -> None:
    assert prompt_key("What  is your  Favorite season?") == prompt_key(
        "what is your favorite season?"
    )


def test_an_unknown_pack_is_refused_with_the_available_names() -> None:
    with pytest.raises(LookupError) as caught:
        load_icebreaker_pack("nope")
    assert all(name in str(caught.value) for name in PACKS)


def good_pack(name: str = "broken") -> dict[str, Any]:
    prompts = [f"What is thing number {n} you enjoy about your week?" for n in range(MIN_PROMPTS)]
    return {"name": name, "title": "Test", "description": "A pack for tests.", "prompts": prompts}


def write_pack(directory: Path, data: dict[str, Any]) -> None:
    (directory / f"{data['name']}.json").write_text(json.dumps(data), encoding="utf-8")


def test_a_well_formed_pack_in_another_directory_loads(tmp_path: Path) -> None:
    write_pack(tmp_path, good_pack())
    assert len(load_icebreaker_pack("broken", tmp_path).prompts) == MIN_PROMPTS


def _too_few(data: dict[str, Any]) -> None:
    data["prompts"].pop()


def _too_long(data: dict[str, Any]) -> None:
    data["prompts"][3] = "What " + "x" * MAX_PROMPT_LENGTH + "?"


def _duplicate(data: dict[str, Any]) -> None:
    data["prompts"][5] = data["prompts"][0].upper()


def _duplicate_in_spacing(data: dict[str, Any]) -> None:
    data["prompts"][5] = data["prompts"][0].replace(" ", "  ")


def _pings(data: dict[str, Any]) -> None:
    data["prompts"][7] = "What would you tell @everyone here?"


def _pings_a_user(data: dict[str, Any]) -> None:
    data["prompts"][7] = "What would you ask <@123456789>?"


def _hidden_character(data: dict[str, Any]) -> None:
    data["prompts"][8] = "What is your\u200b favorite tea?"


def _not_text(data: dict[str, Any]) -> None:
    data["prompts"][9] = 42


def _empty(data: dict[str, Any]) -> None:
    data["prompts"][9] = "   "


def _no_title(data: dict[str, Any]) -> None:
    del data["title"]


def _wrong_name(data: dict[str, Any]) -> None:
    data["name"] = "something-else"


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (_too_few, "at least 40"),
        (_too_long, "prompt 4 is 306 characters, the limit is 300"),
        (_duplicate, "prompt 6 repeats prompt 1"),
        (_duplicate_in_spacing, "not clean text"),
        (_pings, "prompt 8 could ping"),
        (_pings_a_user, "prompt 8 could ping"),
        (_hidden_character, "prompt 9 is not clean text"),
        (_not_text, "prompt 10 must be a non-empty string"),
        (_empty, "prompt 10 must be a non-empty string"),
        (_no_title, "title must be a non-empty string"),
        (_wrong_name, "does not match the file name"),
    ],
)
def test_a_broken_pack_is_refused_with_a_clear_error(
    tmp_path: Path, breakage: Any, message: str
) -> None:
    data = good_pack()
    breakage(data)
    (tmp_path / "broken.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="icebreaker pack 'broken' is malformed") as caught:
        load_icebreaker_pack("broken", tmp_path)
    assert message in str(caught.value)


def test_a_pack_that_is_not_json_is_refused(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"name": "broken", "prompts": [', encoding="utf-8")
    with pytest.raises(ValueError, match="icebreaker pack 'broken' is malformed"):
        load_icebreaker_pack("broken", tmp_path)

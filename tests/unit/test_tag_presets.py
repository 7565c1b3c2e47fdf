"""The shipped tag presets load, follow the naming rules, and carry the documented vocabulary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.domain.tags import DEFAULT_CATEGORIES, MAX_ALIASES_PER_TAG, MAX_TAGS_PER_GUILD, tag_key
from config.tag_presets import available_tag_presets, load_tag_preset


def test_presets_are_listed() -> None:
    assert {"general", "pt"} <= set(available_tag_presets())


@pytest.mark.parametrize("name", ["general", "pt"])
def test_every_preset_is_valid(name: str) -> None:
    preset = load_tag_preset(name)
    assert [c.name for c in preset.categories] == list(DEFAULT_CATEGORIES)
    assert preset.tag_count <= MAX_TAGS_PER_GUILD
    assert all(len(t.aliases) <= MAX_ALIASES_PER_TAG for c in preset.categories for t in c.tags)


def test_pt_vocabulary_and_aliases() -> None:
    preset = load_tag_preset("pt")
    by_category = {c.name: {t.name for t in c.tags} for c in preset.categories}
    assert {
        "Orthopedics",
        "Sports",
        "Neurology",
        "Pediatrics",
        "Geriatrics",
        "Cardiovascular & Pulmonary",
        "Oncology",
        "Pelvic Health",
        "Acute Care",
        "Hand & Upper Extremity",
        "Wound Management",
        "Aquatic",
        "Research",
        "Education",
        "Health Policy",
        "Private Practice",
    } <= by_category["Clinical interest"]
    assert {"Outpatient", "Inpatient", "Acute", "SNF", "Home health", "Schools", "Academia"} <= (
        by_category["Practice setting"]
    )
    assert {"Student", "New grad", "Early career", "Experienced", "Faculty", "Retired"} <= (
        by_category["Career stage"]
    )
    assert {"PT", "PTA", "Researcher", "Educator"} <= by_category["Role"]
    assert len(by_category["Region"]) >= 3
    aliases = {
        tag_key(alias): tag.name
        for c in preset.categories
        for tag in c.tags
        for alias in tag.aliases
    }
    assert aliases["ortho"] == "Orthopedics"
    assert aliases["neuro"] == "Neurology"
    assert aliases["peds"] == "Pediatrics"
    assert aliases["cardiopulm"] == "Cardiovascular & Pulmonary"
    assert aliases["pelvic"] == "Pelvic Health"
    assert aliases["dpt student"] == "Student"


def test_an_unknown_or_malformed_preset_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LookupError):
        load_tag_preset("nope")
    (tmp_path / "bad.json").write_text(
        json.dumps({"categories": [{"name": "Role", "tags": [{"name": "@everyone"}]}]})
    )
    with pytest.raises(ValueError, match="malformed"):
        load_tag_preset("bad", tmp_path)

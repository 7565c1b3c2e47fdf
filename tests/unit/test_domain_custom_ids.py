"""A custom-id spec builds ids its own template parses back, and refuses ones it would not."""

from __future__ import annotations

import re

import pytest

from bot.domain.custom_ids import DIGITS, PAGE_STEP, CustomId

REMOVE = CustomId("events:remove", id=DIGITS)
REVIEW = CustomId("tags:review", offset=DIGITS, step=PAGE_STEP)
KEEP = CustomId("privacy:keep")


def test_build_then_template_round_trip() -> None:
    built = REVIEW.build(8, "older")
    assert built == "tags:review:8:older"
    match = re.fullmatch(REVIEW.template, built)
    assert match is not None
    assert match.groupdict() == {"offset": "8", "step": "older"}
    assert REVIEW.parse(built) == {"offset": "8", "step": "older"}


def test_a_spec_without_fields_is_its_prefix() -> None:
    assert KEEP.build() == "privacy:keep"
    assert KEEP.parse("privacy:keep") == {}
    assert KEEP.parse("privacy:keep:1") is None


def test_the_template_is_the_regex_the_items_had() -> None:
    assert REMOVE.template == r"events:remove:(?P<id>\d+)"
    assert REVIEW.template == r"tags:review:(?P<offset>\d+):(?P<step>older|newer)"


def test_parse_refuses_other_ids() -> None:
    assert REMOVE.parse("events:remove:x") is None
    assert REMOVE.parse("events:remove:1:2") is None
    assert REMOVE.parse("rounds:remove:1") is None


@pytest.mark.parametrize("values", [(), (1, 2), ("seven",)])
def test_build_refuses_values_that_would_not_parse(values: tuple[object, ...]) -> None:
    with pytest.raises(ValueError):
        REMOVE.build(*values)


def test_build_refuses_ids_over_discords_limit() -> None:
    with pytest.raises(ValueError):
        REMOVE.build("1" * 100)

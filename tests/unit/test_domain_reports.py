"""The report's pure rules: suppression, weekly buckets, layout, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.reports import (
    LAYOUT,
    SUPPRESSED,
    Contribution,
    Measure,
    Window,
    build_report,
    csv_rows,
    csv_text,
    drawable,
    format_duration,
    shown,
)

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("count", "text"), [(0, SUPPRESSED), (1, SUPPRESSED), (2, SUPPRESSED), (3, "3"), (250, "250")]
)
def test_counts_below_three_are_suppressed(count: int, text: str) -> None:
    assert shown(count) == text


@given(st.lists(st.integers(min_value=0, max_value=50), max_size=20))
def test_no_drawn_point_is_below_three(values: list[int]) -> None:
    drawn = drawable(values)
    assert len(drawn) == len(values)
    for value, point in zip(values, drawn, strict=True):
        assert point == (value if value >= 3 else None)


@pytest.mark.parametrize(("days", "weeks"), [(30, 4), (90, 12)])
def test_window_has_whole_weeks_ending_now(days: int, weeks: int) -> None:
    window = Window.last(days, now=NOW)
    assert window.start == NOW - timedelta(days=days)
    assert len(window.weeks) == weeks
    assert window.weeks[-1] == NOW - timedelta(days=7)
    assert window.weeks[0] >= window.start


def test_window_edges() -> None:
    window = Window.last(30, now=NOW)
    assert window.contains(window.start)
    assert not window.contains(NOW)  # the end is open
    assert window.week_of(NOW - timedelta(microseconds=1)) == 3
    assert window.week_of(NOW - timedelta(days=7)) == 3
    assert window.week_of(NOW - timedelta(days=7, microseconds=1)) == 2
    assert window.week_of(NOW - timedelta(days=28)) == 0
    assert window.week_of(NOW - timedelta(days=29)) is None  # inside the window, not a whole week
    assert window.week_of(NOW) is None


def test_only_30_or_90_days() -> None:
    with pytest.raises(ValueError, match="30"):
        Window.last(7, now=NOW)


@given(st.lists(st.integers(min_value=0, max_value=90 * 24 * 3600 - 1), max_size=60))
def test_weekly_counts_add_up_to_the_whole_weeks(offsets: list[int]) -> None:
    window = Window.last(90, now=NOW)
    moments = [NOW - timedelta(seconds=s + 1) for s in offsets]
    counts = window.weekly_counts(moments)
    assert len(counts) == 12
    assert sum(counts) == sum(1 for m in moments if m >= window.weeks_start)


def test_lines_follow_the_layout_and_absent_sources_stay_absent() -> None:
    window = Window.last(30, now=NOW)
    report = build_report(
        window,
        [
            Contribution.counts(snoozes=1, intros_requested=12),
            Contribution.counts(members_tagged=40),
        ],
    )
    assert [line.spec.key for line in report.lines] == [
        "members_tagged",
        "intros_requested",
        "snoozes",
    ]
    assert [line.shown for line in report.lines] == ["40", "12", SUPPRESSED]
    keys = [spec.key for spec in LAYOUT]
    assert "mentor_requests_opened" in keys  # in the layout, absent until its source exists
    assert "mentor_requests_opened" not in {line.spec.key for line in report.lines}


def test_unknown_keys_and_wrong_week_counts_are_bugs() -> None:
    window = Window.last(30, now=NOW)
    with pytest.raises(KeyError):
        build_report(window, [Contribution.counts(typo=3)])
    with pytest.raises(ValueError, match="weeks"):
        build_report(window, [Contribution(weekly={"prompts_posted": [1, 2]})])


def test_median_time_is_suppressed_below_three_matches() -> None:
    window = Window.last(30, now=NOW)
    two = Measure.median_of([timedelta(hours=1), timedelta(hours=3)])
    three = Measure.median_of([timedelta(hours=1), timedelta(hours=5), timedelta(days=2)])
    line_two = build_report(window, [Contribution(lines={"median_time_to_match": two})]).lines[0]
    line_three = build_report(window, [Contribution(lines={"median_time_to_match": three})])
    assert line_two.shown == f"{SUPPRESSED} matches"
    assert line_three.lines[0].shown == "5 hours"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (30, "under a minute"),
        (60, "1 minute"),
        (3 * 3600 + 120, "3 hours 2 minutes"),
        (86400 + 4 * 3600 + 59, "1 day 4 hours"),
        (2 * 86400, "2 days"),
    ],
)
def test_durations_read_roughly(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


def test_top_tags_are_sorted_and_capped() -> None:
    window = Window.last(30, now=NOW)
    tags = [("Neuro", 9), ("Ortho", 20), ("Acute", 9), ("Peds", 2), ("Sports", 4), ("Vest", 1)]
    report = build_report(window, [Contribution(top_tags=tags)])
    assert report.shown_tags == [
        ("Ortho", "20"),
        ("Acute", "9"),
        ("Neuro", "9"),
        ("Sports", "4"),
        ("Peds", SUPPRESSED),
    ]


def test_csv_has_the_same_numbers_and_suppression() -> None:
    window = Window.last(30, now=NOW)
    report = build_report(
        window,
        [
            Contribution(
                lines={"intros_accepted": Measure(7), "intro_reports": Measure(1)},
                weekly={"intros_accepted": [0, 2, 3, 2]},
                top_tags=[("=HYPERLINK()", 5)],
            )
        ],
    )
    rows = list(csv.reader(io.StringIO(csv_text(report))))
    assert rows[0] == ["section", "measure", "value"]
    assert ["count", "Introductions accepted", "7"] in rows
    assert ["count", "Introductions reported (abuse)", SUPPRESSED] in rows
    weekly = [row[2] for row in rows if row[0] == "weekly"]
    assert weekly == [SUPPRESSED, SUPPRESSED, "3", SUPPRESSED]
    assert ["top tag", "'=HYPERLINK()", "5"] in rows  # never a spreadsheet formula
    assert len(rows) == len(csv_rows(report))
    for row in rows[2:]:
        assert row[2] == SUPPRESSED or int(row[2]) >= 3 or row[0] == "period"

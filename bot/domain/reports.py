"""Moderator reports: the window, weekly buckets, the report's lines, suppression and CSV.

A report is assembled from per-feature contributions (``bot.services.reports`` gathers them).
Every number a moderator sees passes through :func:`shown` or :func:`drawable`, so a count
below :data:`SMALLEST_SHOWN` never reaches Discord as its value: in a small server "1 mentor
match this month" names the pair.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

SMALLEST_SHOWN = 3
SUPPRESSED = f"fewer than {SMALLEST_SHOWN}"
REPORT_DAYS = (30, 90)
WEEK = timedelta(days=7)
TOP_TAGS = 5


@dataclass(frozen=True)
class LineSpec:
    """One line of the report's layout: its key (what sources fill in) and its label."""

    key: str
    label: str
    duration: bool = False  # a median time (seconds) rather than a count


# The report's layout, in the order moderators read it. A source fills in the keys of its
# feature; a line whose source is not registered is absent, never shown as 0.
LAYOUT: tuple[LineSpec, ...] = (
    LineSpec("members_tagged", "Members with tags"),
    LineSpec("members_newly_tagged", "Members who added tags"),
    LineSpec("intros_requested", "Introductions requested"),
    LineSpec("intros_accepted", "Introductions accepted"),
    LineSpec("round_groups", "Intro-round groups"),
    LineSpec("round_met", '"Met" answers in intro rounds'),
    LineSpec("event_attendance", "Event attendance"),
    LineSpec("mentor_requests_opened", "Mentor requests opened"),
    LineSpec("mentor_requests_matched", "Mentor requests matched"),
    LineSpec("mentorships_completed", "Mentorships completed"),
    LineSpec("fit_check_rematches", "Fit-check rematches"),
    LineSpec("median_time_to_match", "Median time to match", duration=True),
    LineSpec("icebreakers_posted", "Icebreaker prompts posted"),
    LineSpec("intro_reports", "Introductions reported (abuse)"),
    LineSpec("snoozes", "Members who snoozed"),
)
LINES_BY_KEY = {spec.key: spec for spec in LAYOUT}

# The chart's weekly lines, in drawing order: few series, so it reads as a thumbnail.
SERIES: tuple[LineSpec, ...] = (
    LineSpec("intros_accepted", "Introductions accepted"),
    LineSpec("round_meetings", "Round meetings"),
    LineSpec("mentor_matches", "Mentor matches"),
    LineSpec("prompts_posted", "Prompts posted"),
)
SERIES_BY_KEY = {spec.key: spec for spec in SERIES}


def shown(count: int) -> str:
    """A count as moderators see it: below :data:`SMALLEST_SHOWN` (0 included) it is hidden."""
    return SUPPRESSED if count < SMALLEST_SHOWN else str(count)


def drawable(values: Sequence[int]) -> list[int | None]:
    """Weekly values for the chart: a suppressed week is ``None`` (a gap, never its value)."""
    return [None if v < SMALLEST_SHOWN else v for v in values]


def format_duration(seconds: float) -> str:
    """``1 day 4 hours``, ``3 hours``, ``45 minutes``: rough on purpose."""
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return " ".join(words) or "under a minute"


@dataclass(frozen=True)
class Window:
    """The report's period ``[start, end)`` and its whole weeks, counted back from ``end``.

    Weekly buckets cover only whole weeks (30 days → the last 4 weeks, 90 → 12): a partial
    week would look like a drop in activity.
    """

    start: datetime
    end: datetime

    @classmethod
    def last(cls, days: int, *, now: datetime) -> Window:
        if days not in REPORT_DAYS:
            raise ValueError(f"a report covers one of {REPORT_DAYS} days, not {days}")
        return cls(now - timedelta(days=days), now)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def weeks(self) -> list[datetime]:
        """The start of each whole week in the window, oldest first."""
        count = self.days // 7
        return [self.end - WEEK * (count - i) for i in range(count)]

    @property
    def weeks_start(self) -> datetime:
        return self.end - WEEK * (self.days // 7)

    def week_of(self, moment: datetime) -> int | None:
        """Which weekly bucket ``moment`` falls in, or None outside the whole weeks."""
        if not self.weeks_start <= moment < self.end:
            return None
        return int((moment - self.weeks_start) // WEEK)

    def weekly_counts(self, moments: Iterable[datetime]) -> list[int]:
        counts = [0] * len(self.weeks)
        for moment in moments:
            index = self.week_of(moment)
            if index is not None:
                counts[index] += 1
        return counts


@dataclass(frozen=True)
class Measure:
    """A value for one report line: ``count`` decides suppression (for a median, how many
    durations it was taken over)."""

    count: int
    seconds: float | None = None

    @classmethod
    def median_of(cls, durations: Sequence[timedelta]) -> Measure:
        if not durations:
            return cls(0)
        middle = statistics.median(d.total_seconds() for d in durations)
        return cls(len(durations), middle)


@dataclass(frozen=True)
class Contribution:
    """What one feature's source adds to a report."""

    lines: Mapping[str, Measure] = field(default_factory=dict)
    weekly: Mapping[str, Sequence[int]] = field(default_factory=dict)
    top_tags: Sequence[tuple[str, int]] = ()

    @classmethod
    def counts(cls, **counts: int) -> Contribution:
        return cls(lines={key: Measure(n) for key, n in counts.items()})


@dataclass(frozen=True)
class ReportLine:
    spec: LineSpec
    measure: Measure

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def shown(self) -> str:
        if not self.spec.duration:
            return shown(self.measure.count)
        if self.measure.count < SMALLEST_SHOWN or self.measure.seconds is None:
            return f"{SUPPRESSED} matches"
        return format_duration(self.measure.seconds)


@dataclass(frozen=True)
class Series:
    spec: LineSpec
    values: tuple[int, ...]

    @property
    def drawn(self) -> list[int | None]:
        return drawable(self.values)


@dataclass(frozen=True)
class Report:
    window: Window
    lines: tuple[ReportLine, ...]
    series: tuple[Series, ...]
    top_tags: tuple[tuple[str, int], ...]

    @property
    def shown_tags(self) -> list[tuple[str, str]]:
        return [(name, shown(count)) for name, count in self.top_tags]


def build_report(window: Window, contributions: Iterable[Contribution]) -> Report:
    """Merge the sources' contributions into the layout's order; unknown keys are a bug."""
    lines: dict[str, Measure] = {}
    weekly: dict[str, Sequence[int]] = {}
    tags: list[tuple[str, int]] = []
    for part in contributions:
        for key in (*part.lines, *part.weekly):
            if key not in LINES_BY_KEY and key not in SERIES_BY_KEY:
                raise KeyError(f"{key!r} is not a report line or series: add it to the layout")
        lines.update(part.lines)
        weekly.update(part.weekly)
        tags.extend(part.top_tags)
    weeks = len(window.weeks)
    for key, values in weekly.items():
        if len(values) != weeks:
            raise ValueError(f"series {key!r} has {len(values)} weeks, the window has {weeks}")
    tags.sort(key=lambda t: (-t[1], t[0].casefold()))
    return Report(
        window=window,
        lines=tuple(ReportLine(spec, lines[spec.key]) for spec in LAYOUT if spec.key in lines),
        series=tuple(
            Series(spec, tuple(weekly[spec.key])) for spec in SERIES if spec.key in weekly
        ),
        top_tags=tuple(tags[:TOP_TAGS]),
    )


def csv_rows(report: Report) -> list[list[str]]:
    """The report as rows (section, measure, value), with the same suppression as the text."""
    rows = [["section", "measure", "value"]]
    period = f"{report.window.start:%Y-%m-%d} to {report.window.end:%Y-%m-%d}"
    rows.append(["period", f"last {report.window.days} days", period])
    rows += [["count", line.label, line.shown] for line in report.lines]
    rows += [["top tag", name, value] for name, value in report.shown_tags]
    for series in report.series:
        for start, value in zip(report.window.weeks, series.values, strict=True):
            rows.append(["weekly", f"{series.spec.label}, week of {start:%Y-%m-%d}", shown(value)])
    return rows


def _cell(text: str) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula; a tag name must not."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def csv_text(report: Report) -> str:
    out = io.StringIO()
    rows = [[_cell(cell) for cell in row] for row in csv_rows(report)]
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()

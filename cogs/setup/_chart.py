"""The report's chart: a PNG drawn with matplotlib's Agg backend, readable as a thumbnail.

Discord previews an image about 400 px wide, so the figure is drawn at 800 px with large
type, at most four weekly lines and the top tags as bars. Weeks below the suppression
threshold are gaps (``bot.domain.reports.drawable``), inside a shaded "fewer than 3" band,
so the chart never shows a small count that the text hides. Uses the object API (no pyplot):
no global state, so it can run in a worker thread.
"""

from __future__ import annotations

import io
import math
import threading

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.domain.reports import SMALLEST_SHOWN, SUPPRESSED, Report

WIDTH_PX, HEIGHT_PX, DPI = 800, 960, 100
COLOURS = ("#1b6ac9", "#d1495b", "#2a9d8f", "#e9a03b")
FONT = 19
_DRAWING = threading.Lock()


def _weekly(ax: Axes, report: Report) -> None:
    weeks = report.window.weeks
    xs = list(range(len(weeks)))
    top = SMALLEST_SHOWN
    for series, colour in zip(report.series, COLOURS, strict=False):
        ys = [math.nan if v is None else float(v) for v in series.drawn]
        top = max([top, *(v for v in series.drawn if v is not None)])
        label = series.spec.label
        if all(v is None for v in series.drawn):
            label += " (< 3 a week)"
        ax.plot(xs, ys, marker="o", linewidth=3.5, markersize=8, color=colour, label=label)
    ax.axhspan(0, SMALLEST_SHOWN, color="#e6e6e6", zorder=0)
    ax.text(
        0.01,
        SMALLEST_SHOWN / 2,
        f"{SUPPRESSED}: not shown",
        transform=ax.get_yaxis_transform(),
        va="center",
        fontsize=FONT - 4,
        color="#555555",
    )
    ax.set_ylim(0, top * 1.15 + 1)
    step = max(1, math.ceil(len(weeks) / 6))
    ax.set_xticks(xs[::step], [f"{w:%b} {w.day}" for w in weeks[::step]], fontsize=FONT - 2)
    ax.tick_params(axis="y", labelsize=FONT - 2)
    ax.set_title("Each week", fontsize=FONT + 2, loc="left")
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if report.series:
        ax.legend(
            loc="upper left",
            bbox_to_anchor=(-0.02, -0.1),
            ncols=1,
            frameon=False,
            fontsize=FONT - 3,
            handlelength=1.2,
            columnspacing=1,
        )


def _tags(ax: Axes, report: Report) -> None:
    tags = list(reversed(report.top_tags))
    ax.set_title("Top tags (members holding each)", fontsize=FONT + 2, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if not tags:
        ax.text(
            0.5, 0.5, "No tags yet", ha="center", va="center", fontsize=FONT, transform=ax.transAxes
        )
        ax.set_axis_off()
        return
    ys = list(range(len(tags)))
    values = [count if count >= SMALLEST_SHOWN else 0 for _, count in tags]
    ax.barh(ys, values, color="#1b6ac9", height=0.6)
    ax.set_yticks(ys, [_short(name) for name, _ in tags], fontsize=FONT)
    widest = max(values) or SMALLEST_SHOWN
    for y, value in zip(ys, values, strict=True):
        label, colour = (str(value), "black") if value else (SUPPRESSED, "#555555")
        ax.text(value + widest * 0.02, y, label, va="center", fontsize=FONT - 2, color=colour)
    ax.set_xlim(0, widest * 1.3)
    ax.set_xticks([])  # each bar is labelled with its number
    ax.spines["bottom"].set_visible(False)


def _short(name: str, limit: int = 18) -> str:
    """Long names would squeeze the bars to nothing at thumbnail size."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


def report_chart(report: Report, *, title: str) -> bytes:
    """The PNG bytes of the report's chart (one drawing at a time: matplotlib's font and
    text caches are shared between threads)."""
    with _DRAWING:
        return _draw(report, title)


def _draw(report: Report, title: str) -> bytes:
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(title, fontsize=FONT + 5, fontweight="bold")
    weekly, tags = figure.subplots(2, 1, height_ratios=(1.25, 1))
    _weekly(weekly, report)
    _tags(tags, report)

    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()

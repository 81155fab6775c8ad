"""The site's charts as inline SVG: a model's whole history, and a sparkline for the overview.

Untrusted text never reaches an SVG here except through html_text; coordinates are numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from statistics import fmean

from trendgate.escape import html_text
from trendgate.judge.trend import positions
from trendgate.model import Trend, Verdict
from trendgate.report.site.axes import (
    Scale,
    date_ticks,
    number,
    score_range,
    time_range,
    y_ticks,
)
from trendgate.report.site.gather import ModelHistory
from trendgate.words import utc

WIDTH, HEIGHT = 960, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 20, 28
SPARK_WIDTH, SPARK_HEIGHT = 160, 28
# The marker class of a night's verdict: failed, inconclusive, passed, too few runs.
MARK: dict[Verdict, str] = {
    "regression": "r",
    "inconclusive": "i",
    "improving": "p",
    "stable": "p",
    "insufficient_data": "n",
}


@dataclass(frozen=True)
class Drawn:
    """A chart, and the map from (time, score) to its pixels, for the script's cursor."""

    svg: str
    scale: tuple[float, ...]  # first time, last time, its x, its x; low score, high, y, y


def history_chart(history: ModelHistory, label: str, css: str = "chart") -> Drawn:
    """Every run on a date axis, each night's verdict as its marker; the window's fit, the
    threshold's slope, the step's levels and the events as lines. `label` is escaped text."""
    runs = [n.run for n in history.nights]
    times = [r.timestamp for r in runs]
    lines = _trend_lines(history.trend)
    first, last = time_range(times)
    low, high, step = score_range(
        [r.score_pct for r in runs] + [y for _, line in lines for _, y in line]
    )
    x = Scale(first, last, LEFT, WIDTH - RIGHT)
    y = Scale(low, high, HEIGHT - BOTTOM, TOP)
    parts = [
        f'<svg class="{css}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}">',
        '<g class="grid">',
    ]
    for value in y_ticks(low, high, step):
        at = number(y(value))
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{at}" y2="{at}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{at}" class="yl">{value:g}</text>')
    for at_time, text in date_ticks(first, last):
        # A label near an edge is anchored inside the chart instead of centred on its tick.
        anchor = "s" if x(at_time) < LEFT + 40 else "e" if x(at_time) > WIDTH - RIGHT - 40 else ""
        at = number(x(at_time))
        parts.append(f'<line x1="{at}" x2="{at}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>')
        parts.append(f'<text x="{at}" y="{HEIGHT - 8}" class="xl{anchor}">{text}</text>')
    parts.append("</g>")
    for event in history.events:
        # An acceptance after the newest run (nothing judged since) stands on that run.
        later = times[min(event.before + 1, len(times) - 1)]
        middle = (times[event.before] + later) / 2
        at = number(x(middle))
        parts.append(
            f'<g class="ev {event.kind}"><title>{html_text(event.text)}</title>'
            f'<line x1="{at}" x2="{at}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>'
            f'<text x="{at}" y="{TOP - 6}">{"accepted" if event.kind == "accepted" else "break"}'
            "</text></g>"
        )
    scores = [r.score_pct for r in runs]
    parts.append(f'<polyline class="scores" points="{_points(times, scores, x, y)}"/>')
    for name, line in lines:
        drawn = " ".join(f"{number(x(t))},{number(y(v))}" for t, v in line)
        parts.append(f'<polyline class="{name}" points="{drawn}"/>')
    parts.append(_markers(history, x, y))
    parts.append("</svg>")
    scale = (first, last, x(first), x(last), low, high, y(low), y(high))
    return Drawn("".join(parts), scale)


def window_view(history: ModelHistory) -> ModelHistory | None:
    """The history cut to today's window, for a chart where its lines can be read; None
    when the window is the whole history already."""
    window = history.trend.runs
    if len(window) < 2:
        return None
    start = next((i for i, n in enumerate(history.nights) if n.run is window[0]), None)
    if start is None or start == 0:
        return None
    end = start + len(window)
    events = tuple(
        replace(e, before=e.before - start) for e in history.events if start <= e.before < end - 1
    )
    return replace(history, nights=history.nights[start:end], events=events)


def _markers(history: ModelHistory, x: Scale, y: Scale) -> str:
    """Each night's marker. Passes and unjudged nights, the most, are one path of dots each
    (a zero-length segment with round caps), so a year of runs stays a few kilobytes."""
    dots: dict[str, list[str]] = {"p": [], "n": []}
    single = []
    for night in history.nights:
        mark = MARK[night.verdict]
        px, py = x(night.run.timestamp), y(night.run.score_pct)
        if mark in dots:
            dots[mark].append(f"M{number(px)} {number(py)}h0")
        else:
            single.append(_marker(mark, px, py))
    paths = [f'<path class="{mark}" d="{"".join(d)}"/>' for mark, d in dots.items() if d]
    return '<g class="runs">' + "".join(paths + single) + "</g>"


def _marker(mark: str, px: float, py: float) -> str:
    if mark == "r":  # a downward triangle: a failed night reads without colour too
        return f'<path class="r" d="M{number(px - 5)} {number(py - 4)}h10l-5 8z"/>'
    return f'<circle class="{mark}" cx="{number(px)}" cy="{number(py)}"/>'


def _points(times: Sequence[float], scores: Sequence[float], x: Scale, y: Scale) -> str:
    return " ".join(f"{number(x(t))},{number(y(v))}" for t, v in zip(times, scores, strict=True))


def _trend_lines(trend: Trend) -> list[tuple[str, list[tuple[float, float]]]]:
    """The fit over the window, the threshold's slope through its centre, the step's levels."""
    if trend.slope is None or len(trend.runs) < 2:
        return []
    window = trend.runs
    xs = positions(window, trend.x)
    scores = [r.score_pct for r in window]
    x_mean, y_mean = fmean(xs), fmean(scores)
    threshold = trend.settings.threshold
    times = [r.timestamp for r in window]
    lines = [
        (name, [(t, y_mean + rate * (v - x_mean)) for t, v in zip(times, xs, strict=True)])
        for name, rate in (("fit", trend.slope), ("limit", threshold))
    ]
    at = step_split(trend)
    if at is not None:
        before, after = fmean(scores[:at]), fmean(scores[at:])
        lines.append(("level", [(window[0].timestamp, before), (window[at - 1].timestamp, before)]))
        lines.append(("level", [(window[at].timestamp, after), (window[-1].timestamp, after)]))
    return lines


def step_split(trend: Trend) -> int | None:
    """Where the window's two step levels meet: the runs before it against those from it.

    When a step test decided today's regression (the budget rule), the levels it compared: the
    mean of the window's earlier runs and of its latest k. Otherwise the step the evidence
    names (a step that fits clearly better than a drift), if any; None when neither.
    """
    window = trend.runs
    if trend.decided_by is not None and trend.decided_by.startswith("step-"):
        k = int(trend.decided_by.removeprefix("step-"))
        return len(window) - k if 0 < k < len(window) else None
    if trend.step is not None and trend.step.after in window:
        at = window.index(trend.step.after) + 1
        return at if at < len(window) else None
    return None


def sparkline(history: ModelHistory, label: str) -> str:
    """The whole history as a small line, today's verdict as the last point's marker."""
    runs = [n.run for n in history.nights]
    if not runs:
        return ""
    times = [r.timestamp for r in runs]
    first, last = time_range(times)
    low, high, _ = score_range([r.score_pct for r in runs])
    x = Scale(first, last, 2, SPARK_WIDTH - 4)
    y = Scale(low, high, SPARK_HEIGHT - 3, 3)
    end = history.nights[-1]
    scores = [r.score_pct for r in runs]
    return (
        f'<svg class="spark" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" role="img" '
        f'aria-label="{label}"><polyline points="{_points(times, scores, x, y)}"/>'
        + _marker(MARK[history.trend.verdict], x(end.run.timestamp), y(end.run.score_pct))
        + "</svg>"
    )


def describe(history: ModelHistory) -> str:
    """The chart's text alternative: what it spans and how often the gate failed (raw text)."""
    nights = history.nights
    if not nights:
        return f"{history.model}: no runs"
    failed = sum(n.verdict == "regression" for n in nights)
    return (
        f"Scores of {history.model}: {len(nights)} runs from {utc(nights[0].run.timestamp)} "
        f"to {utc(nights[-1].run.timestamp)}, latest {nights[-1].run.score_pct:.1f}; "
        f"the gate failed on {failed} of them"
    )

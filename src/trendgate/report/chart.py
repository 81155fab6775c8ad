"""The Markdown summary's pictures: a sparkline per table row, a Mermaid chart per model."""

from __future__ import annotations

import math

from trendgate.escape import mermaid_label
from trendgate.judge.trend import positions
from trendgate.model import Trend

SPARKS = "▁▂▃▄▅▆▇█"
SPARK_SPAN = 10.0  # score points
# Line colours that keep 3:1 contrast on Mermaid's light and dark chart backgrounds.
CHART_COLOR = {
    "regression": "#e5534b",
    "inconclusive": "#bf8700",
    "improving": "#2da44e",
    "stable": "#4493f8",
    "insufficient_data": "#4493f8",
}
FIT_COLOR = "#8c959f"


def sparkline(values: list[float]) -> str:
    """A row of block characters tracing the values on a scale at least SPARK_SPAN points tall.

    The floor on the scale keeps a point of noise in a stable model from filling the cell.
    """
    span = max(max(values) - min(values), SPARK_SPAN)
    low = (max(values) + min(values) - span) / 2
    scale = (len(SPARKS) - 1) / span
    return "".join(SPARKS[round((v - low) * scale)] for v in values)


def chart(trend: Trend) -> list[str]:
    """The window's scores and, in grey, the least-squares line the verdict is read from."""
    if trend.slope is None:
        return []
    scores = [round(r.score_pct, 1) for r in trend.runs]
    n = len(scores)
    xs = positions(trend.runs, trend.x)
    x_mean = sum(xs) / n
    y_mean = sum(r.score_pct for r in trend.runs) / n
    fit = [round(y_mean + trend.slope * (x - x_mean), 1) for x in xs]
    low, high = _axis(scores + fit)
    return [
        "```mermaid",
        "---",
        "config:",
        "  xyChart:",
        "    height: 400",
        "  themeVariables:",
        "    xyChart:",
        f'      plotColorPalette: "{FIT_COLOR}, {CHART_COLOR[trend.verdict]}"',
        "---",
        "xychart-beta",
        f'  title "{mermaid_label(trend.model)}"',
        '  x-axis "Run, oldest to newest" [' + ", ".join(str(i + 1) for i in range(n)) + "]",
        f'  y-axis "Score (%)" {low} --> {high}',
        # The fit first, so the scores are drawn over it where the two lines meet.
        "  line [" + ", ".join(f"{v:.1f}" for v in fit) + "]",
        "  line [" + ", ".join(f"{v:.1f}" for v in scores) + "]",
        "```",
        "",
        "_Grey: the least-squares line whose slope is judged._",
        "",
    ]


def _axis(values: list[float]) -> tuple[int, int]:
    """A y range in whole tens around the values, kept within 0..100 when they are."""
    low = math.floor((min(values) - 1) / 10) * 10
    high = math.ceil((max(values) + 1) / 10) * 10
    return (
        max(low, 0) if min(values) >= 0 else low,
        min(high, 100) if max(values) <= 100 else high,
    )

"""The site's own words for verdicts, settings and flags (no text from a result file)."""

from __future__ import annotations

from trendgate.model import Trend, Verdict
from trendgate.report.evidence import POINTS, options
from trendgate.settings import Settings
from trendgate.words import count

LABEL: dict[Verdict, str] = {
    "regression": "regression",
    "inconclusive": "inconclusive",
    "improving": "improving",
    "stable": "stable",
    "insufficient_data": "too few runs",
}
# A symbol beside each label, so a verdict reads without colour.
SYMBOL: dict[Verdict, str] = {
    "regression": "✖",
    "inconclusive": "?",
    "improving": "↗",
    "stable": "✓",
    "insufficient_data": "…",
}
# Worst first: what needs a look on top.
ORDER: dict[Verdict, int] = {
    "regression": 0,
    "inconclusive": 1,
    "insufficient_data": 2,
    "stable": 3,
    "improving": 4,
}
# The night markers' legend, by marker class.
MARKS = {
    "r": "the gate failed that night",
    "i": "inconclusive",
    "p": "passed",
    "n": "too few runs to judge",
}


def rule_line(settings: Settings, config: str | None) -> str:
    """The rule and the settings in force, as the reports say them (raw: escape to show)."""
    parts = [
        f"regression below {settings.threshold:+.2f} {POINTS}/{settings.x_unit} over the last "
        f"{count(settings.window, 'run')}",
        f"at least {count(settings.min_runs, 'run')} to judge",
        *options(settings),
    ]
    if config:
        parts.append(f"config {config}")
    return " · ".join(parts)


def level(trend: Trend) -> str:
    """The level the verdict is held to: the false-alarm budget (its level a night is
    night_level's), or the gate's confidence or the slope rule and its false-alarm rate."""
    if trend.level is not None:
        return "false-alarm budget"
    confidence = trend.settings.confidence
    gate = f"{confidence:.0%} confidence" if confidence is not None else "slope rule"
    rate = trend.expected_false_alarm_rate
    return gate if rate is None else f"{gate}, {rate:.1%} false alarms"


def night_level(trend: Trend) -> str:
    """The budget rule's level, the chance a flat model fails a night, as the evidence says it
    (a percentage to 3 significant digits); a dash under the proposal rule."""
    return "–" if trend.level is None else f"{100 * trend.level:.3g}% a night"


def slope(trend: Trend) -> str:
    """The slope with half its interval, or a dash."""
    if trend.slope is None:
        return "–"
    if trend.slope_ci is None:
        return f"{trend.slope:+.2f}"
    return f"{trend.slope:+.2f} ± {(trend.slope_ci[1] - trend.slope_ci[0]) / 2:.2f}"

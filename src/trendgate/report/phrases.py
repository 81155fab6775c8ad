"""Wording shared by the report formats; none of it carries text from a result file."""

from __future__ import annotations

from trendgate.trend import Trend


def undecided(trend: Trend) -> str:
    """Why an inconclusive verdict is one, and what would settle it."""
    level = f"{trend.confidence:.0%}"
    if trend.slope_ci is None:
        return f"{trend.run_count} runs cannot measure the noise, so there is no {level} interval"
    reach = f"the {level} interval reaches 0"
    if trend.more_runs_needed is None:
        return reach
    return (
        f"{reach}; about {trend.more_runs_needed} more runs at this noise would decide "
        f"(a window of {trend.run_count + trend.more_runs_needed})"
    )


def secondary_trends(trend: Trend) -> list[str]:
    """The report-only trends that moved: failures, cost, tokens."""
    unit = trend.x_unit
    return [
        f"{name} {value:+{spec}} {measure}/{unit}"
        for name, value, spec, measure in (
            ("timeouts and errors", trend.failure_slope, ".2f", "pts"),
            ("cost", trend.cost_slope, ".4f", "USD"),
            ("tokens", trend.token_slope, ".0f", "tokens"),
        )
        if value
    ]

"""Say, in plain words, which config rules shaped a model's verdict (every format shows them)."""

from __future__ import annotations

from trendgate.config_rules import Accept
from trendgate.timefmt import iso_utc
from trendgate.trend import Trend
from trendgate.window import Series


def restart_point(accept: Accept) -> str:
    """Where an accepted decline restarts its series."""
    if accept.after_run is not None:
        return f"after run {accept.after_run}"
    assert accept.after is not None
    return f"after {iso_utc(accept.after)}"


def applied_rules(trend: Trend) -> list[str]:
    """One line per config rule that applied to a judged model (unescaped: callers escape)."""
    lines = []
    if trend.accepted:
        accepted = trend.accepted
        lines.append(
            f"accepted decline {restart_point(accepted.accept)} "
            f"({accepted.runs_set_aside} earlier runs set aside): {accepted.accept.reason}"
        )
    for rule in trend.rules:
        values = ", ".join(f"{k} {v}" for k, v in rule.overrides().items())
        lines.append(f"rule {rule.pattern}: {values}")
    if trend.aliases:
        lines.append("includes runs named " + ", ".join(trend.aliases))
    return lines


def ignored_line(series: Series) -> str:
    """Why an ignored model was not judged (unescaped)."""
    runs = "run" if series.total_runs == 1 else "runs"
    return f"ignored by rule {series.ignored_by} ({series.total_runs} {runs})"

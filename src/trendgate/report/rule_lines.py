"""Say, in plain words, which config rules shaped a model's verdict (every format shows them)."""

from __future__ import annotations

from trendgate.model import Accepted, Series, Trend
from trendgate.read.pinchbench import describe_run
from trendgate.words import iso_utc


def _restart_point(accepted: Accepted) -> str:
    """Where an accepted decline restarts its series: after a time, or after a named run."""
    if accepted.accept.after_run is None:
        assert accepted.accept.after is not None
        return f"after {iso_utc(accepted.accept.after)}"
    assert accepted.last_set_aside is not None  # an after_run entry names a run it found
    return f"after run {describe_run(accepted.last_set_aside)}"


def applied_rules(trend: Trend) -> list[str]:
    """One line per config rule that applied to a judged model (unescaped: callers escape)."""
    lines = []
    if trend.accepted:
        accepted = trend.accepted
        lines.append(
            f"accepted decline {_restart_point(accepted)} "
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

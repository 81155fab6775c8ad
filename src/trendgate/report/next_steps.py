"""What to do next, in words every format shares: accept a decline, or explain a stopped series.

The text is unescaped: callers escape it for their destination.
"""

from __future__ import annotations

from collections.abc import Sequence

from trendgate.escape import yaml_quoted
from trendgate.model import Stale, Trend
from trendgate.rules import after_covering
from trendgate.words import utc

MAX_NAMED = 3  # regressing models named in a ending line


def names_in_line(trends: Sequence[Trend]) -> str:
    """The first few models' names, and how many more there are."""
    names = ", ".join(t.model for t in trends[:MAX_NAMED])
    more = len(trends) - MAX_NAMED
    return f"{names} and {more} more" if more > 0 else names


def accept_after(trend: Trend) -> str:
    """The `after` time that accepts a decline up to the model's latest run."""
    return after_covering(trend.runs[-1].timestamp)


def accept_entry(trend: Trend) -> str:
    """The `accept:` list item that restarts the model's series after its latest run."""
    return (
        f"- {{model: {yaml_quoted(trend.model)}, after: {yaml_quoted(accept_after(trend))}, "
        'reason: "why the decline is intended"}'
    )


def stale_hint(stale: Stale, source: str | None) -> str:
    """Since when a series has had no run, and the two config entries that explain a stop."""
    config = source or "trendgate.yml"
    return (
        f"no run since {utc(stale.since)}, while others ran until {utc(stale.newest)} "
        f"(stale after {stale.limit_days:.1f} days): if it was renamed, list its new name "
        f"under aliases: in {config}; if it was retired, set ignore: true for it under models:"
    )


def stopped(stale: Sequence[Stale]) -> str:
    """The ending line's count of stopped series."""
    if len(stale) == 1:
        return f"1 has had no run since {utc(stale[0].since)}"
    latest = max(s.since for s in stale)
    return f"{len(stale)} have had no run since {utc(latest)} or earlier"

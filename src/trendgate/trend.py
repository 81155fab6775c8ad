"""Fit a slope to each series' recent scores and turn it into a verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from trendgate.load import Run
from trendgate.series import Series
from trendgate.settings import Settings

Status = Literal["regression", "improving", "stable", "insufficient_data"]


@dataclass(frozen=True)
class Trend:
    """The verdict on one model's window of runs."""

    model: str
    status: Status
    slope: float | None  # score points per run; None with fewer than two runs
    runs: tuple[Run, ...]  # the window, oldest first
    total_runs: int

    @property
    def run_count(self) -> int:
        """Runs in the window."""
        return len(self.runs)


def ols_slope(values: Sequence[float]) -> float:
    """Least-squares slope of `values` against their index 0..n-1."""
    n = len(values)
    if n < 2:
        raise ValueError("a slope needs at least two values")
    x_mean = (n - 1) / 2
    y_mean = sum(values) / n
    sxy = sum((i - x_mean) * (y - y_mean) for i, y in enumerate(values))
    sxx = n * (n * n - 1) / 12  # sum of (i - x_mean)^2 for i = 0..n-1
    return sxy / sxx


def judge(series: Series, settings: Settings) -> Trend:
    """Window a series and classify it as the original request defines."""
    window = series.runs[-settings.window :]
    slope = ols_slope([r.score_pct for r in window]) if len(window) >= 2 else None
    status: Status
    if slope is None or len(window) < settings.min_runs:
        status = "insufficient_data"
    elif slope < settings.threshold:
        status = "regression"
    elif slope > 0:
        status = "improving"
    else:
        status = "stable"
    return Trend(series.model, status, slope, window, len(series.runs))

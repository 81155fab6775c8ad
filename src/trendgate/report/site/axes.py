"""Scales and tick marks for the site's charts: scores up the side, UTC dates along the bottom."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from trendgate.settings import DAY

MAX_X_TICKS = 8
MAX_Y_TICKS = 6
_Y_STEPS = (0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 500.0)
_DAY_STEPS = (1, 2, 7, 14)
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)


@dataclass(frozen=True)
class Scale:
    """A linear map from data to pixels."""

    low: float
    high: float
    start: float  # pixel of `low`
    end: float  # pixel of `high`

    def __call__(self, value: float) -> float:
        """The pixel of a value."""
        if self.high == self.low:
            return (self.start + self.end) / 2
        return self.start + (value - self.low) * (self.end - self.start) / (self.high - self.low)


def score_range(values: Sequence[float]) -> tuple[float, float, float]:
    """A y range around the values, on whole steps, and the step between its ticks.

    At least 10 points tall, so a stable model's noise does not fill the chart.
    """
    low, high = min(values), max(values)
    middle = (low + high) / 2
    half = max((high - low) / 2 * 1.1, 5.0)
    low, high = middle - half, middle + half
    step = next((s for s in _Y_STEPS if (high - low) / s <= MAX_Y_TICKS), _Y_STEPS[-1])
    while (high - low) / step > MAX_Y_TICKS:
        step *= 10
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def y_ticks(low: float, high: float, step: float) -> list[float]:
    """The values of the horizontal grid lines."""
    count = round((high - low) / step)
    return [low + i * step for i in range(count + 1)]


def time_range(times: Sequence[float]) -> tuple[float, float]:
    """The first and last time, at least a day apart (a one-night history still has a width)."""
    first, last = min(times), max(times)
    if last - first < DAY:
        middle = (first + last) / 2
        return middle - DAY / 2, middle + DAY / 2
    return first, last


def date_ticks(first: float, last: float) -> list[tuple[float, str]]:
    """Tick times and their labels: whole UTC days or month starts, at most MAX_X_TICKS."""
    days = (last - first) / DAY
    for step in _DAY_STEPS:
        if days / step <= MAX_X_TICKS:
            start = math.ceil(first / DAY) * DAY
            count = int((last - start) // (step * DAY)) + 1
            return [
                (start + i * step * DAY, _label(start + i * step * DAY, "%Y-%m-%d"))
                for i in range(count)
            ]
    months = days / 30.44
    step = next((s for s in _MONTH_STEPS if months / s <= MAX_X_TICKS), _MONTH_STEPS[-1])
    begin = datetime.fromtimestamp(first, tz=timezone.utc)
    index = begin.year * 12 + begin.month  # the month after the first one's start
    index += (-index) % step  # on a multiple of the step, so ticks fall on quarters, years
    ticks: list[tuple[float, str]] = []
    while True:
        year, month = divmod(index, 12)
        at = datetime(year, month + 1, 1, tzinfo=timezone.utc).timestamp()
        if at > last:
            return ticks
        ticks.append((at, _label(at, "%Y-%m" if step < 12 else "%Y")))
        index += step


def _label(at: float, pattern: str) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime(pattern)


def number(value: float) -> str:
    """A pixel coordinate with one decimal, no trailing `.0` (the pages stay small)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text

"""Replay the gate over a model's history: the verdict it would have given after each run."""

from __future__ import annotations

from dataclasses import dataclass

from trendgate.series import Series
from trendgate.settings import Settings
from trendgate.trend import Trend, judge


@dataclass(frozen=True)
class Replay:
    """One model's verdicts, the k-th judged on its first k runs."""

    model: str
    verdicts: tuple[Trend, ...]

    @property
    def failures(self) -> tuple[Trend, ...]:
        """The verdicts that would have failed the gate."""
        return tuple(v for v in self.verdicts if v.status == "regression")

    @property
    def inconclusive(self) -> tuple[Trend, ...]:
        """The verdicts that were inconclusive (only with a confidence level)."""
        return tuple(v for v in self.verdicts if v.status == "inconclusive")


def replay(series: Series, settings: Settings) -> Replay:
    """Judge every prefix of the series, as the gate would have after each run arrived."""
    verdicts = tuple(
        judge(Series(series.model, series.runs[:k]), settings)
        for k in range(1, len(series.runs) + 1)
    )
    return Replay(series.model, verdicts)

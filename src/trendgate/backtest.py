"""Replay the gate over a model's history: the verdict it would have given after each run."""

from __future__ import annotations

from dataclasses import dataclass

from trendgate.config_rules import settings_with
from trendgate.pinchbench import Run
from trendgate.settings import Settings
from trendgate.trend import Status, decide
from trendgate.window import Series


@dataclass(frozen=True)
class Verdict:
    """What the gate would have said once `after` had arrived."""

    after: Run
    status: Status
    slope: float | None
    run_count: int  # runs in the window it judged


@dataclass(frozen=True)
class Replay:
    """One model's verdicts, the k-th given on its first k runs."""

    model: str
    verdicts: tuple[Verdict, ...]

    @property
    def failures(self) -> tuple[Verdict, ...]:
        """The verdicts that would have failed the gate."""
        return tuple(v for v in self.verdicts if v.status == "regression")

    @property
    def inconclusive(self) -> tuple[Verdict, ...]:
        """The verdicts that were inconclusive (only with a confidence level)."""
        return tuple(v for v in self.verdicts if v.status == "inconclusive")


def replay(series: Series, settings: Settings) -> Replay:
    """Judge every prefix of the series, as the gate would have after each run arrived.

    Only the verdict is replayed, not the evidence reports show beside it.
    """
    settings = settings_with(series.rules, settings)
    verdicts = []
    for k in range(1, len(series.runs) + 1):
        judged = decide(Series(series.model, series.runs[:k]), settings)
        slope = None if judged.fit is None else judged.fit.slope
        verdicts.append(Verdict(series.runs[k - 1], judged.status, slope, len(judged.window)))
    return Replay(series.model, tuple(verdicts))

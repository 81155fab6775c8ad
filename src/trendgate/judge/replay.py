"""Replay the gate over a model's history: the verdict it would have given after each run."""

from __future__ import annotations

from trendgate.judge.trend import rule_on
from trendgate.model import Replay, Series, PastVerdict
from trendgate.rules import settings_with
from trendgate.settings import Settings


def replay(series: Series, settings: Settings) -> Replay:
    """Judge every prefix of the series, as the gate would have after each run arrived.

    Only the verdict is replayed, not the evidence reports show beside it.
    """
    settings = settings_with(series.rules, settings)
    verdicts = []
    for k in range(1, len(series.runs) + 1):
        judged = rule_on(Series(series.model, series.runs[:k]), settings)
        slope = None if judged.fit is None else judged.fit.slope
        verdicts.append(PastVerdict(series.runs[k - 1], judged.verdict, slope, len(judged.window)))
    return Replay(series.model, tuple(verdicts))

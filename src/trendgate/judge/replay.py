"""Replay the gate over a model's history: the verdict it would have given after each run."""

from __future__ import annotations

from dataclasses import replace

from trendgate.judge.comparability import comparable_starts
from trendgate.judge.pooled import Timeline, as_of
from trendgate.judge.trend import rule_on
from trendgate.model import PastVerdict, Replay, Series
from trendgate.settings import Settings


def replay(series: Series, settings: Settings, family: Timeline | None = None) -> Replay:
    """Judge every prefix of the series, as the gate would have after each run arrived.

    Only the verdict is replayed, not the evidence reports show beside it. `settings` are the
    series' own (Series.settings in the flow). Each prefix is judged by trend.rule_on itself;
    only where the runs comparable with the prefix's latest begin is carried from one prefix to
    the next (comparability.comparable_starts). `family` is the family pooled night by night (budget
    rule): each night is judged with it as of its run, never later.
    """
    runs = series.runs
    verdicts = []
    for k, start in enumerate(comparable_starts(runs), start=1):
        tonight = settings
        if family is not None and settings.family is not None:
            pooled = as_of(family, runs[k - 1].timestamp)
            tonight = replace(settings, family=replace(settings.family, pooled=pooled))
        judged = rule_on(Series(series.model, runs[:k]), tonight, runs[start:k])
        slope = None if judged.fit is None else judged.fit.slope
        verdicts.append(PastVerdict(runs[k - 1], judged.verdict, slope, len(judged.window)))
    return Replay(series.model, tuple(verdicts))

"""Replay the gate over a model's history: the verdict it would have given after each run."""

from __future__ import annotations

from dataclasses import replace

from trendgate.judge.comparability import comparability_key
from trendgate.judge.pooled import Timeline, as_of
from trendgate.judge.trend import rule_on
from trendgate.model import PastVerdict, Replay, Series
from trendgate.settings import Settings


def replay(series: Series, settings: Settings, family: Timeline | None = None) -> Replay:
    """Judge every prefix of the series, as the gate would have after each run arrived.

    Only the verdict is replayed, not the evidence reports show beside it. `settings` are the
    series' own (Series.settings in the flow). Each prefix is judged by trend.rule_on itself;
    only the runs comparable with the prefix's latest are carried from one prefix to the next
    (each run's task set compared once, not once per later run: a year of nights compared
    every run with every earlier one). `family` is the family pooled night by night (budget
    rule): each night is judged with it as of its run, never later.
    """
    runs = series.runs
    keys = [comparability_key(r) for r in runs]
    start = 0  # the first run comparable with the latest one so far
    verdicts = []
    for k in range(1, len(runs) + 1):
        if k >= 2 and keys[k - 1] != keys[k - 2]:
            start = k - 1
        tonight = settings
        if family is not None and settings.family is not None:
            pooled = as_of(family, runs[k - 1].timestamp)
            tonight = replace(settings, family=replace(settings.family, pooled=pooled))
        judged = rule_on(Series(series.model, runs[:k]), tonight, runs[start:k])
        slope = None if judged.fit is None else judged.fit.slope
        verdicts.append(PastVerdict(runs[k - 1], judged.verdict, slope, len(judged.window)))
    return Replay(series.model, tuple(verdicts))

"""The family's autocorrelation: every model's comparable look-back pooled, now or as of a night.

One model's 28 look-back runs estimate a lag-1 autocorrelation with a standard deviation near
0.2, too loose to tell independent runs from AR(1) ones at 0.3; the family's models together
(the models the budget counts) estimate it near 0.04 (docs/statistics.md, "Autocorrelated
runs").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from trendgate.judge import budget
from trendgate.judge.comparability import comparability_key, comparable_runs
from trendgate.judge.trend import own_lags
from trendgate.model import Series

# (time, the pooled autocorrelation from the runs at or before it), in time order.
Timeline = tuple[tuple[float, float | None], ...]


def pooled(family: Sequence[Series]) -> float | None:
    """The lag-1 autocorrelation pooled over the family's series as they stand."""
    total = budget.Lags()
    for s in family:
        total = total + own_lags(comparable_runs(s.runs), s.settings)
    return total.autocorrelation


def timeline(family: Sequence[Series]) -> Timeline:
    """The pooled autocorrelation as of each run's time, each model's share as of its runs so far.

    Each run replaces its model's share in running sums, so a night costs one model's look-back
    and one estimate, not the family's (a backtest needs every night).
    """
    events = []
    for index, s in enumerate(family):
        keys = [comparability_key(r) for r in s.runs]
        start = 0  # the first run comparable with the latest one so far, as replay.replay
        depth = s.settings.look_back
        for k in range(1, len(s.runs) + 1):
            if k >= 2 and keys[k - 1] != keys[k - 2]:
                start = k - 1
            ys = [r.score_pct for r in s.runs[max(start, k - depth) : k]]
            events.append((s.runs[k - 1].timestamp, index, budget.lags(ys)))
    events.sort(key=lambda e: (e[0], e[1]))  # stable: one model's runs keep their order
    shares: dict[int, budget.Lags] = {}
    lag = rss = 0.0
    counts: dict[int, int] = {}
    out: list[tuple[float, float | None]] = []
    for moment, index, share in events:
        old = shares.get(index, budget.Lags())
        lag += share.lag - old.lag
        rss += share.rss - old.rss
        for n in old.lengths:
            counts[n] -= 1
        for n in share.lengths:
            counts[n] = counts.get(n, 0) + 1
        shares[index] = share
        rho = budget.matched_autocorrelation(lag, rss, {n: c for n, c in counts.items() if c})
        if out and out[-1][0] == moment:
            out[-1] = (moment, rho)
        else:
            out.append((moment, rho))
    return tuple(out)


def as_of(line: Timeline, moment: float) -> float | None:
    """The pooled autocorrelation from the runs at or before `moment` (None before any)."""
    at = bisect_right(line, moment, key=lambda e: e[0])
    return line[at - 1][1] if at else None

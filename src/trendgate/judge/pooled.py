"""The family's autocorrelation: every model's comparable look-back pooled, now or any night.

One model's 28 look-back runs estimate a lag-1 autocorrelation with a standard deviation near
0.27, too loose to tell independent runs from AR(1) ones at 0.3; the family's models together
(the models the budget counts: twenty give about 0.06) can (docs/statistics.md,
"Autocorrelated runs").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from trendgate.judge import autocorrelation
from trendgate.judge.comparability import comparable_runs, comparable_starts
from trendgate.judge.trend import own_lags
from trendgate.model import Series
from trendgate.settings import Pooled

# (time, the family pooled from the runs at or before it), in time order.
Timeline = tuple[tuple[float, Pooled], ...]


def pooled(family: Sequence[Series]) -> Pooled:
    """The family's series as they stand, pooled (autocorrelation.share of each)."""
    total = Pooled()
    for s in family:
        total = total + autocorrelation.share(own_lags(comparable_runs(s.runs), s.settings))
    return total


def timeline(family: Sequence[Series]) -> Timeline:
    """The family pooled as of each run's time, each model's share as of its runs so far.

    Each run replaces its model's share in the running sums, so a night costs one model's
    look-back, not the family's (a backtest needs every night).
    """
    events = []
    for index, s in enumerate(family):
        for k, start in enumerate(comparable_starts(s.runs), start=1):
            share = autocorrelation.share(own_lags(s.runs[start:k], s.settings))
            events.append((s.runs[k - 1].timestamp, index, share))
    events.sort(key=lambda e: (e[0], e[1]))  # stable: one model's runs keep their order
    shares: dict[int, Pooled] = {}
    total = Pooled()
    out: list[tuple[float, Pooled]] = []
    for moment, index, part in events:
        total = total - shares.get(index, Pooled()) + part
        shares[index] = part
        if out and out[-1][0] == moment:
            out[-1] = (moment, total)
        else:
            out.append((moment, total))
    return tuple(out)


def as_of(line: Timeline, moment: float) -> Pooled | None:
    """The family pooled from the runs at or before `moment` (None before any)."""
    at = bisect_right(line, moment, key=lambda e: e[0])
    return line[at - 1][1] if at else None

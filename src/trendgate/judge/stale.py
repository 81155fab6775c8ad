"""Stale: flag a series that stopped while the others went on (renamed, retired, or failing).

PinchBench writes no result file when a run's sanity task scores 0, so a model that breaks
does not show up as a low score: it stops. Its last verdict stands, and this says so.
"""

from __future__ import annotations

import bisect
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from trendgate.model import Stale, Stop
from trendgate.settings import DAY

USUAL_INTERVALS = 3  # a series is stale after this many of its usual intervals without a run
FLOOR_DAYS = 2.0  # never sooner: a nightly job that skips one night is not a stopped series


@dataclass(frozen=True)
class Pace:
    """One series' run times, oldest first, and its settings' `stale_after` in days."""

    model: str
    times: Sequence[float]
    window: int
    stale_after: float | None = None


def usual_interval(times: Sequence[float]) -> float | None:
    """The median time between consecutive runs, or None with fewer than two runs."""
    gaps = _gaps(times)
    return statistics.median(gaps) if gaps else None


def limit_days(window: Sequence[float], pooled: float | None, stale_after: float | None) -> float:
    """Days without a run that make a series stale, given its window's run times."""
    if stale_after is not None:
        return stale_after
    interval = usual_interval(window)
    interval = pooled if interval is None else interval
    return max(FLOOR_DAYS, USUAL_INTERVALS * (interval or 0.0) / DAY)


def pooled_interval(paces: Sequence[Pace]) -> float | None:
    """The median interval over every series' window, for a series that has one run."""
    gaps = [g for p in paces for g in _gaps(p.times[-p.window :])]
    return statistics.median(gaps) if gaps else None


def stale_series(paces: Sequence[Pace]) -> tuple[Stale, ...]:
    """The series whose newest run is older than the others' newest by more than their limit.

    Linear in the series: the others' newest is the newest of all, or the runner-up for the
    series that holds it.
    """
    pooled = pooled_interval(paces)
    newest = sorted(((p.times[-1], i) for i, p in enumerate(paces) if p.times), reverse=True)
    found = []
    for i, pace in enumerate(paces):
        others = [t for t, j in newest[:2] if j != i]
        if not pace.times or not others:
            continue
        since = pace.times[-1]
        limit = limit_days(pace.times[-pace.window :], pooled, pace.stale_after)
        if others[0] - since > limit * DAY:
            found.append(Stale(pace.model, since, others[0], limit))
    return tuple(found)


def behind_clock(paces: Sequence[Pace], now: float) -> float | None:
    """The newest run of all when every series is past its stale limit as of `now`, else None.

    Staleness between series cannot see a history that no one adds to any more: this can.
    """
    pooled = pooled_interval(paces)
    ends = [p for p in paces if p.times]
    for pace in ends:
        limit = limit_days(pace.times[-pace.window :], pooled, pace.stale_after)
        if now - pace.times[-1] <= limit * DAY:
            return None
    return max((p.times[-1] for p in ends), default=None)


def stops(paces: Sequence[Pace]) -> tuple[Stop, ...]:
    """Every time a series would have been flagged stale, as of each run of the other series.

    The limit is the one the gate had then: from the window that ended at the series' last
    run before that moment (a one-run series uses the pooled interval of the whole history).
    Each of a series' runs is looked up once in the sorted runs of all series (n log n): it is
    flagged at the first run of another series past its limit, if that comes before its next.
    """
    pooled = pooled_interval(paces)
    runs = Counter(t for p in paces for t in p.times)
    moments = sorted(runs)
    found = []
    for pace in paces:
        times = list(pace.times)
        own = Counter(times)
        for at, since in enumerate(times):
            if at + 1 < len(times) and times[at + 1] == since:
                continue  # the same moment twice: judged at the last of them
            window = times[max(0, at + 1 - pace.window) : at + 1]
            due = since + limit_days(window, pooled, pace.stale_after) * DAY
            resumed = times[at + 1] if at + 1 < len(times) else None
            k = bisect.bisect_right(moments, due)
            # A moment only this series ran at is its own next run, where the search ends.
            while k < len(moments) and runs[moments[k]] == own[moments[k]]:
                if resumed is not None and moments[k] >= resumed:
                    break
                k += 1
            if k == len(moments) or (resumed is not None and moments[k] >= resumed):
                continue
            found.append(Stop(pace.model, since, moments[k], resumed))
    return tuple(found)


def _gaps(times: Sequence[float]) -> list[float]:
    return [b - a for a, b in pairwise(times)]

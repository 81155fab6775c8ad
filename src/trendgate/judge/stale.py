"""Stale: flag a series that stopped while the others went on (renamed, retired, or failing).

PinchBench writes no result file when a run's sanity task scores 0, so a model that breaks
does not show up as a low score: it stops. Its last verdict stands, and this says so.
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from trendgate.model import Stale, Stop

DAY = 86_400.0
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
    """The series whose newest run is older than the others' newest by more than their limit."""
    pooled = pooled_interval(paces)
    found = []
    for pace in paces:
        others = [p.times[-1] for p in paces if p is not pace and p.times]
        if not pace.times or not others:
            continue
        newest, since = max(others), pace.times[-1]
        limit = limit_days(pace.times[-pace.window :], pooled, pace.stale_after)
        if newest - since > limit * DAY:
            found.append(Stale(pace.model, since, newest, limit))
    return tuple(found)


def stops(paces: Sequence[Pace]) -> tuple[Stop, ...]:
    """Every time a series would have been flagged stale, as of each run of the other series.

    The limit is the one the gate had then: from the window that ended at the series' last
    run before that moment (a one-run series uses the pooled interval of the whole history).
    """
    pooled = pooled_interval(paces)
    found = []
    for pace in paces:
        others = sorted({t for p in paces if p is not pace for t in p.times})
        times = list(pace.times)
        flagged_since: float | None = None
        for moment in others:
            at = bisect.bisect_right(times, moment)
            if at == 0:
                continue  # it had not started yet
            since = times[at - 1]
            if since == flagged_since:
                continue
            window = times[max(0, at - pace.window) : at]
            if moment - since > limit_days(window, pooled, pace.stale_after) * DAY:
                resumed = times[at] if at < len(times) else None
                found.append(Stop(pace.model, since, moment, resumed))
                flagged_since = since
    return tuple(found)


def _gaps(times: Sequence[float]) -> list[float]:
    return [b - a for a, b in pairwise(times)]

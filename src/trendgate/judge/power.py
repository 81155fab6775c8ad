"""What a verdict rule costs: its false alarms on a flat model, the slope it catches, its window."""

from __future__ import annotations

import math
import random
import statistics
from bisect import bisect_left
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import pairwise

from trendgate.judge.tdist import t_ppf

_NORMAL = statistics.NormalDist()
POWER = 0.8  # the power of the reported detectable slope
# The guarded gate's false-alarm rate has no closed form: it is counted over this many seeded
# null series (common random numbers), 0.2 points of standard error at a rate of 2 %.
NULL_DRAWS = 4000
NULL_SEED = 16
_SIMPSON_INTERVALS = 200  # per piece of the chi-square expectation (even)


def fail_probability(
    slope: float, threshold: float, slope_sd: float, t_crit: float | None, df: int
) -> float:
    """P(estimate < threshold and, when t_crit is given, estimate / stderr < -t_crit).

    The estimate is normal around the true `slope` with standard deviation `slope_sd`; its
    stderr is slope_sd * sqrt(V / df) with V ~ chi-square(df), independent of it. Without
    t_crit this is the default gate's normal probability; with it, an expectation over V
    (the noncentral t distribution when the threshold does not bind).
    """
    if slope_sd == 0:
        return float(slope < threshold)
    shift = (threshold - slope) / slope_sd
    if t_crit is None:
        return _NORMAL.cdf(shift)
    crit = t_crit
    # The threshold binds for V below this, the t test above it.
    kink = df * ((-slope / slope_sd - shift) / crit) ** 2 if -slope / slope_sd > shift else None
    return _chi2_mean(
        lambda v: _NORMAL.cdf(min(shift, -crit * math.sqrt(v / df) - slope / slope_sd)), df, kink
    )


def detectable_slope(
    threshold: float, slope_sd: float, t_crit: float | None, df: int, power: float = POWER
) -> float:
    """The true slope below 0 that the rule catches with probability `power`."""
    if slope_sd == 0:  # no noise: every slope below the threshold is caught
        return min(threshold, 0.0)
    low, high = -1.0, 0.0
    while fail_probability(low * slope_sd, threshold, slope_sd, t_crit, df) < power:
        low, high = 2 * low, low
    while high - low > 1e-6 * -low:  # fail_probability falls as the slope rises: bisect
        mid = (low + high) / 2
        if fail_probability(mid * slope_sd, threshold, slope_sd, t_crit, df) >= power:
            low = mid
        else:
            high = mid
    return low * slope_sd


def _chi2_mean(g: Callable[[float], float], df: int, kink: float | None = None) -> float:
    """E[g(V)], V ~ chi-square(df), by Simpson's rule in log V (weights renormalised).

    `kink` is a V where g has a corner; the range is split there, so each piece is smooth.
    """
    centre = math.log(df)
    low = centre - 40 / df - 8 * math.sqrt(2 / df)
    high = centre + max(10 * math.sqrt(2 / df), math.log1p(80 / df))
    cuts = [low, high]
    if kink is not None and kink > 0 and low < math.log(kink) < high:
        cuts.insert(1, math.log(kink))
    # Few degrees of freedom spread log V wide: more intervals keep the step fine.
    intervals = 2 * max(_SIMPSON_INTERVALS // 2, 1000 // df)
    total = weights = 0.0
    for start, end in pairwise(cuts):
        step = (end - start) / intervals
        for j in range(intervals + 1):
            y = start + j * step
            simpson = 1 if j in (0, intervals) else 4 if j % 2 else 2
            v = math.exp(y)
            w = simpson * step * math.exp(df / 2 * (y - centre) - (v - df) / 2)  # log V's density
            total += w * g(v)
            weights += w
    return total / weights


def guarded_false_alarm_rate(
    xs: Sequence[float], threshold_per_sd: float, confidence: float, pooled_df: int
) -> float:
    """P(a trendless series fails the guarded gate), by seeded simulation.

    The gate: slope below the threshold, interval below 0, and both still true with the most
    influential point left out. Noise sd 1 (so the threshold is in noise sds); `pooled_df`
    earlier degrees of freedom join the window's. Only the threshold depends on the noise,
    so each x layout is simulated once and every model's rate is a look-up.
    """
    slopes = _guarded_null(tuple(xs), confidence, pooled_df)
    return bisect_left(slopes, threshold_per_sd) / NULL_DRAWS


@lru_cache(maxsize=64)
def _guarded_null(xs: tuple[float, ...], confidence: float, pooled_df: int) -> list[float]:
    """For each null draw passing both t tests, the larger of its two slopes; sorted.

    The left-out fits use the closed forms (slope and RSS without point i from its residual
    and leverage), which equal refitting (tests check it) at O(n) a draw instead of O(n^2).
    """
    n = len(xs)
    mean = sum(xs) / n
    xc = [x - mean for x in xs]
    sxx = sum(c * c for c in xc)
    keep = [1 - 1 / n - c * c / sxx for c in xc]  # 1 - leverage
    sxx_rest = [sxx - c * c * n / (n - 1) for c in xc]
    # A point of leverage 1 leaves no fit behind (its x is the only distinct one): not a candidate.
    candidates = [j for j in range(n) if keep[j] > 1e-12 and sxx_rest[j] > 0]
    df, rest_df = n - 2 + pooled_df, n - 3 + pooled_df
    crit = t_ppf((1 + confidence) / 2, df)
    crit_rest = t_ppf((1 + confidence) / 2, rest_df) if n > 3 else math.inf
    rng = random.Random(NULL_SEED)
    passing = []
    for _ in range(NULL_DRAWS):
        ys = [rng.gauss(0.0, 1.0) for _ in xs]
        earlier = 2 * rng.gammavariate(pooled_df / 2, 1.0) if pooled_df else 0.0
        y_mean = sum(ys) / n
        slope = sum(c * y for c, y in zip(xc, ys, strict=True)) / sxx
        res = [y - y_mean - slope * c for c, y in zip(xc, ys, strict=True)]
        rss = sum(r * r for r in res)
        if not candidates or slope >= 0 or slope * slope * sxx * df <= crit**2 * (rss + earlier):
            continue  # the whole window is no significant decline
        i = max(candidates, key=lambda j: -xc[j] * res[j] / keep[j])
        rest = slope - xc[i] * res[i] / (sxx * keep[i])
        rest_rss = rss - res[i] * res[i] / keep[i] + earlier
        if rest < 0 and rest * rest * sxx_rest[i] * rest_df > crit_rest**2 * rest_rss:
            passing.append(max(slope, rest))
    return sorted(passing)


def window_for_power(
    slope: float,
    threshold: float,
    sd: float,
    spacing: float,
    confidence: float | None,
    pooled_df: int,
    limit: int = 1000,
) -> int | None:
    """Fewest evenly spaced runs whose rule would catch a true `slope` with 80 % power.

    None when no window up to `limit` would, or the slope is not below the threshold (the
    power then need not grow with the window).
    """
    if slope >= min(threshold, 0) or sd <= 0 or spacing <= 0:
        return None

    def caught(n: int) -> bool:
        slope_sd = sd / (spacing * math.sqrt(n * (n * n - 1) / 12))
        df = n - 2 + pooled_df
        crit = None if confidence is None else t_ppf((1 + confidence) / 2, df)
        return fail_probability(slope, threshold, slope_sd, crit, df) >= POWER

    low = high = 3
    while not caught(high):  # the power grows with the window: double, then bisect
        if high >= limit:
            return None
        low, high = high, min(2 * high, limit)
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if caught(mid) else (mid, high)
    return high

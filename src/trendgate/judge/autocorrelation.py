"""The lag-1 autocorrelation of a model's runs, and what the budget rule's tests do about it.

Line fits over blocks of runs leave residuals whose lag-1 products, over their sum of squares,
say how much each run carries over into the next; their exact expectation for AR(1) runs turns
that ratio into an estimate (matched). The budget rule pools it over the family
(judge/pooled.py) and widens its standard errors above AR_FLOOR.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from trendgate.settings import Blocks, Family, Lags, Pooled

# The autocorrelation is pooled over the family (every model the budget counts): from one
# model's 28 runs the estimate's standard deviation is near 0.27, from twenty models' near 0.06
# (0.08 at rho 0.3), so a floor of 0.2 (issue 24's) widens AR(1) runs at 0.3 on nine nights in
# ten and independent ones almost never (docs/statistics.md, "Autocorrelated runs").
AR_FLOOR = 0.2
AR_CAP = 0.9  # the widening's autocorrelation is capped: beyond it the factor explodes
NOISE_BLOCK = 10  # runs per line fit of the history (the noise's too), as stats.block_pool
MIN_DF = 20  # residual degrees of freedom an estimate needs (one model's 30 runs give 22)


def lags(ys: Sequence[float]) -> Lags:
    """Lags of a model's comparable look-back: its runs before the latest two, in line fits over
    blocks of NOISE_BLOCK from the last back.

    The latest two are left out so that a step there does not read as autocorrelation.
    """
    lag = rss = 0.0
    counts: dict[int, int] = {}
    end = len(ys) - 2
    while end >= 3:
        start = max(0, end - NOISE_BLOCK)
        res = line_residuals([float(i) for i in range(end - start)], ys[start:end])
        if res:
            lag += sum(a * b for a, b in pairwise(res))
            rss += sum(r * r for r in res)
            counts[end - start] = counts.get(end - start, 0) + 1
        end = start
    return Lags(lag, rss, tuple(sorted(counts.items())))


# Where the expected ratio rises with rho for every block length, in steps of 0.005.
GRID = tuple(-0.6 + 0.005 * i for i in range(311))
# Added to the estimate: the mean of the models' ratios understates rho (for 20 models of 28
# AR(1) runs, 0.268 at 0.3, 0.450 at 0.5, 0.00 at 0) and its spread (0.06-0.07) leaves some
# nights at 0.3 below AR_FLOOR. With it rho 0.3 gives 1.74 false alarms a month for a budget
# of 1 (2.60 without, 2.15 dividing by 0.9), and independent runs are widened on about 0.3 %
# of nights (bench/budget_design.py; docs/statistics.md, "Autocorrelated runs").
MARGIN = 0.05


@lru_cache(maxsize=64)
def _moments(n: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """E[residual SS] and E[lag-1 products] of a line fit to n AR(1) runs, over the variance,
    as polynomials in rho (coefficients of rho^0 .. rho^(n-1)).

    With M = I - H the residual maker and U the lag matrix (ones above the diagonal), they are
    tr(M S) and tr(U M S M), S_ij = rho^|i-j|: linear in S, so sums of M (and of M U M) over
    each diagonal |i - j| = k.
    """
    mid = (n - 1) / 2
    sxx = sum((i - mid) ** 2 for i in range(n))
    m = [[(i == j) - 1 / n - (i - mid) * (j - mid) / sxx for j in range(n)] for i in range(n)]
    mum = [[sum(m[i][t] * m[t + 1][j] for t in range(n - 1)) for j in range(n)] for i in range(n)]
    rss = [0.0] * n
    lag = [0.0] * n
    for i in range(n):
        for j in range(n):
            rss[abs(i - j)] += m[i][j]
            lag[abs(i - j)] += mum[i][j]
    return tuple(rss), tuple(lag)


def share(lags: Lags) -> Pooled:
    """A model's part of the family's estimate: its ratio lag / rss, weighted by its residual
    degrees of freedom in blocks of four runs or more (three runs' residuals say nothing of rho:
    any three lie on a line but for one shape)."""
    df = sum(c * (n - 2) for n, c in lags.blocks if n >= 4)
    if not df or not lags.rss > 0:
        return Pooled()
    return Pooled(df * lags.lag / lags.rss, ((lags.blocks, df),))


@lru_cache(maxsize=256)
def _curve(blocks: Blocks) -> tuple[float, ...]:
    """The expected ratio E[lag] / E[rss] of line fits over these blocks, at each of GRID."""
    size = max(n for n, _ in blocks)
    a, b = [0.0] * size, [0.0] * size
    for n, times in blocks:
        poly_a, poly_b = _moments(n)
        for k in range(n):
            a[k] += times * poly_a[k]
            b[k] += times * poly_b[k]
    out = []
    for rho in GRID:
        lag = rss = 0.0
        for k in range(size - 1, -1, -1):  # Horner
            lag, rss = lag * rho + b[k], rss * rho + a[k]
        out.append(lag / rss)
    return tuple(out)


def estimate(pooled: Pooled) -> float | None:
    """The rho at which AR(1) runs expect the models' pooled ratio, plus MARGIN.

    Residuals of short line fits hide much of a positive autocorrelation (a fit follows slow
    wanders), so the ratio alone understates it; its exact expectation for each model's blocks
    does not, but for the ratio's own skew (MARGIN). Each model weighs by its residuals, not their
    squares, so a noisy model or one with a step counts as much as its runs. Kept within
    GRID; None with fewer than MIN_DF residual degrees of freedom.
    """
    curves = [(_curve(blocks), w) for blocks, w in pooled.layouts]
    weight = sum(w for _, w in curves)
    if weight < MIN_DF:
        return None
    target = pooled.total / weight

    def mean(i: int) -> float:
        return sum(curve[i] * w for curve, w in curves) / weight

    low, high = 0, len(GRID) - 1  # the expected ratio rises with rho along GRID
    if mean(low) >= target:
        return GRID[low] + MARGIN
    if mean(high) <= target:
        return GRID[high] + MARGIN
    while high - low > 1:
        mid = (low + high) // 2
        if mean(mid) > target:
            high = mid
        else:
            low = mid
    below, above = mean(low), mean(high)
    rho = GRID[low] + (GRID[high] - GRID[low]) * (target - below) / (above - below)
    return rho + MARGIN


def allowed_for(family: Family | None, own: Lags) -> float | None:
    """The autocorrelation a model's tests allow for: the other models' of its family, pooled.

    Not its own: a model's step or collapse, once past its latest two runs, reads as
    autocorrelation and would widen the very tests that should catch it. None (nothing
    widened) without enough of the others' runs, a model judged alone included.
    """
    if family is None or family.pooled is None:
        return None
    return estimate(family.pooled - share(own))


def widening(rho: float | None) -> float:
    """The standard errors' factor for AR(1) runs: sqrt((1 + rho) / (1 - rho)) above AR_FLOOR."""
    if rho is None or rho <= AR_FLOOR:
        return 1.0
    rho = min(rho, AR_CAP)
    return math.sqrt((1 + rho) / (1 - rho))


def line_residuals(xs: Sequence[float], ys: Sequence[float]) -> list[float]:
    """The residuals of a line fit (none below 3 points or with every x alike)."""
    n = len(xs)
    if n < 3:
        return []
    mean_x = sum(xs) / n
    cs = [x - mean_x for x in xs]
    sxx = sum(c * c for c in cs)
    if sxx == 0:
        return []
    mean_y = sum(ys) / n
    slope = sum(c * y for c, y in zip(cs, ys, strict=True)) / sxx
    return [y - mean_y - slope * c for c, y in zip(cs, ys, strict=True)]

"""The statistics behind a verdict, in pure standard-library Python (no SciPy at runtime)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from trendgate.judge.tdist import t_cdf, t_ppf
from trendgate.model import Noise

# How much lower a step's BIC must be than a drift's (and a flat level's). With no margin a
# true linear drift of -1.5 points/run at sd 4.3 was called a step in 17 % of windows of ten
# runs; with 4 (past "positive" on Kass and Raftery's scale), in about 3 %, while a jump of
# 3 sd is still found in a quarter of windows (bench/operating_points.py, docs/statistics.md).
STEP_MARGIN = 4.0


@dataclass(frozen=True)
class Fit:
    """An ordinary least-squares line y = intercept + slope * x."""

    slope: float
    intercept: float
    n: int
    sxx: float  # sum of (x - mean x)^2
    rss: float  # residual sum of squares

    @property
    def df(self) -> int:
        """Residual degrees of freedom."""
        return self.n - 2

    @property
    def residual_sd(self) -> float | None:
        """The residuals' standard deviation; None with no degree of freedom left or overflow."""
        if self.df <= 0 or not math.isfinite(self.rss):
            return None
        return math.sqrt(self.rss / self.df)

    @property
    def stderr(self) -> float | None:
        """Standard error of the slope, or None with fewer than three points."""
        sd = self.residual_sd
        return None if sd is None else sd / math.sqrt(self.sxx)


def ols(xs: Sequence[float], ys: Sequence[float]) -> Fit | None:
    """Least-squares fit of ys on xs; None when there are fewer than two distinct xs."""
    return ols_each(xs, [ys])[0]


def ols_each(xs: Sequence[float], yss: Sequence[Sequence[float]]) -> list[Fit | None]:
    """The least-squares fit of each of `yss` on the same xs (a window's tasks share its xs)."""
    n = len(xs)
    if any(len(ys) != n for ys in yss):
        raise ValueError("xs and ys differ in length")
    if n < 2:
        return [None for _ in yss]
    x_mean = sum(xs) / n
    dxs = [x - x_mean for x in xs]
    # Products, not ** 2: on absurd scores they overflow to inf instead of raising.
    sxx = sum([dx * dx for dx in dxs])
    if sxx == 0:
        return [None for _ in yss]
    return [_fit(dxs, x_mean, sxx, ys) for ys in yss]


def _fit(dxs: list[float], x_mean: float, sxx: float, ys: Sequence[float]) -> Fit:
    y_mean = sum(ys) / len(ys)
    slope = sum([dx * (y - y_mean) for dx, y in zip(dxs, ys, strict=True)]) / sxx
    intercept = y_mean - slope * x_mean
    residuals = [y - y_mean - slope * dx for dx, y in zip(dxs, ys, strict=True)]
    return Fit(slope, intercept, len(ys), sxx, sum([r * r for r in residuals]))


@dataclass(frozen=True)
class Pool:
    """Residual sums of squares of earlier runs, to be pooled with a window's own."""

    rss: float = 0.0
    df: int = 0
    runs: int = 0


def noise(fit: Fit, pool: Pool = Pool()) -> Noise | None:
    """The fit's residual noise, pooled with `pool`; None when the fit has no residual left."""
    rss = fit.rss + pool.rss
    if fit.df <= 0 or not math.isfinite(rss):
        return None
    source = "history" if pool.df else "window"
    return Noise(math.sqrt(rss / (fit.df + pool.df)), fit.df + pool.df, source, fit.n + pool.runs)


def block_pool(xs: Sequence[float], ys: Sequence[float], block: int) -> Pool:
    """Pooled line-fit residuals over consecutive blocks of `block` points, from the last back.

    Each block gets its own line, so a trend (or a step between blocks) does not inflate the
    estimate; a leftover block of fewer than three points has no residual and is dropped.
    """
    rss, df, runs = 0.0, 0, 0
    end = len(xs)
    while end >= 3:
        start = max(0, end - block)
        fit = ols(xs[start:end], ys[start:end])
        if fit is not None and fit.df > 0:
            rss, df, runs = rss + fit.rss, df + fit.df, runs + fit.n
        end = start
    return Pool(rss, df, runs)


def slope_stderr(fit: Fit, used: Noise) -> float:
    """Standard error of the slope at the given noise."""
    return used.sd / math.sqrt(fit.sxx)


def interval(fit: Fit, used: Noise, confidence: float) -> tuple[float, float]:
    """Two-sided t interval for the slope at the given noise and its degrees of freedom."""
    margin = t_ppf((1 + confidence) / 2, used.df) * slope_stderr(fit, used)
    return (fit.slope - margin, fit.slope + margin)


def p_decline(fit: Fit, used: Noise) -> float | None:
    """One-sided p-value against "slope >= 0": P(T <= slope / stderr), T ~ t(df)."""
    se = slope_stderr(fit, used)
    if se == 0:  # a perfect line: the sign is certain, or there is nothing to test
        return 0.0 if fit.slope < 0 else 1.0 if fit.slope > 0 else None
    return t_cdf(fit.slope / se, used.df)


@dataclass(frozen=True)
class LeftOut:
    """The fit without one point: which point, and the rest's fit."""

    index: int
    fit: Fit


def most_influential(xs: Sequence[float], ys: Sequence[float]) -> LeftOut | None:
    """The point whose removal raises the slope most (toward 0 for a decline), and the rest."""
    best: LeftOut | None = None
    for i, fit in enumerate(leave_one_out(xs, ys)):
        if fit is not None and (best is None or fit.slope > best.fit.slope):
            best = LeftOut(i, fit)
    return best


def holm(p_values: Sequence[float], level: float) -> list[bool]:
    """Which hypotheses Holm's step-down procedure rejects at family-wise error `level`."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    rejected = [False] * len(p_values)
    for rank, i in enumerate(order):
        if p_values[i] > level / (len(p_values) - rank):
            break
        rejected[i] = True
    return rejected


def theil_sen(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Median of the pairwise slopes over pairs with distinct x; None when there is none."""
    slopes = [
        (ys[j] - ys[i]) / (xs[j] - xs[i])
        for i in range(len(xs))
        for j in range(len(xs))
        if xs[j] > xs[i]
    ]
    return statistics.median(slopes) if slopes else None


def leave_one_out(xs: Sequence[float], ys: Sequence[float]) -> list[Fit | None]:
    """The fit with each point left out in turn."""
    return [ols([*xs[:i], *xs[i + 1 :]], [*ys[:i], *ys[i + 1 :]]) for i in range(len(xs))]


@dataclass(frozen=True)
class Step:
    """A single change between two flat levels: points [0, at) then [at, n)."""

    at: int
    size: float  # mean after minus mean before


def step_or_drift(xs: Sequence[float], ys: Sequence[float]) -> Step | None:
    """The step, when it explains the points clearly better than a flat level or a line.

    BIC = n ln(RSS/n) + k ln n with k = 1 (flat), 2 (line), 4 (step), and the step's must be
    lower by STEP_MARGIN. The step's location counts twice: it is searched over, not fitted.
    Each level needs two points, so one outlying run is no step.
    """
    n = len(ys)
    if n < 4:
        return None
    # RSS can be exactly 0 (a perfect fit); a floor far below any real noise keeps ln finite.
    floor = 1e-18 * n * max(1.0, max(y * y for y in ys))

    def bic(rss: float, k: int) -> float:
        return n * math.log(max(rss, floor) / n) + k * math.log(n)

    before = _running_ss(ys)
    after = _running_ss(ys[::-1])[::-1]
    at = min(range(2, n - 1), key=lambda k: before[k][1] + after[k][1])
    step_bic = bic(before[at][1] + after[at][1], 4)
    flat_bic = bic(before[n][1], 1)
    line = ols(xs, ys)
    line_bic = bic(line.rss, 2) if line is not None else math.inf
    if step_bic + STEP_MARGIN >= min(flat_bic, line_bic):
        return None
    return Step(at, after[at][0] - before[at][0])


def _running_ss(ys: Sequence[float]) -> list[tuple[float, float]]:
    """(mean, sum of squared deviations) of ys[:k] for k = 0..n, by Welford's stable update."""
    out = [(0.0, 0.0)]
    mean = ss = 0.0
    for k, y in enumerate(ys, start=1):
        delta = y - mean
        mean += delta / k
        ss += delta * (y - mean)
        out.append((mean, ss))
    return out

"""The statistics behind a verdict, in pure standard-library Python (no SciPy at runtime)."""

from __future__ import annotations

import math
import random
import statistics
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

_EPS = 1e-16
_MAX_ITERATIONS = 100_000
_NORMAL = statistics.NormalDist()
POWER = 0.8  # the power of the reported detectable slope
# The guarded gate's false-alarm rate has no closed form: it is counted over this many seeded
# null series (common random numbers), 0.2 points of standard error at a rate of 2 %.
NULL_DRAWS = 4000
NULL_SEED = 16
_SIMPSON_INTERVALS = 200  # per piece of the chi-square expectation (even)
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
    n = len(xs)
    if n != len(ys):
        raise ValueError("xs and ys differ in length")
    if n < 2:
        return None
    x_mean = sum(xs) / n
    y_mean = sum(ys) / n
    # Products, not ** 2: on absurd scores they overflow to inf instead of raising.
    sxx = sum((x - x_mean) * (x - x_mean) for x in xs)
    if sxx == 0:
        return None
    sxy = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = y_mean - slope * x_mean
    residuals = [y - y_mean - slope * (x - x_mean) for x, y in zip(xs, ys, strict=True)]
    rss = sum(r * r for r in residuals)
    return Fit(slope, intercept, n, sxx, rss)


@dataclass(frozen=True)
class Noise:
    """The run-to-run noise a verdict uses: its standard deviation and degrees of freedom."""

    sd: float
    df: int
    source: str  # "window": the window's own residuals; "history": pooled with earlier blocks
    runs: int  # runs the estimate rests on


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


def t_pdf(t: float, df: float) -> float:
    """Density of Student's t distribution."""
    log_norm = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_norm - (df + 1) / 2 * math.log1p(t * t / df))


def t_cdf(t: float, df: float) -> float:
    """Cumulative distribution function of Student's t distribution."""
    tail = _t_tail(abs(t), df)
    return tail if t < 0 else 1.0 - tail


def t_ppf(p: float, df: float) -> float:
    """Quantile of Student's t distribution: the t with t_cdf(t, df) == p."""
    if not 0 < p < 1:
        raise ValueError(f"probability must be in (0, 1), got {p}")
    if df <= 0:
        raise ValueError(f"degrees of freedom must be positive, got {df}")
    q = min(p, 1 - p)  # solve in the tail, where the precision is
    if q == 0.5:
        return 0.0
    t = _upper_quantile(q, df)
    return t if p > 0.5 else -t


def _upper_quantile(q: float, df: float) -> float:
    """The t > 0 with P(T > t) == q, by Newton steps kept inside a shrinking bracket."""
    low, high = 0.0, 1.0
    while _t_tail(high, df) > q:
        low, high = high, high * 2
        if math.isinf(high):
            return math.inf
    t = min(max(-statistics.NormalDist().inv_cdf(q), low), high)
    for _ in range(200):
        excess = _t_tail(t, df) - q  # decreasing in t
        if excess > 0:
            low = t
        else:
            high = t
        step = excess / t_pdf(t, df)
        candidate = t + step
        if not low < candidate < high:
            candidate = (low + high) / 2
        if abs(candidate - t) <= 1e-15 * max(1.0, abs(t)) or high - low <= 1e-15 * high:
            return candidate
        t = candidate
    return t


def _t_tail(t: float, df: float) -> float:
    """P(T > t) for t >= 0: half the regularized incomplete beta I_x(df/2, 1/2), x = df/(df+t²)."""
    if math.isinf(t):
        return 0.0
    denominator = df + t * t
    return 0.5 * betainc(df / 2, 0.5, df / denominator, t * t / denominator)


def betainc(a: float, b: float, x: float, one_minus_x: float | None = None) -> float:
    """Regularized incomplete beta I_x(a, b) by its continued fraction (modified Lentz).

    `one_minus_x` may be given exactly when the caller has it, to avoid cancellation.
    """
    y = 1.0 - x if one_minus_x is None else one_minus_x
    if x <= 0:
        return 0.0
    if y <= 0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(y)
    )
    # The fraction converges fast only below the mean a/(a+b); use symmetry above it.
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, y) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    c = 1.0
    d = 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, _MAX_ITERATIONS):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1.0) < _EPS:
            return result
    raise ArithmeticError(f"incomplete beta did not converge (a={a}, b={b}, x={x})")

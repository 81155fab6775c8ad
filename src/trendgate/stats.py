"""The statistics behind a verdict, in pure standard-library Python (no SciPy at runtime)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

_EPS = 1e-16
_MAX_ITERATIONS = 100_000


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


def confidence_interval(fit: Fit, confidence: float) -> tuple[float, float] | None:
    """Two-sided t interval for the slope (n-2 degrees of freedom); None below three points."""
    margin = slope_margin(fit, confidence)
    return None if margin is None else (fit.slope - margin, fit.slope + margin)


def slope_margin(fit: Fit, confidence: float) -> float | None:
    """Half-width of the slope's confidence interval: the smallest slope it tells from zero."""
    se = fit.stderr
    return None if se is None else t_ppf((1 + confidence) / 2, fit.df) * se


def p_value_decline(fit: Fit) -> float | None:
    """One-sided p-value for "slope < 0": P(T <= slope / stderr), T ~ t(n-2)."""
    se = fit.stderr
    if se is None:
        return None
    if se == 0:  # a perfect line: the sign is certain, or there is nothing to test
        return 0.0 if fit.slope < 0 else 1.0 if fit.slope > 0 else None
    return t_cdf(fit.slope / se, fit.df)


def runs_to_decide(fit: Fit, confidence: float, spacing: float, limit: int = 100_000) -> int | None:
    """Smallest n' >= n whose interval would exclude 0, if slope and noise stayed as they are.

    Future runs are assumed `spacing` apart on the x axis, as evenly spaced points; None when
    the slope is not negative, there is no noise estimate, or more than `limit` would be needed.
    """
    sd = fit.residual_sd
    if sd is None or fit.slope >= 0:
        return None

    def decided(n: int) -> bool:
        sxx = spacing * spacing * n * (n * n - 1) / 12
        return t_ppf((1 + confidence) / 2, n - 2) * sd / math.sqrt(sxx) < -fit.slope

    low = max(fit.n, 3)
    if decided(low):
        return low
    high = low
    while not decided(high):  # the margin shrinks as n grows, so double then bisect
        if high >= limit:
            return None
        low, high = high, min(2 * high, limit)
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if decided(mid) else (mid, high)
    return high


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
    """The step, when one explains the points better than a flat level or a line (by BIC).

    BIC = n ln(RSS/n) + k ln n with k = 1 (flat), 2 (line), 4 (step). The step's location
    counts twice: it is searched over, not fitted, and at k = 3 a fifth of pure-noise windows
    of ten runs showed a step. Each level needs two points, so one outlying run is no step.
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
    if step_bic >= min(flat_bic, line_bic):
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

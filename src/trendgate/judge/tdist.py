"""The t distribution, from the regularized incomplete beta function."""

from __future__ import annotations

import math
import statistics

_EPS = 1e-16
_MAX_ITERATIONS = 100_000


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
        two_m = 2 * m
        for numerator in (
            m * (b - m) * x / ((a + two_m - 1) * (a + two_m)),
            -(a + m) * (a + b + m) * x / ((a + two_m) * (a + two_m + 1)),
        ):
            # Comparisons, not abs(): the loop runs for each of a gate's 3,000 task p-values.
            d = 1.0 + numerator * d
            d = 1.0 / (d if d > tiny or d < -tiny else tiny)
            c = 1.0 + numerator / c
            c = c if c > tiny or c < -tiny else tiny
            result *= c * d
        if abs(c * d - 1.0) < _EPS:
            return result
    raise ArithmeticError(f"incomplete beta did not converge (a={a}, b={b}, x={x})")

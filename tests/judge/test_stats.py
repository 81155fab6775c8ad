"""Every statistic checked against SciPy (or a closed form) on random and adversarial series."""

from __future__ import annotations

import contextlib
import math
import random
import warnings
from itertools import combinations

import numpy as np
import pytest
from scipy import integrate, optimize, special
from scipy import stats as sp

from trendgate.judge import power, stats, tdist

DFS = [1, 2, 3, 4, 5, 7, 8, 10, 13, 30, 100, 1000, 100_000]
PROBABILITIES = [1e-12, 1e-6, 0.001, 0.025, 0.05, 0.2, 0.5, 0.8, 0.95, 0.975, 0.999, 1 - 1e-9]


@pytest.mark.parametrize("df", DFS)
def test_t_quantile_matches_scipy(df: int) -> None:
    for p in PROBABILITIES:
        assert tdist.t_ppf(p, df) == pytest.approx(sp.t.ppf(p, df), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("df", DFS)
def test_t_cdf_matches_scipy(df: int) -> None:
    for t in [-1e3, -50.0, -5.0, -2.0, -0.3, -1e-3, 0.0, 1e-3, 0.7, 2.5, 10.0, 1e4]:
        assert tdist.t_cdf(t, df) == pytest.approx(sp.t.cdf(t, df), rel=1e-9, abs=1e-300)


def test_t_cdf_with_one_degree_of_freedom_is_the_cauchy_law() -> None:
    # Near 0 SciPy's t.cdf(df=1) is off by ~3e-9 relative; the closed form is exact.
    for t in [-1e-8, 1e-8, -0.01, 3.0]:
        assert tdist.t_cdf(t, 1) == pytest.approx(0.5 + math.atan(t) / math.pi, rel=1e-13)


def test_t_quantile_and_cdf_are_inverse_on_random_points() -> None:
    rng = random.Random(7)
    for _ in range(300):
        df = rng.choice([rng.randint(1, 40), rng.uniform(0.5, 500)])
        p = rng.random()
        assert tdist.t_cdf(tdist.t_ppf(p, df), df) == pytest.approx(p, rel=1e-9)
        assert tdist.t_ppf(p, df) == pytest.approx(sp.t.ppf(p, df), rel=1e-9, abs=1e-12)


def test_t_pdf_matches_scipy() -> None:
    for df in DFS:
        for t in [-30.0, -1.0, 0.0, 0.5, 4.0]:
            assert tdist.t_pdf(t, df) == pytest.approx(sp.t.pdf(t, df), rel=1e-9)


def test_incomplete_beta_matches_scipy() -> None:
    rng = random.Random(3)
    for _ in range(300):
        a, b, x = rng.uniform(0.1, 60), rng.uniform(0.1, 60), rng.random()
        assert tdist.betainc(a, b, x) == pytest.approx(
            special.betainc(a, b, x), rel=1e-9, abs=1e-300
        )
    assert tdist.betainc(2, 3, 0.0) == 0.0
    assert tdist.betainc(2, 3, 1.0) == 1.0


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5, math.nan])
def test_t_quantile_rejects_impossible_probabilities(bad: float) -> None:
    with pytest.raises(ValueError):
        tdist.t_ppf(bad, 5)


def random_series(rng: random.Random, n: int, evenly: bool) -> tuple[list[float], list[float]]:
    xs = [float(i) for i in range(n)] if evenly else sorted(rng.uniform(0, 40) for _ in range(n))
    offset = rng.choice([0.0, 50.0, 1e6])
    ys = [offset + rng.gauss(0, rng.choice([0.5, 5.0])) + rng.uniform(-2, 2) * x for x in xs]
    return xs, ys


@pytest.mark.parametrize("seed", range(60))
def test_fit_uncertainty_matches_linregress(seed: int) -> None:
    rng = random.Random(seed)
    xs, ys = random_series(rng, rng.randint(3, 40), evenly=seed % 2 == 0)
    fit = stats.ols(xs, ys)
    ref = sp.linregress(xs, ys, alternative="less")
    assert fit is not None
    used = stats.noise(fit)
    assert used is not None and (used.df, used.source, used.runs) == (
        len(xs) - 2,
        "window",
        len(xs),
    )
    assert fit.slope == pytest.approx(ref.slope, rel=1e-9, abs=1e-9)
    assert fit.intercept == pytest.approx(ref.intercept, rel=1e-9, abs=1e-6)
    assert stats.slope_stderr(fit, used) == pytest.approx(ref.stderr, rel=1e-9)
    assert stats.p_decline(fit, used) == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)
    for confidence in (0.8, 0.95, 0.99):
        half = sp.t.ppf((1 + confidence) / 2, len(xs) - 2) * ref.stderr
        low, high = stats.interval(fit, used, confidence)
        assert low == pytest.approx(ref.slope - half, rel=1e-9, abs=1e-9)
        assert high == pytest.approx(ref.slope + half, rel=1e-9, abs=1e-9)


def test_pooled_noise_adds_sums_of_squares_and_degrees_of_freedom() -> None:
    fit = stats.ols([0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 2.0, 4.0])  # RSS 1.8 by hand, 2 df
    assert fit is not None and fit.rss == pytest.approx(1.8)
    used = stats.noise(fit, stats.Pool(rss=6.2, df=6, runs=10))
    assert used is not None
    assert used.sd == pytest.approx(1.0)  # sqrt((1.8 + 6.2) / (2 + 6))
    assert (used.df, used.source, used.runs) == (8, "history", 14)


def test_block_pool_fits_a_line_to_each_block_from_the_newest_back() -> None:
    rng = np.random.default_rng(5)
    ys = list(70 - 1.5 * np.arange(23) + rng.normal(0, 4, 23))
    xs = [float(i) for i in range(23)]
    pool = stats.block_pool(xs, ys, 10)
    expected_rss = 0.0
    for start, end in ((13, 23), (3, 13), (0, 3)):  # the oldest block of three has 1 df
        coef = np.polyfit(xs[start:end], ys[start:end], 1)
        expected_rss += float(((np.polyval(coef, xs[start:end]) - ys[start:end]) ** 2).sum())
    assert (pool.df, pool.runs) == (8 + 8 + 1, 23)
    assert pool.rss == pytest.approx(expected_rss, rel=1e-9)
    # A drift is absorbed: the pooled sd stays at the noise, not inflated by the trend.
    assert stats.block_pool(xs[:2], ys[:2], 10) == stats.Pool()


def test_constant_scores_have_zero_slope_and_no_doubt() -> None:
    fit = stats.ols([0.0, 1.0, 2.0, 3.0], [70.0] * 4)
    assert fit is not None
    used = stats.noise(fit)
    assert used is not None
    assert (fit.slope, used.sd, fit.rss) == (0.0, 0.0, 0.0)
    assert stats.interval(fit, used, 0.95) == (0.0, 0.0)
    assert stats.p_decline(fit, used) is None  # nothing to test: no slope, no noise


def test_a_perfect_line_is_certain() -> None:
    fit = stats.ols([0.0, 1.0, 2.0], [9.0, 7.0, 5.0])
    assert fit is not None
    used = stats.noise(fit)
    assert used is not None and used.sd == 0.0
    assert stats.p_decline(fit, used) == 0.0
    assert stats.interval(fit, used, 0.99) == (-2.0, -2.0)


def test_two_points_have_a_slope_but_no_noise() -> None:
    fit = stats.ols([0.0, 1.0], [80.0, 70.0])
    assert fit is not None and fit.slope == -10.0
    assert stats.noise(fit) is None


def test_identical_x_has_no_fit() -> None:
    assert stats.ols([5.0, 5.0, 5.0], [1.0, 2.0, 3.0]) is None
    # SciPy agrees there is no fit: older releases raise, newer ones return NaN.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.suppress(ValueError):
            assert math.isnan(sp.linregress([5.0, 5.0, 5.0], [1.0, 2.0, 3.0]).slope)
    assert stats.ols([1.0], [1.0]) is None


@pytest.mark.parametrize("seed", range(30))
def test_theil_sen_matches_scipy(seed: int) -> None:
    rng = random.Random(seed)
    xs, ys = random_series(rng, rng.randint(2, 30), evenly=seed % 3 == 0)
    if seed % 4 == 1:  # tied x values (identical timestamps) are skipped by both
        xs = [float(round(x / 10)) for x in xs]
    expected = sp.theilslopes(ys, xs).slope
    assert stats.theil_sen(xs, ys) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_theil_sen_shrugs_off_one_outlier() -> None:
    ys = [80.0, 79.0, 78.0, 77.0, 20.0, 75.0, 74.0]
    assert stats.theil_sen([float(i) for i in range(7)], ys) == -1.0
    assert stats.theil_sen([1.0, 1.0], [3.0, 4.0]) is None


def test_leave_one_out_matches_refitting_with_scipy() -> None:
    rng = random.Random(11)
    xs, ys = random_series(rng, 9, evenly=True)
    fits = stats.leave_one_out(xs, ys)
    for i, fit in enumerate(fits):
        ref = sp.linregress(np.delete(xs, i), np.delete(ys, i))
        assert fit is not None
        assert fit.slope == pytest.approx(ref.slope, rel=1e-9)
    assert stats.leave_one_out([0.0, 1.0], [1.0, 2.0]) == [None, None]


def brute_force_bics(ys: list[float]) -> tuple[float, float, float, int]:
    """Flat, line and best-step BIC computed with NumPy, independently of stats.py."""
    y = np.array(ys)
    n = len(y)
    x = np.arange(n, dtype=float)

    def bic(rss: float, k: int) -> float:
        return float(n * np.log(rss / n) + k * np.log(n))

    flat = bic(float(((y - y.mean()) ** 2).sum()), 1)
    coef = np.polyfit(x, y, 1)
    line = bic(float(((y - np.polyval(coef, x)) ** 2).sum()), 2)
    splits = {
        k: float(((y[:k] - y[:k].mean()) ** 2).sum() + ((y[k:] - y[k:].mean()) ** 2).sum())
        for k in range(2, n - 1)
    }
    at = min(splits, key=lambda k: splits[k])
    return flat, line, bic(splits[at], 4), at


@pytest.mark.parametrize("seed", range(40))
def test_step_or_drift_follows_bic(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(4, 20)
    kind = seed % 3
    at = rng.randint(2, n - 2)
    ys = [
        70
        + rng.gauss(0, 1.5)
        + (-1.0 * i if kind == 1 else 0.0)
        + (-8.0 if kind == 2 and i >= at else 0.0)
        for i in range(n)
    ]
    flat, line, step, where = brute_force_bics(ys)
    found = stats.step_or_drift([float(i) for i in range(n)], ys)
    if step + stats.STEP_MARGIN < min(flat, line):
        assert found is not None and found.at == where
        assert found.size == pytest.approx(np.mean(ys[where:]) - np.mean(ys[:where]), rel=1e-9)
    else:
        assert found is None


def test_a_clean_step_is_a_step_and_a_clean_drift_is_not() -> None:
    xs = [float(i) for i in range(10)]
    step = stats.step_or_drift(xs, [80, 80.5, 79.5, 80, 80, 72, 72.5, 71.5, 72, 72])
    assert step is not None and step.at == 5 and step.size == pytest.approx(-8.0)
    drift = [
        80 - i + e for i, e in enumerate([0.2, -0.3, 0.1, 0.0, -0.2, 0.3, -0.1, 0.2, 0.0, -0.2])
    ]
    assert stats.step_or_drift(xs, drift) is None
    assert stats.step_or_drift(xs, [70.0] * 10) is None  # constant: nothing changed
    assert stats.step_or_drift(xs, [9.0 - i for i in range(10)]) is None  # a perfect line
    assert stats.step_or_drift(xs[:3], [1.0, 1.0, 5.0]) is None  # too short for two levels


def test_one_outlying_last_run_is_not_a_step() -> None:
    xs = [float(i) for i in range(8)]
    assert stats.step_or_drift(xs, [80, 80.4, 79.6, 80, 80.2, 79.8, 80, 60]) is None


@pytest.mark.parametrize("df", [1, 2, 3, 8, 11, 28, 58, 500])
def test_fail_probability_is_the_noncentral_t_when_the_threshold_does_not_bind(df: int) -> None:
    crit = sp.t.ppf(0.975, df)
    for shift in (0.0, -1.0, -2.5, -3.19, -6.0):
        mine = power.fail_probability(shift, 1e9, 1.0, crit, df)
        assert mine == pytest.approx(sp.nct.cdf(-crit, df, shift), abs=1e-6)


@pytest.mark.parametrize("df", [3, 8, 24])
def test_fail_probability_with_a_binding_threshold_matches_scipy_quadrature(df: int) -> None:
    crit = sp.t.ppf(0.975, df)
    for slope, threshold, sd in ((0.0, -0.5, 0.2), (-0.6, -0.5, 0.15), (-1.0, -1.2, 0.3)):

        def integrand(
            v: float, slope: float = slope, threshold: float = threshold, sd: float = sd
        ) -> float:
            z = min((threshold - slope) / sd, -crit * math.sqrt(v / df) - slope / sd)
            return float(sp.norm.cdf(z) * sp.chi2.pdf(v, df))

        ref = integrate.quad(integrand, 0, np.inf, limit=200)[0]
        # The threshold puts a kink in the integrand, where the trapezoid rule is second order.
        assert power.fail_probability(slope, threshold, sd, crit, df) == pytest.approx(
            ref, abs=2e-5
        )
    # The default rule has no t test: a normal probability.
    assert power.fail_probability(0.0, -0.5, 0.25, None, 8) == pytest.approx(sp.norm.cdf(-2.0))


def test_fail_probability_is_what_a_simulation_of_the_rule_counts() -> None:
    rng = np.random.default_rng(3)
    n, sd, threshold, true_slope = 10, 4.3, -0.5, -1.5
    x = np.arange(n) - (n - 1) / 2
    sxx = float((x * x).sum())
    y = true_slope * x + rng.normal(0, sd, (200_000, n))
    b = (y * x).sum(1) / sxx
    resid = y - y.mean(1, keepdims=True) - b[:, None] * x
    se = np.sqrt((resid * resid).sum(1) / (n - 2) / sxx)
    crit = sp.t.ppf(0.975, n - 2)
    counted = float(((b < threshold) & (b / se < -crit)).mean())
    computed = power.fail_probability(true_slope, threshold, sd / math.sqrt(sxx), crit, n - 2)
    assert computed == pytest.approx(counted, abs=0.004)


def test_detectable_slope_is_where_the_power_reaches_80_percent() -> None:
    # The audit's figure: at n = 10 (8 df) 80 % power needs about 3.19 standard errors.
    crit = sp.t.ppf(0.975, 8)
    slope = power.detectable_slope(1e9, 1.0, crit, 8)
    assert slope == pytest.approx(-3.19, abs=0.02)
    ref = optimize.brentq(lambda d: sp.nct.cdf(-crit, 8, d) - 0.8, -10, 0)
    assert slope == pytest.approx(ref, rel=1e-5)
    # The default rule: threshold minus z(0.8) standard deviations, by hand.
    assert power.detectable_slope(-0.5, 0.4, None, 8) == pytest.approx(
        -0.5 - sp.norm.ppf(0.8) * 0.4, rel=1e-5
    )
    assert power.detectable_slope(-0.5, 0.0, None, 8) == -0.5  # no noise


def test_window_for_power_is_the_first_window_with_80_percent_power() -> None:
    for slope, sd in ((-1.5, 4.3), (-0.8, 2.0), (-3.0, 4.3)):
        found = power.window_for_power(slope, -0.5, sd, 1.0, 0.95, 0)
        assert found is not None

        def scipy_power(m: int, slope: float = slope, sd: float = sd) -> float:
            se = sd / math.sqrt(m * (m * m - 1) / 12)
            return float(sp.nct.cdf(-sp.t.ppf(0.975, m - 2), m - 2, slope / se))

        assert scipy_power(found) >= 0.8 - 1e-6  # the threshold barely binds at these noises
        assert found == 3 or scipy_power(found - 1) < 0.8 + 1e-6
    assert power.window_for_power(0.5, -0.5, 4.3, 1.0, 0.95, 0) is None
    assert power.window_for_power(-0.3, -0.5, 4.3, 1.0, 0.95, 0) is None  # above the threshold
    assert power.window_for_power(-1e-6, -1e-7, 4.3, 1.0, 0.95, 0, limit=50) is None


def test_most_influential_is_the_refit_with_the_largest_slope() -> None:
    rng = random.Random(9)
    for _ in range(20):
        xs, ys = random_series(rng, rng.randint(4, 15), evenly=True)
        left = stats.most_influential(xs, ys)
        slopes = [sp.linregress(np.delete(xs, i), np.delete(ys, i)).slope for i in range(len(xs))]
        assert left is not None
        assert left.index == int(np.argmax(slopes))
        assert left.fit.slope == pytest.approx(max(slopes), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize(("n", "pooled_df"), [(10, 0), (13, 0), (10, 14), (6, 0)])
def test_guarded_false_alarm_rate_matches_an_independent_simulation(n: int, pooled_df: int) -> None:
    """The rule re-simulated with NumPy least squares and explicit refits, 100,000 trendless
    series a threshold (trendgate counts 4,000 with closed-form leave-one-out fits)."""
    rng = np.random.default_rng(n * 100 + pooled_df)
    xs = np.arange(n, dtype=float)
    draws = 100_000
    for threshold in (-0.5 / 4.3, -0.5 / 2.0):
        y = rng.normal(0, 1, (draws, n))
        earlier = rng.chisquare(pooled_df, draws) if pooled_df else np.zeros(draws)
        slope, significant = _fits(xs, y, earlier, pooled_df)
        # Every series refitted without each point in turn; the gate leaves out the point
        # whose removal gives the largest slope.
        refits = [
            _fits(np.delete(xs, i), np.delete(y, i, axis=1), earlier, pooled_df) for i in range(n)
        ]
        rest_slopes = np.stack([s for s, _ in refits], axis=1)
        rest_significant = np.stack([f for _, f in refits], axis=1)
        left_out = rest_slopes.argmax(axis=1)
        rest = rest_slopes[np.arange(draws), left_out]
        rest_ok = rest_significant[np.arange(draws), left_out]
        fails = (slope < threshold) & significant & (rest < threshold) & rest_ok
        expected = float(fails.mean())
        got = power.guarded_false_alarm_rate(list(xs), threshold, 0.95, pooled_df)
        assert got == pytest.approx(expected, abs=4 * math.sqrt(expected / 4000) + 0.002)


def _fits(
    xs: np.ndarray, y: np.ndarray, extra: np.ndarray, pooled_df: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each row of `y` fitted by least squares on `xs`: its slope, and whether the slope's 95 %
    interval lies below 0, with `extra` pooled squared noise on `pooled_df` more df."""
    slope, intercept = np.polyfit(xs, y.T, 1)
    rss = ((y - intercept[:, None] - slope[:, None] * xs) ** 2).sum(axis=1)
    df = len(xs) - 2 + pooled_df
    se = np.sqrt((rss + extra) / df / ((xs - xs.mean()) ** 2).sum())
    return slope, slope / se < -sp.t.ppf(0.975, df)


def test_holm_by_hand() -> None:
    # Sorted: 0.005 <= 0.05/4, 0.01 <= 0.05/3, then 0.03 > 0.05/2 stops; 0.04 is not reached.
    assert stats.holm([0.01, 0.04, 0.03, 0.005], 0.05) == [True, False, False, True]
    assert stats.holm([0.2], 0.05) == [False]
    assert stats.holm([], 0.05) == []


def test_pairwise_slopes_helper_counts_every_pair_once() -> None:
    xs = [0.0, 1.0, 2.0, 3.0]
    ys = [0.0, 1.0, 4.0, 9.0]
    pairs = sorted((ys[j] - ys[i]) / (xs[j] - xs[i]) for i, j in combinations(range(4), 2))
    assert stats.theil_sen(xs, ys) == (pairs[2] + pairs[3]) / 2

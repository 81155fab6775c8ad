"""Every statistic checked against SciPy (or a closed form) on random and adversarial series."""

from __future__ import annotations

import contextlib
import math
import random
import warnings
from itertools import combinations

import numpy as np
import pytest
from scipy import special
from scipy import stats as sp

from trendgate import stats

DFS = [1, 2, 3, 4, 5, 7, 8, 10, 13, 30, 100, 1000, 100_000]
PROBABILITIES = [1e-12, 1e-6, 0.001, 0.025, 0.05, 0.2, 0.5, 0.8, 0.95, 0.975, 0.999, 1 - 1e-9]


@pytest.mark.parametrize("df", DFS)
def test_t_quantile_matches_scipy(df: int) -> None:
    for p in PROBABILITIES:
        assert stats.t_ppf(p, df) == pytest.approx(sp.t.ppf(p, df), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("df", DFS)
def test_t_cdf_matches_scipy(df: int) -> None:
    for t in [-1e3, -50.0, -5.0, -2.0, -0.3, -1e-3, 0.0, 1e-3, 0.7, 2.5, 10.0, 1e4]:
        assert stats.t_cdf(t, df) == pytest.approx(sp.t.cdf(t, df), rel=1e-9, abs=1e-300)


def test_t_cdf_with_one_degree_of_freedom_is_the_cauchy_law() -> None:
    # Near 0 SciPy's t.cdf(df=1) is off by ~3e-9 relative; the closed form is exact.
    for t in [-1e-8, 1e-8, -0.01, 3.0]:
        assert stats.t_cdf(t, 1) == pytest.approx(0.5 + math.atan(t) / math.pi, rel=1e-13)


def test_t_quantile_and_cdf_are_inverse_on_random_points() -> None:
    rng = random.Random(7)
    for _ in range(300):
        df = rng.choice([rng.randint(1, 40), rng.uniform(0.5, 500)])
        p = rng.random()
        assert stats.t_cdf(stats.t_ppf(p, df), df) == pytest.approx(p, rel=1e-9)
        assert stats.t_ppf(p, df) == pytest.approx(sp.t.ppf(p, df), rel=1e-9, abs=1e-12)


def test_t_pdf_matches_scipy() -> None:
    for df in DFS:
        for t in [-30.0, -1.0, 0.0, 0.5, 4.0]:
            assert stats.t_pdf(t, df) == pytest.approx(sp.t.pdf(t, df), rel=1e-9)


def test_incomplete_beta_matches_scipy() -> None:
    rng = random.Random(3)
    for _ in range(300):
        a, b, x = rng.uniform(0.1, 60), rng.uniform(0.1, 60), rng.random()
        assert stats.betainc(a, b, x) == pytest.approx(
            special.betainc(a, b, x), rel=1e-9, abs=1e-300
        )
    assert stats.betainc(2, 3, 0.0) == 0.0
    assert stats.betainc(2, 3, 1.0) == 1.0


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5, math.nan])
def test_t_quantile_rejects_impossible_probabilities(bad: float) -> None:
    with pytest.raises(ValueError):
        stats.t_ppf(bad, 5)


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
    assert fit is not None and fit.stderr is not None
    assert fit.slope == pytest.approx(ref.slope, rel=1e-9, abs=1e-9)
    assert fit.intercept == pytest.approx(ref.intercept, rel=1e-9, abs=1e-6)
    assert fit.stderr == pytest.approx(ref.stderr, rel=1e-9)
    assert stats.p_value_decline(fit) == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)
    for confidence in (0.8, 0.95, 0.99):
        half = sp.t.ppf((1 + confidence) / 2, len(xs) - 2) * ref.stderr
        interval = stats.confidence_interval(fit, confidence)
        assert interval is not None
        assert interval[0] == pytest.approx(ref.slope - half, rel=1e-9, abs=1e-9)
        assert interval[1] == pytest.approx(ref.slope + half, rel=1e-9, abs=1e-9)
        assert stats.slope_margin(fit, confidence) == pytest.approx(half, rel=1e-9)


def test_huge_values_keep_their_precision() -> None:
    xs = [float(i) for i in range(12)]
    noise = [0.3, -0.1, 0.2, -0.4, 0.0, 0.1, -0.2, 0.4, -0.3, 0.2, -0.1, -0.1]
    ys = [1e12 - 2.5 * x + e for x, e in zip(xs, noise, strict=True)]
    fit = stats.ols(xs, ys)
    ref = sp.linregress(xs, ys)
    assert fit is not None and fit.stderr is not None
    assert fit.slope == pytest.approx(ref.slope, rel=1e-9)
    assert fit.stderr == pytest.approx(ref.stderr, rel=1e-6)


def test_constant_scores_have_zero_slope_and_no_doubt() -> None:
    fit = stats.ols([0.0, 1.0, 2.0, 3.0], [70.0] * 4)
    assert fit is not None
    assert (fit.slope, fit.stderr, fit.rss) == (0.0, 0.0, 0.0)
    assert stats.confidence_interval(fit, 0.95) == (0.0, 0.0)
    assert stats.p_value_decline(fit) is None  # nothing to test: no slope, no noise


def test_a_perfect_line_is_certain() -> None:
    fit = stats.ols([0.0, 1.0, 2.0], [9.0, 7.0, 5.0])
    assert fit is not None
    assert fit.stderr == 0.0
    assert stats.p_value_decline(fit) == 0.0
    assert stats.confidence_interval(fit, 0.99) == (-2.0, -2.0)


def test_two_points_have_a_slope_but_no_uncertainty() -> None:
    fit = stats.ols([0.0, 1.0], [80.0, 70.0])
    assert fit is not None and fit.slope == -10.0
    assert fit.stderr is None
    assert stats.confidence_interval(fit, 0.95) is None
    assert stats.p_value_decline(fit) is None
    assert stats.runs_to_decide(fit, 0.95, 1.0) is None


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
    if step < min(flat, line):
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


@pytest.mark.parametrize("seed", range(15))
def test_runs_to_decide_is_the_first_window_that_decides(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(3, 12)
    ys = [70 - 0.4 * i + rng.gauss(0, 2) for i in range(n)]
    fit = stats.ols([float(i) for i in range(n)], ys)
    assert fit is not None and fit.residual_sd is not None
    needed = stats.runs_to_decide(fit, 0.95, 1.0)
    if fit.slope >= 0:
        assert needed is None
        return
    assert needed is not None

    sd = fit.residual_sd

    def decides(m: int) -> bool:  # same slope and noise, m evenly spaced runs, SciPy's quantile
        se = sd / math.sqrt(m * (m * m - 1) / 12)
        return bool(sp.t.ppf(0.975, m - 2) * se < -fit.slope)

    assert decides(needed)
    assert needed == max(n, 3) or not decides(needed - 1)


def test_pairwise_slopes_helper_counts_every_pair_once() -> None:
    xs = [0.0, 1.0, 2.0, 3.0]
    ys = [0.0, 1.0, 4.0, 9.0]
    pairs = sorted((ys[j] - ys[i]) / (xs[j] - xs[i]) for i, j in combinations(range(4), 2))
    assert stats.theil_sen(xs, ys) == (pairs[2] + pairs[3]) / 2

"""The lag-1 autocorrelation the budget rule allows for: each model's lags, the family's estimate.

Expected values come from NumPy traces over the AR(1) correlation matrix and SciPy's root
finder, or from simulated AR(1) runs, never from trendgate itself.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize

from trendgate.judge import autocorrelation
from trendgate.settings import Family, Lags, Pooled


def _residual_maker(n: int) -> np.ndarray:
    design = np.column_stack([np.ones(n), np.arange(n)])
    return np.eye(n) - design @ np.linalg.pinv(design)


def _expected(n: int, rho: float) -> tuple[float, float]:
    """E[residual SS] and E[lag-1 products] over sigma^2 of a line fit to n AR(1) runs."""
    resid = _residual_maker(n)
    i = np.arange(n)
    sigma = rho ** np.abs(i[:, None] - i[None, :])
    return float(np.trace(resid @ sigma)), float(np.trace(np.eye(n, k=1) @ resid @ sigma @ resid))


def _expected_ratio(lengths: list[int], rho: float) -> float:
    moments = [_expected(n, rho) for n in lengths]
    return sum(b for _, b in moments) / sum(a for a, _ in moments)


def _lengths(lags: Lags) -> list[int]:
    return [n for n, count in lags.blocks for _ in range(count)]


def _df(lags: Lags) -> int:
    return sum(n - 2 for n in _lengths(lags) if n >= 4)


def _ar1(rng: np.random.Generator, count: int, rho: float, runs: int = 30) -> np.ndarray:
    e = rng.normal(size=(count, runs))
    for t in range(1, runs):
        e[:, t] = rho * e[:, t - 1] + math.sqrt(1 - rho * rho) * e[:, t]
    return e


def _family(rows: np.ndarray) -> Pooled:
    total = Pooled()
    for ys in rows:
        total = total + autocorrelation.share(autocorrelation.lags(list(ys)))
    return total


def test_lags_are_the_line_fits_of_the_runs_before_the_latest_two() -> None:
    rng = np.random.default_rng(4)
    ys = list(70 + rng.normal(0, 4.3, 30))
    lags = autocorrelation.lags(ys)
    assert lags.blocks == ((8, 1), (10, 2))  # 28 runs, in blocks of 10 from the last back
    lag = rss = 0.0
    for start, end in ((18, 28), (8, 18), (0, 8)):
        e = _residual_maker(end - start) @ np.array(ys[start:end])
        lag, rss = lag + float(e[:-1] @ e[1:]), rss + float(e @ e)
    assert lags.lag == pytest.approx(lag)
    assert lags.rss == pytest.approx(rss)


@pytest.mark.parametrize("rho", [-0.3, 0.0, 0.2, 0.3, 0.5, 0.8])
def test_the_estimate_inverts_the_exact_ar1_expectation(rho: float) -> None:
    # Fed the exact expected ratio of its blocks, the estimate gives rho back (plus the
    # margin); the plain ratio would not (line fits hide a positive autocorrelation).
    lengths = [8, 10, 10, 13]
    expected_rss = sum(_expected(n, rho)[0] for n in lengths)
    expected_lag = sum(_expected(n, rho)[1] for n in lengths)
    lags = Lags(expected_lag, expected_rss, ((8, 1), (10, 2), (13, 1)))
    estimate = autocorrelation.estimate(autocorrelation.share(lags))
    assert estimate == pytest.approx(rho + autocorrelation.MARGIN, abs=2e-4)


def test_models_of_several_layouts_against_scipy() -> None:
    # Each model's ratio weighs by its residual degrees of freedom; the estimate is the rho at
    # which the weighted mean of their expected ratios is the weighted mean of the ratios.
    rng = np.random.default_rng(9)
    models = [autocorrelation.lags(list(rng.normal(size=n))) for n in (30, 30, 17, 24)]
    pooled = Pooled()
    for lags in models:
        pooled = pooled + autocorrelation.share(lags)
    weights = [_df(lags) for lags in models]
    target = sum(w * lags.lag / lags.rss for w, lags in zip(weights, models, strict=True))

    def gap(rho: float) -> float:
        expected = [_expected_ratio(_lengths(lags), rho) for lags in models]
        return sum(w * e for w, e in zip(weights, expected, strict=True)) - target

    rho = float(optimize.brentq(gap, -0.6, 0.95, xtol=1e-10))
    assert autocorrelation.estimate(pooled) == pytest.approx(rho + autocorrelation.MARGIN, abs=2e-4)


@pytest.mark.parametrize("rho", [0.0, 0.3])
def test_over_twenty_models_the_estimate_tells_0_from_0_3(rho: float) -> None:
    # 300 families of 20 models, 30 AR(1) runs each: the estimate (margin included) centres
    # near rho + 0.05 (a little below at 0.3) with a spread near 0.06-0.07, so a floor of 0.2
    # widens at 0.3 on most nights and at 0 almost never.
    rng = np.random.default_rng(12)
    values = np.array(
        [autocorrelation.estimate(_family(_ar1(rng, 20, rho))) for _ in range(300)], dtype=float
    )
    assert abs(values.mean() - rho - 0.05) < 0.04
    assert 0.04 < values.std() < 0.09
    above = (values > autocorrelation.AR_FLOOR).mean()
    assert above < 0.02 if rho == 0 else above > 0.85


def test_a_noisy_model_or_one_with_a_step_does_not_decide_for_the_family() -> None:
    # Beside nineteen independent models of sd 1, one of sd 100 that wanders (AR 0.9) or one
    # that collapses by 40 sd halfway: weighed by its runs, not its squares, each moves the
    # estimate by about its share of the family (pooled sums of squares would be all its own).
    rng = np.random.default_rng(13)
    quiet = rng.normal(size=(19, 30))
    alone = autocorrelation.estimate(_family(quiet))
    wild = 100 * _ar1(rng, 1, 0.9)
    collapse = rng.normal(size=(1, 30)) - 40 * (np.arange(30) >= 15)
    assert alone is not None
    for extra in (wild, collapse):
        estimate = autocorrelation.estimate(_family(np.vstack([quiet, extra])))
        assert estimate is not None and 0 < estimate - alone < 0.06
    lags = [autocorrelation.lags(list(ys)) for ys in np.vstack([quiet, wild])]
    summed = Lags(sum(x.lag for x in lags), sum(x.rss for x in lags), lags[0].blocks)
    lone_wild = autocorrelation.estimate(autocorrelation.share(lags[-1]))
    assert lone_wild is not None
    sums = autocorrelation.estimate(autocorrelation.share(summed))
    assert sums is not None and abs(sums - lone_wild) < 0.03  # the sums follow the wild one


def test_too_few_residuals_give_no_estimate() -> None:
    # Twenty residual degrees of freedom at least, in blocks of four runs or more.
    rng = np.random.default_rng(5)
    few = autocorrelation.share(autocorrelation.lags(list(rng.normal(size=24))))
    assert autocorrelation.estimate(few) is None
    enough = autocorrelation.share(autocorrelation.lags(list(rng.normal(size=30))))
    assert autocorrelation.estimate(enough) is not None
    assert autocorrelation.share(Lags(-2.0, 3.0, ((3, 40),))) == Pooled()


def test_a_model_allows_for_its_others_autocorrelation_not_its_own() -> None:
    rng = np.random.default_rng(6)
    own = autocorrelation.lags(list(rng.normal(size=30)))
    others = _family(_ar1(rng, 5, 0.5))
    family = Family(6, 1.0, pooled=others + autocorrelation.share(own))
    assert autocorrelation.allowed_for(family, own) == pytest.approx(
        autocorrelation.estimate(others)
    )
    alone = Family(1, 1.0, pooled=autocorrelation.share(own))
    assert autocorrelation.allowed_for(alone, own) is None
    assert autocorrelation.allowed_for(Family(6, 1.0), own) is None  # nothing gathered


def test_widening_by_hand() -> None:
    assert autocorrelation.widening(0.1) == 1.0 and autocorrelation.widening(None) == 1.0
    assert autocorrelation.widening(0.2) == 1.0  # only above the floor
    assert autocorrelation.widening(0.3) == pytest.approx(math.sqrt(1.3 / 0.7))
    assert autocorrelation.widening(0.6) == pytest.approx(2.0)  # sqrt(1.6 / 0.4)
    assert autocorrelation.widening(0.99) == pytest.approx(math.sqrt(1.9 / 0.1))  # capped

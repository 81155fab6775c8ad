"""The slope and the verdict, checked against SciPy and hand calculations."""

from __future__ import annotations

import random
import statistics

import pytest
from scipy import stats

from trendgate.load import Run
from trendgate.series import Series
from trendgate.settings import Settings
from trendgate.stats import ols_slope
from trendgate.trend import judge


def series(scores: list[float]) -> Series:
    runs = tuple(
        Run(f"{i}.json", "m", f"{i:04d}", 1e9 + i, s, (), None, None, None, ())
        for i, s in enumerate(scores)
    )
    return Series("m", runs)


def test_slope_by_hand() -> None:
    # x = 0, 1, 2; y = 87, 83, 79: a fall of exactly 4 points per run
    assert ols_slope([87, 83, 79]) == pytest.approx(-4.0, abs=1e-12)
    # x̄ = 1.5, Sxx = 5; y = 1, 3, 2, 4: Sxy = (-1.5)(-1.5) + (-0.5)(0.5) + (0.5)(-0.5) + 1.5*1.5 = 4
    assert ols_slope([1, 3, 2, 4]) == pytest.approx(0.8, abs=1e-12)
    assert ols_slope([5, 5]) == 0.0


@pytest.mark.parametrize("seed", range(40))
def test_slope_matches_scipy(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(2, 60)
    ys = [rng.uniform(0, 100) for _ in range(n)]
    assert ols_slope(ys) == pytest.approx(stats.linregress(range(n), ys).slope, abs=1e-9)


def test_slope_on_large_offsets_stays_exact() -> None:
    ys = [1e9 + 0.5 * i for i in range(30)]
    assert ols_slope(ys) == pytest.approx(0.5, abs=1e-6)


def test_slope_needs_two_values() -> None:
    with pytest.raises(ValueError):
        ols_slope([1.0])


def test_window_is_the_last_n_runs() -> None:
    trend = judge(series([0, 100, 100, 90, 80]), Settings(window=3))
    assert [r.score_pct for r in trend.runs] == [100, 90, 80]
    assert trend.slope == pytest.approx(-10.0)
    assert (trend.run_count, trend.total_runs) == (3, 5)


@pytest.mark.parametrize(
    ("scores", "status"),
    [
        ([80, 79, 78], "regression"),  # -1.0 < -0.5
        ([80, 79.5, 79], "stable"),  # exactly -0.5 is not below the threshold
        ([80, 79.6, 79.2], "stable"),  # -0.4
        ([80, 80, 80], "stable"),  # 0 is not improving
        ([80, 80.1, 80.2], "improving"),
    ],
)
def test_verdicts_at_default_threshold(scores: list[float], status: str) -> None:
    assert judge(series(scores), Settings()).status == status


def test_fewer_runs_than_min_runs_is_insufficient_but_keeps_its_slope() -> None:
    trend = judge(series([90, 70]), Settings(min_runs=3))
    assert trend.status == "insufficient_data"
    assert trend.slope == pytest.approx(-20.0)


def test_single_run_has_no_slope() -> None:
    trend = judge(series([90]), Settings())
    assert (trend.status, trend.slope) == ("insufficient_data", None)


def test_custom_threshold() -> None:
    assert judge(series([80, 79, 78]), Settings(threshold=-2.0)).status == "stable"
    assert judge(series([80, 80.1, 80.2]), Settings(threshold=0.5)).status == "regression"


def test_agrees_with_statistics_linear_regression() -> None:
    rng = random.Random(7)
    ys = [rng.gauss(70, 5) for _ in range(10)]
    expected = statistics.linear_regression(range(10), ys).slope
    assert judge(series(ys), Settings()).slope == pytest.approx(expected, abs=1e-9)

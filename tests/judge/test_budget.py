"""The budget rule: its level, its step test's null rate, its widening, its verdicts.

Expected values come from SciPy, NumPy or a hand calculation, never from trendgate itself.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import optimize
from scipy import stats as scipy_stats

from tests.builders import write_series
from tests.judge.test_crossing import plain_bisection
from trendgate.errors import UsageError
from trendgate.judge import budget
from trendgate.judge.analysis import analyze
from trendgate.settings import Budget, Family, Settings, budget_settings, parse_budget

MONTH = 365.25 / 12


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/month", Budget(1.0, "month")),
        (" 0.5/week ", Budget(0.5, "week")),
        ("2/year", Budget(2.0, "year")),
    ],
)
def test_budgets_parse(text: str, expected: Budget) -> None:
    assert parse_budget(text) == expected


@pytest.mark.parametrize("text", ["1", "0/month", "-1/month", "1/fortnight", "x/day", "nan/day"])
def test_bad_budgets_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError, match="false-alarms must be N/PERIOD"):
        parse_budget(text)


def test_the_level_spreads_the_budget_over_the_familys_model_nights() -> None:
    settings = budget_settings(family=Family(20, 1.0))
    assert settings.level == pytest.approx(1 / (20 * MONTH))  # about 1/609
    quarterly = budget_settings(family=Family(4, 2.0), false_alarms=Budget(1.0, "quarter"))
    assert quarterly.level == pytest.approx(1 / (4 * 2.0 * 365.25 / 4))
    assert budget_settings(confidence=0.999).level == pytest.approx(0.001)
    assert Settings().level is None  # the proposal rule has no level


def test_the_pace_is_the_median_of_the_models_runs_per_day() -> None:
    day = 86_400.0
    nightly = [i * day for i in range(10)]
    twice = [i * day / 2 for i in range(10)]
    weekly = [i * 7 * day for i in range(5)]
    family = budget.family_of([nightly, twice, weekly, [0.0]], look_back=60)
    assert (family.models, family.runs_per_day, family.paced) == (4, 1.0, True)
    assert budget.family_of([[5.0, 5.0], [1.0]], 60) == Family(2, 1.0, paced=False)


def test_filtering_models_never_changes_the_level(tmp_path: Path) -> None:
    for name in ("a", "b", "c", "d"):
        write_series(tmp_path, name, [70, 71, 69, 70])
    everyone = analyze(tmp_path)
    one = analyze(tmp_path, models=["a"])
    assert one.settings.level == everyone.settings.level == pytest.approx(1 / (4 * MONTH))


@pytest.mark.parametrize(("m", "df", "k"), [(11, 24, 2), (4, 3, 3), (9, 20, 4)])
def test_the_step_tests_null_rate_is_the_multivariate_t_probability(
    m: int, df: int, k: int
) -> None:
    # Each of k new runs minus the mean of m earlier ones, over s sqrt(1 + 1/m): a k-variate t
    # with df degrees of freedom and correlation 1 / (m + 1) between any two.
    c = 2.1
    r = 1 / (m + 1)
    corr = np.full((k, k), r) + (1 - r) * np.eye(k)
    expected = scipy_stats.multivariate_t(np.zeros(k), corr, df=df).cdf(
        np.full(k, -c), maxpts=400_000, random_state=7
    )
    assert budget.step_rate(c, m, df, k) == pytest.approx(expected, rel=1e-2)


def _plain_step_rate(c: float, m: int, df: int, k: int) -> float:
    """step_rate as first written: Phi a function, the nodes built on every call."""

    def phi(x: float) -> float:
        return 0.5 * math.erfc(-x / math.sqrt(2))

    r = 1 / (m + 1)
    a, b = math.sqrt(r), math.sqrt(1 - r)
    dz = 16 / 64
    shared = []
    for i in range(65):
        z = -8 + i * dz
        simpson = (1 if i in (0, 64) else 4 if i % 2 else 2) * dz / 3
        shared.append((z, simpson * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)))
    total = 0.0
    for s, weight in budget._grid(df):
        h = -c * s
        total += weight * sum(w * phi((h - a * z) / b) ** k for z, w in shared)
    return total


@pytest.mark.parametrize(
    ("c", "m", "df", "k"), [(0.3, 1, 1, 2), (2.1, 11, 24, 2), (3.7, 10, 130, 3)]
)
def test_the_step_rate_is_bit_for_bit_its_plain_form(c: float, m: int, df: int, k: int) -> None:
    """Written out for speed, it must give the very same rates: a verdict at the critical value
    would otherwise change with it."""
    assert budget.step_rate(c, m, df, k) == _plain_step_rate(c, m, df, k)


@pytest.mark.parametrize(
    ("level", "m", "df", "k"),
    [(0.00038, 13, 22, 2), (0.00038, 3, 1, 2), (3e-05, 11, 40, 4), (0.3, 2, 3, 2)],
)
def test_the_step_critical_value_is_the_plain_bisections_to_the_bit(
    level: float, m: int, df: int, k: int
) -> None:
    """Its comparisons come from a bracket narrowed first, never its answer: a heavy tail
    (df 1, c near 500), a c below 1, and typical ones. SciPy's root of the same rate agrees."""
    plain = plain_bisection(lambda c: _plain_step_rate(c, m, df, k), level)
    assert budget.step_critical(level, m, df, k) == plain
    root = optimize.brentq(
        lambda c: _plain_step_rate(c, m, df, k) - level, 0.0, 2 * plain, xtol=1e-12
    )
    assert plain == pytest.approx(root, rel=2e-7)


def test_the_step_critical_value_gives_its_level_by_simulation() -> None:
    level, m, df, k = 0.002, 11, 24, 2
    c = budget.step_critical(level, m, df, k)
    rng = np.random.default_rng(3)
    n = 2_000_000
    earlier = rng.normal(size=n) / np.sqrt(m)
    latest = rng.normal(size=(n, k)).max(axis=1)
    s = np.sqrt(rng.chisquare(df, n) / df)
    rate = np.mean(latest - earlier < -c * s * np.sqrt(1 + 1 / m))
    assert rate == pytest.approx(level, abs=4 * math.sqrt(level / n))


def judge(scores: list[float], level: float = 1 / (20 * MONTH)) -> budget.Call:
    xs = [float(i) for i in range(len(scores))]
    return budget.verdict(xs, scores, [], [], level, 0.0, 3, None)


def test_a_clean_decline_over_six_nights_fails() -> None:
    call = judge([80.0, 78.1, 75.9, 74.2, 71.8, 70.1])
    assert (call.verdict, call.decided_by) == ("regression", "slope")


def test_two_runs_are_too_few_and_a_flat_history_is_stable() -> None:
    assert judge([80.0, 70.0]).verdict == "insufficient_data"
    assert judge([70.0, 71.0, 69.0, 70.0, 72.0, 70.0, 69.0, 71.0]).verdict == "stable"


def test_a_collapse_fails_on_its_second_night_by_the_step_test() -> None:
    history = [70.0, 72.0, 68.0, 71.0, 69.0, 70.0, 73.0, 67.0, 70.0, 71.0, 69.0, 70.0]
    assert judge([*history, 27.0]).verdict != "regression"  # one bad night alone
    call = judge([*history, 27.0, 28.0])
    assert (call.verdict, call.decided_by) == ("regression", "step-2")


BASE = [70.0, 72.0, 68.0, 71.0, 69.0, 70.0, 73.0, 67.0, 70.0, 71.0, 69.0]


def test_four_low_nights_fail_by_the_four_run_test_alone() -> None:
    # About 4.5 points low for four nights: too little for the slope, the 2- and 3-run tests.
    low = [66.0, 65.0, 65.8, 65.2]
    call = judge([*BASE, *low])
    assert (call.verdict, call.decided_by) == ("regression", "step-4")
    assert [t.failed for t in call.steps] == [False, False, True]
    assert judge([*BASE, *low[:3]]).verdict == "stable"


def test_each_step_test_spends_a_sixth_of_the_spent_level() -> None:
    # The critical values against SciPy's multivariate t at the noise NumPy computes: each of
    # the k latest runs minus the mean of the m before them, correlation 1 / (m + 1).
    ys = [*BASE, 66.0, 65.0, 65.8, 65.2]
    level = 1 / (20 * MONTH)
    call = judge(ys, level)
    assert [t.runs for t in call.steps] == [2, 3, 4]
    for test in call.steps:
        m, k = test.before, test.runs
        x = np.arange(m, dtype=float)
        resid = np.array(ys[:m]) - np.polyval(np.polyfit(x, ys[:m], 1), x)
        sd = math.sqrt(float(resid @ resid) / (m - 2))
        c = test.critical / (sd * math.sqrt(1 + 1 / m))
        r = 1 / (m + 1)
        corr = np.full((k, k), r) + (1 - r) * np.eye(k)
        rate = scipy_stats.multivariate_t(np.zeros(k), corr, df=m - 2).cdf(
            np.full(k, -c), maxpts=400_000, random_state=5
        )
        assert rate == pytest.approx(1.4 * level / 6, rel=0.03)
        gap = max(ys[m:]) - float(np.mean(ys[:m]))
        assert test.gap == pytest.approx(gap)


def test_the_familys_autocorrelation_widens_the_slope_and_the_steps() -> None:
    ys = [*BASE, 66.0, 65.0, 65.8, 65.2]
    xs = [float(i) for i in range(len(ys))]
    level = 1 / (20 * MONTH)
    plain = budget.verdict(xs, ys, [], [], level, 0.0, 3, None)
    at_floor = budget.verdict(xs, ys, [], [], level, 0.0, 3, 0.2)
    wide = budget.verdict(xs, ys, [], [], level, 0.0, 3, 0.3)
    factor = math.sqrt(1.3 / 0.7)
    fit = scipy_stats.linregress(xs, ys)
    assert plain.slope_stderr == at_floor.slope_stderr == pytest.approx(fit.stderr)
    assert wide.slope_stderr == pytest.approx(fit.stderr * factor)
    assert wide.autocorrelation == 0.3
    assert wide.widen == pytest.approx(factor)
    for narrow, widened in zip(plain.steps, wide.steps, strict=True):
        assert widened.critical == pytest.approx(narrow.critical * factor)
    assert plain.verdict == "regression" and wide.verdict != "regression"


def test_the_slope_test_against_scipy() -> None:
    ys = [5.0, 4.0, 2.0, 1.5]
    call = judge(ys, level=0.2)
    fit = scipy_stats.linregress([0, 1, 2, 3], ys)
    assert call.widen == 1.0
    assert call.slope_stderr == pytest.approx(fit.stderr)
    assert call.p_value == pytest.approx(scipy_stats.t.cdf(fit.slope / fit.stderr, 2))

"""The false-alarm budget: a team's "N false alarms a PERIOD" as each model's per-night level.

The level a model-night is judged at is the budget over the expected number of model-nights in
the period: budget / (period in days * models in the history * runs per day). The tests share
it by a calibrated Bonferroni split: the slope test gets half of SPEND times the level, each
step test (the last two, three and four runs, each of them below the runs before them) a
sixth. The tests overlap (four low runs end in three and two), so their union fails a flat
model less often than the sum of their levels; SPEND is what makes the union's rate the level
(docs/statistics.md, "The budget rule").
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from trendgate.judge import stats, tdist
from trendgate.judge.autocorrelation import NOISE_BLOCK, line_residuals, widening
from trendgate.judge.crossing import crossing
from trendgate.model import Noise, Verdict
from trendgate.settings import ASSUMED_PACE, DAY, Family

# Measured by bench/budget_design.py: with nominal levels adding up to the level, flat normal
# runs failed at 0.80 of it (10,842 model-months; 0.70-0.76 with two step tests); spending
# 1.4 times the level brings the union to about the level (1.06 a month for a budget of 1,
# bench/operating_points.py).
SPEND = 1.4
SLOPE_SHARE = 0.5  # of the spent level; the rest is split evenly over STEP_RUNS
# The step tests: each of the latest k runs below the window's earlier runs. The 4-run test
# catches a -13 step within 5 nights 91.4 % of the time instead of 89.8 % (budget_design.py).
STEP_RUNS = (2, 3, 4)


def family_of(timestamps: Sequence[Sequence[float]], look_back: int) -> Family:
    """The family of every model in a history: how many, and their median runs per day.

    Each model's pace is its runs over the days they span, over its newest `look_back` runs.
    """
    paces = []
    for stamps in timestamps:
        recent = sorted(stamps)[-look_back:]
        span = (recent[-1] - recent[0]) / DAY if recent else 0.0
        if len(recent) >= 2 and span > 0:
            paces.append((len(recent) - 1) / span)
    if not paces:
        return Family(max(1, len(timestamps)), ASSUMED_PACE, paced=False)
    return Family(max(1, len(timestamps)), statistics.median(paces))


_ROOT2 = math.sqrt(2)


_Z_NODES = 64  # Simpson intervals over the shared factor, z in [-8, 8]


def _shared_nodes() -> tuple[tuple[float, float], ...]:
    """(z, Simpson weight times the normal density) over z in [-8, 8]."""
    dz = 16 / _Z_NODES
    nodes = []
    for i in range(_Z_NODES + 1):
        z = -8 + i * dz
        simpson = (1 if i in (0, _Z_NODES) else 4 if i % 2 else 2) * dz / 3
        nodes.append((z, simpson * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)))
    return tuple(nodes)


_SHARED = _shared_nodes()
_V_NODES = 160  # Simpson intervals over log V, V the noise estimate's chi-square / df


@lru_cache(maxsize=256)
def _grid(df: int) -> tuple[tuple[float, float], ...]:
    """(sqrt(V / df), weight), V ~ chi-square(df): Simpson's rule in log V, weights summing to 1."""
    centre = math.log(df)
    low = centre - 40 / df - 8 * math.sqrt(2 / df)
    high = centre + max(10 * math.sqrt(2 / df), math.log1p(80 / df))
    step = (high - low) / _V_NODES
    points = []
    for j in range(_V_NODES + 1):
        y = low + j * step
        simpson = 1 if j in (0, _V_NODES) else 4 if j % 2 else 2
        w = simpson * math.exp(df / 2 * (y - centre) - (math.exp(y) - df) / 2)
        points.append((math.sqrt(math.exp(y) / df), w))
    total = sum(w for _, w in points)
    return tuple((s, w / total) for s, w in points)


def step_rate(c: float, m: int, df: int, k: int) -> float:
    """P(each of k new runs < mean of m earlier ones - c * s * sqrt(1 + 1/m)), no change.

    The differences share the earlier mean, so they are equicorrelated normals (r = 1/(m+1));
    with s an independent estimate on df degrees of freedom this is E over s and the shared
    factor z of Phi((h - sqrt(r) z) / sqrt(1 - r))^k, h = -c s / sigma.
    """
    r = 1 / (m + 1)
    a, b = math.sqrt(r), math.sqrt(1 - r)
    erfc = math.erfc
    shared = [(a * z, w) for z, w in _SHARED]
    total = 0.0
    for s, weight in _grid(df):
        h = -c * s
        # Phi(x) = erfc(-x / sqrt(2)) / 2 written out, not called: a bisection asks for tens of
        # rates, each 10,000 terms (a year's site paid seconds for the calls alone).
        total += weight * sum([w * (0.5 * erfc(-((h - az) / b) / _ROOT2)) ** k for az, w in shared])
    return total


@lru_cache(maxsize=1024)
def step_critical(level: float, m: int, df: int, k: int) -> float:
    """The c at which step_rate is `level` (bisection on c; the rate falls as c grows)."""
    return crossing(lambda c: step_rate(c, m, df, k), level)


@dataclass(frozen=True)
class Blocks:
    """Pooled line-fit residuals: their sum of squares, degrees of freedom and runs."""

    rss: float = 0.0
    df: int = 0
    runs: int = 0

    def __add__(self, other: Blocks) -> Blocks:
        return Blocks(self.rss + other.rss, self.df + other.df, self.runs + other.runs)


def line_blocks(xs: Sequence[float], ys: Sequence[float]) -> Blocks:
    """One line fit's residual sum of squares (nothing below 3 points)."""
    res = line_residuals(xs, ys)
    return Blocks(sum(r * r for r in res), len(res) - 2, len(res)) if res else Blocks()


def history_blocks(xs: Sequence[float], ys: Sequence[float], block: int) -> Blocks:
    """line_blocks over consecutive blocks of `block` runs, from the last back."""
    total = Blocks()
    end = len(xs)
    while end >= 3:
        start = max(0, end - block)
        total = total + line_blocks(xs[start:end], ys[start:end])
        end = start
    return total


@dataclass(frozen=True)
class StepTest:
    """The latest `runs` runs, each against the mean of the `before` runs that precede them."""

    runs: int
    before: int
    gap: float  # the highest of the latest runs minus the earlier mean, in points
    critical: float  # the gap fails below -critical
    failed: bool


def step_test(
    xs: Sequence[float],
    ys: Sequence[float],
    pool: Blocks,
    k: int,
    level: float,
    widen: float,
) -> StepTest | None:
    """Whether each of the latest k runs lies below the earlier runs, at `level`.

    The noise is the earlier runs' own line fit pooled with the history's, none of it from the
    latest k runs, so it is independent of the gap and step_rate is exact for normal runs.
    """
    m = len(ys) - k
    if m < 2:
        return None
    noise = line_blocks(xs[:m], ys[:m]) + pool
    if noise.df < 1:
        return None
    sd = math.sqrt(noise.rss / noise.df) * widen
    gap = max(ys[m:]) - sum(ys[:m]) / m
    critical = step_critical(level, m, noise.df, k) * sd * math.sqrt(1 + 1 / m)
    return StepTest(k, m, gap, critical, gap < -critical)


@dataclass(frozen=True)
class Call:
    """The budget rule's verdict on a window and what decided it."""

    verdict: Verdict
    level: float  # the chance a flat model fails tonight, all tests together
    decided_by: str | None  # "slope", "step-2", "step-3" or "step-4": the first test that failed
    noise: Noise | None
    pool: Blocks  # the history's, before the window
    autocorrelation: float | None  # the lag-1 autocorrelation allowed for (the family's)
    widen: float  # the factor on the standard errors for it
    slope_stderr: float | None
    p_value: float | None  # one-sided for a decline, at the widened standard error
    steps: tuple[StepTest, ...] = ()


def verdict(
    xs: Sequence[float],
    ys: Sequence[float],
    earlier_xs: Sequence[float],
    earlier_ys: Sequence[float],
    level: float,
    floor: float,
    min_runs: int,
    rho: float | None,
) -> Call:
    """Judge a window at `level`: the slope test, then the step tests, Bonferroni-split.

    `earlier_*` are the comparable runs before the window within the noise look-back; a
    regression also needs the slope below `floor` (the threshold). `rho` is the lag-1
    autocorrelation to allow for (the family's pooled estimate; None: none).
    """
    pool = history_blocks(earlier_xs, earlier_ys, NOISE_BLOCK)
    fit = stats.ols(xs, ys)
    if fit is None or len(ys) < max(3, min_runs):
        return Call("insufficient_data", level, None, None, pool, rho, 1.0, None, None)
    noise = stats.noise(fit, stats.Pool(pool.rss, pool.df, pool.runs))
    assert noise is not None  # three runs leave a residual
    widen = widening(rho)
    se = stats.slope_stderr(fit, noise) * widen
    # A perfect line (no residual): its sign is certain.
    p = tdist.t_cdf(fit.slope / se, noise.df) if se > 0 else 0.0 if fit.slope < 0 else 1.0
    spent = min(1.0, SPEND * level)
    share = spent * SLOPE_SHARE
    step_level = spent * (1 - SLOPE_SHARE) / len(STEP_RUNS)
    steps = tuple(t for k in STEP_RUNS if (t := step_test(xs, ys, pool, k, step_level, widen)))
    failed = ["slope"] if p < share else []
    failed += [f"step-{t.runs}" for t in steps if t.failed]
    if failed and fit.slope < floor:
        verdict: Verdict = "regression"
    elif (fit.slope > 0 and se > 0 and 1 - p < share) or (se == 0 and fit.slope > 0):
        verdict = "improving"
    else:
        verdict = "stable"
    decided = failed[0] if verdict == "regression" else None
    return Call(verdict, level, decided, noise, pool, rho, widen, se, p, steps)

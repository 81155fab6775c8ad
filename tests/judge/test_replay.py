"""The replay of the gate over history, checked against an independent re-judging."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from pathlib import Path

import pytest
from scipy import stats

from tests.builders import result_doc, write_doc, write_series
from trendgate.judge.analysis import analyze, backtest
from trendgate.judge.autocorrelation import estimate
from trendgate.judge.pooled import pooled, timeline
from trendgate.judge.trend import rule_on
from trendgate.model import Series
from trendgate.settings import Settings, budget_settings


def _as_of(series: Series, k: int) -> Settings:
    """The series' settings with its family (itself) pooled after its k-th run."""
    family = series.settings.family
    assert family is not None
    part = pooled([replace(series, runs=series.runs[:k])])
    return replace(series.settings, family=replace(family, pooled=part))


SCORES = [80.0, 81.0, 79.0, 76.0, 77.0, 74.0, 75.0, 75.5, 76.0]


def _regresses(xs: list[int], window: list[float], settings: Settings) -> bool:
    """The rule without the single-run guard, by SciPy."""
    if len(window) < max(2, settings.min_runs):
        return False
    fit = stats.linregress(xs, window)
    if fit.slope >= settings.threshold:
        return False
    if settings.confidence is None:
        return True
    if len(window) < 3:
        return False
    high = fit.slope + stats.t.ppf((1 + settings.confidence) / 2, len(window) - 2) * fit.stderr
    return bool(high < 0)


def expected_status(scores: list[float], settings: Settings) -> str:
    """The rule re-derived with SciPy: under confidence, the guard and the lifted interval."""
    window = scores[-settings.window :]
    if len(window) < max(2, settings.min_runs):
        return "insufficient_data"
    fit = stats.linregress(range(len(window)), window)
    if fit.slope < settings.threshold:
        if settings.confidence is None:
            return "regression"
        # A run left out keeps the others at their places on the x axis.
        xs = list(range(len(window)))
        rests = [(xs[:i] + xs[i + 1 :], window[:i] + window[i + 1 :]) for i in xs]
        slopes = [stats.linregress(*rest).slope for rest in rests]
        rest = rests[slopes.index(max(slopes))]
        held = _regresses(xs, window, settings) and _regresses(*rest, settings)
        return "regression" if held else "inconclusive"
    if fit.slope <= 0:
        return "stable"
    if settings.confidence is None or len(window) < 3:
        return "improving" if settings.confidence is None else "stable"
    low = fit.slope - stats.t.ppf((1 + settings.confidence) / 2, len(window) - 2) * fit.stderr
    return "improving" if low > 0 else "stable"


@pytest.mark.parametrize(
    "settings",
    [Settings(window=4), Settings(window=5, confidence=0.9), Settings(min_runs=3, threshold=-1)],
)
def test_each_verdict_is_the_gate_on_the_runs_so_far(tmp_path: Path, settings: Settings) -> None:
    write_series(tmp_path, "m", SCORES)
    (replay,) = backtest(tmp_path, settings).replays
    assert [v.after.run_id for v in replay.verdicts] == [f"{i:04d}" for i in range(1, 10)]
    assert [v.verdict for v in replay.verdicts] == [
        expected_status(SCORES[:k], settings) for k in range(1, 10)
    ]
    assert replay.failures == tuple(v for v in replay.verdicts if v.verdict == "regression")


def test_backtest_carries_today_s_analysis(tmp_path: Path) -> None:
    write_series(tmp_path, "m", SCORES)
    (tmp_path / "bad.json").write_text("{")
    result = backtest(tmp_path, Settings(window=4))
    assert result.analysis.files_read == 9
    assert [k.path for k in result.analysis.skipped] == ["bad.json"]
    today, last = result.analysis.trends[0], result.replays[0].verdicts[-1]
    assert (last.verdict, last.slope, last.run_count) == (today.verdict, today.slope, 4)


@pytest.mark.parametrize("segment", [True, False])
@pytest.mark.parametrize("x", ["run", "time"])
def test_the_budget_replay_is_judging_each_prefix_from_scratch(
    tmp_path: Path, segment: bool, x: str
) -> None:
    """The replay carries the comparable runs from one prefix to the next; judging each prefix
    alone (trend.rule_on without them) must give the very same rulings, breaks included."""
    rng = random.Random(7)
    for i in range(60):
        version = "v1" if i < 20 else "v2" if i < 23 or i >= 27 else "v3"
        tasks = [0.7 - (0.004 * (i - 40) if i > 40 else 0) + rng.gauss(0, 0.02)]
        if 30 <= i < 33:
            tasks.append(0.5)  # the task set changes for three runs
        doc = result_doc("m", f"{i:04d}", 1e9 + i * 86_400 + rng.random() * 9e3, tasks)
        write_doc(tmp_path, f"{i:04d}.json", {**doc, "benchmark_version": version})
    settings = budget_settings(segment=segment, x=x, noise_runs=30)
    result = backtest(tmp_path, settings)
    (series,), (replayed,) = result.analysis.series, result.replays
    plain = [rule_on(Series("m", series.runs[:k]), _as_of(series, k)) for k in range(1, 61)]
    assert [(v.verdict, v.slope, v.run_count) for v in replayed.verdicts] == [
        (p.verdict, None if p.fit is None else p.fit.slope, len(p.window)) for p in plain
    ]
    assert {v.verdict for v in replayed.verdicts} >= {"insufficient_data", "stable", "regression"}


def _family(folder: Path, wave_runs: int) -> None:
    """Model a zigzags (a negative autocorrelation) and declines from run 15; model b holds
    still for 30 runs, then wanders in a slow wave until run `wave_runs`."""
    rng = random.Random(3)
    for i in range(40):
        stamp = 1e9 + i * 86_400
        zigzag = 0.7 + 0.02 * (-1) ** i - 0.01 * max(0, i - 15) + rng.gauss(0, 0.005)
        write_doc(folder, f"a{i:04d}.json", result_doc("a", f"{i:04d}", stamp, [zigzag]))
        if i < wave_runs:
            wave = 0.1 * math.sin(i / 2) if i >= 30 else 0.0
            doc = result_doc("b", f"{i:04d}", stamp + 60, [0.7 + wave + rng.gauss(0, 0.005)])
            write_doc(folder, f"b{i:04d}.json", doc)


def test_the_replay_uses_the_familys_autocorrelation_as_of_each_night(tmp_path: Path) -> None:
    # b's later runs wander slowly (a strong autocorrelation): the family's estimate rises
    # after night 30, and nights before it are judged as if those runs did not exist.
    full, cut = tmp_path / "full", tmp_path / "cut"
    full.mkdir()
    cut.mkdir()
    _family(full, 40)
    _family(cut, 30)
    whole, early = backtest(full), backtest(cut)
    assert [v.verdict for v in whole.replays[0].verdicts][:31] == [
        v.verdict for v in early.replays[0].verdicts
    ][:31]
    line = timeline(whole.analysis.series)
    # After night 30 (a and b each) and after the last: b's share has turned autocorrelated.
    a = whole.analysis.series[0]
    rho_early = estimate(line[59][1] - pooled([replace(a, runs=a.runs[:30])]))
    tonight = analyze(full).settings.family
    assert tonight is not None and tonight.pooled is not None
    rho_late = estimate(tonight.pooled - pooled([a]))
    assert rho_early is not None and rho_late is not None and rho_late > rho_early + 0.2
    # Tonight's family, in the analysis, is the timeline's last; filtering does not change it.
    assert tonight.pooled.layouts == line[-1][1].layouts
    assert tonight.pooled.total == pytest.approx(line[-1][1].total)
    only_a = analyze(full, models=["a"]).settings.family
    assert only_a == tonight

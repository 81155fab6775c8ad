"""The replay of the gate over history, checked against an independent re-judging."""

from __future__ import annotations

from pathlib import Path

import pytest
from scipy import stats

from tests.builders import write_series
from trendgate.analysis import backtest
from trendgate.settings import Settings

SCORES = [80.0, 81.0, 79.0, 76.0, 77.0, 74.0, 75.0, 75.5, 76.0]


def expected_status(scores: list[float], settings: Settings) -> str:
    """The original rule, with SciPy's slope and interval for the confidence gate."""
    window = scores[-settings.window :]
    if len(window) < max(2, settings.min_runs):
        return "insufficient_data"
    fit = stats.linregress(range(len(window)), window)
    if fit.slope < settings.threshold:
        if settings.confidence is None:
            return "regression"
        if len(window) < 3:
            return "inconclusive"
        high = fit.slope + stats.t.ppf((1 + settings.confidence) / 2, len(window) - 2) * fit.stderr
        return "regression" if high < 0 else "inconclusive"
    return "improving" if fit.slope > 0 else "stable"


@pytest.mark.parametrize(
    "settings",
    [Settings(window=4), Settings(window=5, confidence=0.9), Settings(min_runs=3, threshold=-1)],
)
def test_each_verdict_is_the_gate_on_the_runs_so_far(tmp_path: Path, settings: Settings) -> None:
    write_series(tmp_path, "m", SCORES)
    (replay,) = backtest(tmp_path, settings).replays
    assert [v.after.run_id for v in replay.verdicts] == [f"{i:04d}" for i in range(1, 10)]
    assert [v.status for v in replay.verdicts] == [
        expected_status(SCORES[:k], settings) for k in range(1, 10)
    ]
    assert replay.failures == tuple(v for v in replay.verdicts if v.status == "regression")


def test_backtest_carries_today_s_analysis(tmp_path: Path) -> None:
    write_series(tmp_path, "m", SCORES)
    (tmp_path / "bad.json").write_text("{")
    result = backtest(tmp_path, Settings(window=4))
    assert result.analysis.files_read == 9
    assert [k.path for k in result.analysis.skipped] == ["bad.json"]
    today, last = result.analysis.trends[0], result.replays[0].verdicts[-1]
    assert (last.status, last.slope, last.run_count) == (today.status, today.slope, 4)

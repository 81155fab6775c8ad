"""Stale series: the limit from a series' own pace, and the flag as of now or of each run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import write_series
from trendgate.judge.stale import Pace, limit_days, stale_series, stops, usual_interval
from trendgate.settings import DAY

T0 = 1_778_000_000.0


def daily(n: int, start: float = T0, step: float = DAY) -> list[float]:
    return [start + i * step for i in range(n)]


def test_usual_interval_is_the_median_gap() -> None:
    # Gaps 1, 1, 5 days: the median is 1, whatever the one long gap.
    assert usual_interval([0, DAY, 2 * DAY, 7 * DAY]) == DAY
    assert usual_interval([0.0]) is None


@pytest.mark.parametrize(
    ("window", "pooled", "stale_after", "days"),
    [
        (daily(5), None, None, 3.0),  # three daily intervals
        (daily(5, step=0.25 * DAY), None, None, 2.0),  # 0.75 days, raised to the 2-day floor
        (daily(5, step=7 * DAY), None, None, 21.0),  # weekly runs: three weeks
        ([T0], 2 * DAY, None, 6.0),  # one run: the pooled interval of all models
        ([T0], None, None, 2.0),  # one run and nothing to pool: the floor
        (daily(5), None, 0.5, 0.5),  # --stale-after wins, even below the floor
    ],
)
def test_limit(
    window: list[float], pooled: float | None, stale_after: float | None, days: float
) -> None:
    assert limit_days(window, pooled, stale_after) == pytest.approx(days)


def test_a_series_is_stale_only_past_its_limit() -> None:
    paces = [
        Pace("going", daily(20), 10),
        Pace("stopped", daily(10), 10),  # last run 10 days before the others' last
        Pace("paused", daily(17), 10),  # 3 days behind: exactly the limit, not past it
    ]
    (stale,) = stale_series(paces)
    assert (stale.model, stale.since, stale.newest) == ("stopped", T0 + 9 * DAY, T0 + 19 * DAY)
    assert stale.limit_days == pytest.approx(3.0)


def test_nothing_is_stale_alone() -> None:
    assert stale_series([Pace("only", daily(3), 10)]) == ()


def test_stops_replay_each_moment_with_the_limit_of_then() -> None:
    # "old" ran daily for 5 days, stopped for 6, ran once more, then stopped for good.
    old = [*daily(5), T0 + 10 * DAY]
    (first, second) = stops([Pace("old", old, 10), Pace("new", daily(20), 10)])
    # Flagged at the first run of "new" more than three days after its last one.
    assert (first.since, first.flagged, first.resumed) == (T0 + 4 * DAY, T0 + 8 * DAY, old[-1])
    assert (second.since, second.resumed) == (old[-1], None)
    # After the gap, its usual interval is still 1 day (gaps 1,1,1,1,6): flagged 4 days on.
    assert second.flagged == T0 + 14 * DAY


def trendgate(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trendgate", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def renamed(results: Path) -> None:
    """A model renamed 10 days ago: the old name's series is stopped, and declined."""
    write_series(results, "vendor/old-name", [80, 78, 76, 74, 72])
    write_series(results, "vendor/new-name", [72] * 15, first_run=10, start=T0 + 5 * DAY)


def test_a_stopped_series_is_flagged_in_every_report_and_still_fails(tmp_path: Path) -> None:
    results = tmp_path / "results"
    renamed(results)
    reports = ("--json", tmp_path / "r.json", "--markdown", tmp_path / "s.md")
    proc = trendgate(results, "--rule", "proposal", *reports)
    assert proc.returncode == 1, proc.stderr  # its decline still fails the gate
    lines = proc.stdout.splitlines()
    hint = lines.index(
        "▼ REGRESSION: vendor/old-name slope=-2.00 points/run over last 5 runs (threshold=-0.50)"
    )
    stale_line = next(line for line in lines[hint:] if "no run since" in line)
    assert stale_line == (
        "    no run since 2026-05-09, while others ran until 2026-05-24 (stale after 3.0 days): "
        "if it was renamed, list its new name under aliases: in trendgate.yml; "
        "if it was retired, set ignore: true for it under models:"
    )
    assert lines[-1] == (
        "FAIL: 1 of 2 models regress (vendor/old-name); details above; "
        "1 has had no run since 2026-05-09"
    )
    report = json.loads((tmp_path / "r.json").read_text())
    stale = {m["model"]: m["stale_since"] for m in report["models"]}
    assert stale == {"vendor/new-name": None, "vendor/old-name": "2026-05-09T16:53:20Z"}
    assert [m["status"] for m in report["models"]] == ["stable", "regression"]
    summary = (tmp_path / "s.md").read_text()
    assert "#### Stopped series" in summary and "⏸️ 1 stopped series" in summary.splitlines()[0]


def test_stale_after_sets_the_limit_and_the_backtest_replays_it(tmp_path: Path) -> None:
    results = tmp_path / "results"
    renamed(results)
    lenient = trendgate(results, "--stale-after", "20", "--format", "json")
    assert [m["stale_since"] for m in json.loads(lenient.stdout)["models"]] == [None, None]
    replayed = trendgate("backtest", results, "--format", "json")
    assert replayed.returncode == 0, replayed.stderr
    old = json.loads(replayed.stdout)["models"][1]
    # Its last run is on day 4; "new" runs daily from day 5: past 3 days on day 8.
    assert old["stale"] == [
        {"since": "2026-05-09T16:53:20Z", "flagged": "2026-05-13T16:53:20Z", "resumed": None}
    ]
    text = trendgate("backtest", results).stdout.splitlines()
    assert "vendor/old-name: no run after 2026-05-09: flagged stale from 2026-05-13" in text


def test_stale_after_per_model_in_the_config(tmp_path: Path) -> None:
    results = tmp_path / "results"
    renamed(results)
    config = tmp_path / "trendgate.yml"
    config.write_text('models:\n  "vendor/old-*":\n    stale_after: 30\n')
    report = json.loads(trendgate(results, "--config", config, "--format", "json").stdout)
    old = report["models"][1]
    assert (old["stale_since"], old["settings"]["stale_after"]) == (None, 30.0)
    assert old["rules"] == [{"pattern": "vendor/old-*", "stale_after": 30.0}]
    bad = trendgate(results, "--stale-after", "0")
    assert bad.returncode == 2
    assert bad.stderr == (
        "trendgate: error: argument --stale-after: stale-after must be a positive number of "
        "days (got 0.0)\n"
    )


def _stops_by_every_pair(paces: list[Pace]) -> set[tuple[str, float, float, float | None]]:
    """stops() as first written: each series against every moment of every other (quadratic)."""
    import bisect

    from trendgate.judge.stale import pooled_interval

    pooled = pooled_interval(paces)
    found = set()
    for pace in paces:
        others = sorted({t for p in paces if p is not pace for t in p.times})
        times = list(pace.times)
        flagged_since: float | None = None
        for moment in others:
            at = bisect.bisect_right(times, moment)
            if at == 0:
                continue
            since = times[at - 1]
            if since == flagged_since:
                continue
            window = times[max(0, at - pace.window) : at]
            if moment - since > limit_days(window, pooled, pace.stale_after) * DAY:
                found.add((pace.model, since, moment, times[at] if at < len(times) else None))
                flagged_since = since
    return found


@pytest.mark.parametrize("seed", range(30))
def test_stops_and_stale_series_agree_with_every_pair(seed: int) -> None:
    # Issue 23: both are n log n in the series now; they must flag exactly what comparing
    # every pair did (random gaps of 0 to 9 days, shared moments, repeated times).
    import random

    rng = random.Random(seed)
    paces = []
    for m in range(rng.randint(1, 6)):
        times = sorted(
            T0 + rng.randint(0, 9) * DAY * rng.random() // 3600 * 3600
            for _ in range(rng.randint(1, 12))
        )
        stale_after = rng.choice([None, None, 1.5, 4.0])
        paces.append(Pace(f"m{m}", times, rng.randint(2, 5), stale_after))
    got = {(s.model, s.since, s.flagged, s.resumed) for s in stops(paces)}
    assert got == _stops_by_every_pair(paces)
    for s in stale_series(paces):
        assert s.newest == max(p.times[-1] for p in paces if p.model != s.model)
    flagged = {s.model for s in stale_series(paces)}
    for pace in paces:
        ends = [p.times[-1] for p in paces if p is not pace]
        if not ends:
            continue
        limit = limit_days(pace.times[-pace.window :], None, pace.stale_after)
        if pace.stale_after is not None or len(pace.times[-pace.window :]) > 1:
            assert (max(ends) - pace.times[-1] > limit * DAY) == (pace.model in flagged)

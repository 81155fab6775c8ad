"""What to do next: the accept entry covers the latest run, whatever its fraction of a second."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import yaml

from tests.builders import write_series
from trendgate.judge.analysis import analyze
from trendgate.report.next_steps import accept_after, accept_entry, names_in_line


def test_accept_after_is_the_latest_run_rounded_up_to_the_second(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [90, 80], start=1_778_000_000.25)
    (trend,) = analyze(tmp_path).trends
    after = datetime.fromisoformat(accept_after(trend).replace("Z", "+00:00"))
    latest = trend.runs[-1].timestamp
    assert after == datetime.fromtimestamp(1_778_086_401, tz=timezone.utc)
    assert latest <= after.timestamp() < latest + 1
    (entry,) = yaml.safe_load(accept_entry(trend))
    assert entry == {"model": "m", "after": accept_after(trend), "reason": entry["reason"]}


def test_names_in_line_counts_past_three(tmp_path: Path) -> None:
    for i in range(5):
        write_series(tmp_path, f"m{i}", [90, 80], first_run=10 * i + 1)
    assert names_in_line(analyze(tmp_path).trends) == "m0, m1, m2 and 2 more"

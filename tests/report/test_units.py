"""One unit for a slope in every report: points per run (or day); `%/run` is the proposal's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import write_series
from tests.command import Command

# A clean decline (regression, with its evidence), and one resting on its last run alone
# (inconclusive under --confidence), so that every evidence line is written.
CLEAN = [90.0, 88.1, 86.0, 84.2, 82.0, 79.9, 78.1, 76.0]
ONE_RUN = [80.0, 80.5, 79.6, 80.2, 79.8, 80.1, 79.9, 60.0]


@pytest.mark.parametrize(("x", "unit"), [("run", "run"), ("time", "day")])
def test_no_report_but_the_proposal_s_summary_says_percent_per_run(
    tmp_path: Path, trendgate: Command, x: str, unit: str
) -> None:
    write_series(tmp_path / "results", "clean", CLEAN)
    write_series(tmp_path / "results", "one-run", ONE_RUN)
    reports = {name: tmp_path / f"report.{name}" for name in ("json", "markdown", "junit")}
    flags = [f"--{name}={path}" for name, path in reports.items()]
    for extra in ([], ["--confidence", "0.95"]):
        result = trendgate(
            str(tmp_path / "results"), "--verbose", "--no-fail", "--x", x, *flags, *extra
        )
        texts = [result.stdout] + [p.read_text(encoding="utf-8") for p in reports.values()]
        assert f"points/{unit}" in result.stdout
        assert all("%/" not in text for text in texts)

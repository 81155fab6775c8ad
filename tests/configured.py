"""A results directory and config file that use every kind of rule, for the report tests."""

from __future__ import annotations

from pathlib import Path

from tests.builders import write_series
from trendgate.app.job import Job
from trendgate.app.run import with_config
from trendgate.judge.analysis import analyze
from trendgate.model import Analysis

NOW = 1_779_100_000.0  # a few hours after the newest run ("joined"'s second)

CONFIG = """\
rule: proposal
window: 4
models:
  "vendor/*":
    threshold: -3.0
  "free/*":
    ignore: true
aliases:
  "joined": ["old-name"]
accept:
  - model: "accepted"
    after_run: "0043"
    reason: "switched judge to haiku-4.5"
"""


def configured(tmp_path: Path) -> Analysis:
    """Analyze a directory where every config rule applies to some model."""
    results = tmp_path / "results"
    write_series(results, "vendor/strict", [90, 88, 86, 84])  # slope -2: stable under -3
    write_series(results, "down", [90, 88, 86, 84], first_run=10)  # regression
    write_series(results, "free/m", [50, 40, 30], first_run=20)  # ignored
    write_series(results, "one", [50], first_run=25)  # insufficient data
    write_series(results, "old-name", [60, 61], first_run=30)
    write_series(results, "joined", [62, 63], first_run=32, start=1_779_000_000.0)
    write_series(results, "accepted", [90, 80, 70, 60, 60, 61], first_run=40)
    (results / "broken.json").write_text("{")
    config_file = tmp_path / "trendgate.yml"
    config_file.write_text(CONFIG)
    job, rules = with_config(Job(config=str(config_file)))
    return analyze(results, job.settings, rules=rules, now=NOW)

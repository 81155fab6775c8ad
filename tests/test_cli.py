"""The `trendgate` command end to end, through a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import write_series


def trendgate(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    return subprocess.run(
        [sys.executable, "-m", "trendgate", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=60,
    )


@pytest.fixture
def results(tmp_path: Path) -> Path:
    directory = tmp_path / "results"
    write_series(directory, "down", [90, 88, 86, 84])
    write_series(directory, "flat", [70, 70, 70], first_run=10)
    return directory


def test_regression_exits_1_with_text_report(results: Path) -> None:
    proc = trendgate(results)
    assert proc.returncode == 1, proc.stderr
    assert "▼ REGRESSION: down slope=-2.00%/run over last 4 runs (threshold=-0.50)" in proc.stdout
    assert "→ stable: flat slope=+0.00%/run over last 3 runs" in proc.stdout
    assert proc.stderr == ""


def test_no_regression_exits_0(results: Path) -> None:
    proc = trendgate(results, "--model", "flat")
    assert proc.returncode == 0, proc.stderr
    assert "down" not in proc.stdout


def test_no_fail_reports_but_exits_0(results: Path) -> None:
    proc = trendgate(results, "--no-fail")
    assert proc.returncode == 0
    assert "▼ REGRESSION" in proc.stdout


def test_threshold_and_window_change_the_verdict(results: Path) -> None:
    assert trendgate(results, "--threshold", "-3").returncode == 0
    assert trendgate(results, "--window", "2", "--threshold", "-2.5").returncode == 0


def test_min_runs(results: Path) -> None:
    proc = trendgate(results, "--min-runs", "5")
    assert proc.returncode == 0
    assert "· insufficient data: down (4 runs)" in proc.stdout


def test_json_format_on_stdout(results: Path) -> None:
    proc = trendgate(results, "--format", "json")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert [(m["model"], m["status"]) for m in report["models"]] == [
        ("down", "regression"),
        ("flat", "stable"),
    ]


def test_json_file_beside_text(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    proc = trendgate(results, "--json", out)
    assert proc.stdout.startswith("trendgate: ")
    assert json.loads(out.read_text())["regression"] is True
    assert not list(tmp_path.glob(".report.json.*"))  # no temporary file left behind


def test_default_directory_is_results(results: Path) -> None:
    assert trendgate(cwd=results.parent).returncode == 1


def test_output_dir_alias(results: Path) -> None:
    assert trendgate("--output-dir", results).returncode == 1
    assert trendgate(results, "--output-dir", results).returncode == 1
    proc = trendgate(results, "--output-dir", results.parent)
    assert proc.returncode == 2
    assert "give the results directory once" in proc.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--window", "1"], "argument --window: window must be at least 2 (got 1)"),
        (["--min-runs", "1"], "argument --min-runs: min-runs must be at least 2 (got 1)"),
        (["--threshold", "x"], "argument --threshold: threshold must be a number (got 'x')"),
        (["--format", "xml"], "argument --format: invalid choice"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_exit_2(results: Path, args: list[str], message: str) -> None:
    proc = trendgate(results, *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_model_exits_2(results: Path) -> None:
    proc = trendgate(results, "--model", "nope")
    assert proc.returncode == 2
    assert proc.stderr == "trendgate: error: no runs for model 'nope'\n"


def test_missing_directory_exits_2(tmp_path: Path) -> None:
    proc = trendgate(tmp_path / "nope")
    assert proc.returncode == 2
    assert proc.stderr == f"trendgate: error: results directory not found: {tmp_path / 'nope'}\n"


def test_empty_directory_exits_2_unless_allowed(tmp_path: Path) -> None:
    proc = trendgate(tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == f"trendgate: error: no result files (*.json) in {tmp_path}\n"
    assert trendgate(tmp_path, "--allow-empty").returncode == 0


def test_nothing_readable_exits_2_and_lists_why(tmp_path: Path) -> None:
    (tmp_path / "0001_m.json").write_text('{"model": "m", "in_progress": true}')
    proc = trendgate(tmp_path)
    assert proc.returncode == 2
    assert "  - 0001_m.json: partial file (in_progress: true)" in proc.stdout
    assert proc.stderr.endswith("all 1 files were skipped\n")
    assert "Traceback" not in proc.stderr


def test_version() -> None:
    proc = trendgate("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("trendgate ")


def test_help_lists_exit_codes() -> None:
    proc = trendgate("-h")
    assert proc.returncode == 0
    assert "Exit codes: 0 no regression, 1 a model regresses, 2 usage or input error" in (
        " ".join(proc.stdout.split())
    )


def test_real_samples(samples: Path) -> None:
    proc = trendgate(samples, "--format", "json")
    assert proc.returncode == 0
    report = json.loads(proc.stdout)
    assert {m["model"]: m["status"] for m in report["models"]} == {
        "agent:main": "insufficient_data",
        "clean-r1-fp32": "insufficient_data",
        "step16-lora": "insufficient_data",
        "step8-lora": "insufficient_data",
    }
    assert report["skipped"] == []

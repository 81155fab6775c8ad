"""The whole analysis of a directory, including the legacy and multi-run shapes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.builders import result_doc, task_entry, write_doc, write_series
from trendgate.analysis import analyze, backtest
from trendgate.report.json import render_json
from trendgate.settings import Settings


def test_regressing_and_stable_models(tmp_path: Path) -> None:
    write_series(tmp_path, "down", [90, 88, 86, 84])
    write_series(tmp_path, "flat", [70, 70, 70, 70], first_run=10)
    analysis = analyze(tmp_path)
    assert [(t.model, t.status) for t in analysis.trends] == [
        ("down", "regression"),
        ("flat", "stable"),
    ]
    assert analysis.regression
    assert analysis.files_read == 8
    assert analysis.nothing_to_gate is None


def test_legacy_and_three_run_directory(tmp_path: Path) -> None:
    # February 2026 shape: a single GradeResult per task, `score` and no `mean`.
    for i, score in enumerate([0.9, 0.8, 0.7]):
        doc = {
            "model": "legacy",
            "run_id": f"{i + 1:04d}",
            "timestamp": 1_770_700_000.0 + i * 3600,
            "tasks": [
                {"task_id": "task_00_sanity", "grading": {"score": 1.0, "max_score": 1.0}},
                {"task_id": "task_01_calendar", "grading": {"score": score, "max_score": 1.0}},
            ],
        }
        write_doc(tmp_path, f"legacy-{i}.json", doc)
    # Upstream `--runs 3`: three identical entries per task.
    for i, score in enumerate([0.6, 0.6, 0.3]):
        doc = result_doc("multi", f"{i + 10:04d}", 1_780_000_000.0 + i, [0.0], runs_per_task=3)
        doc["tasks"] = [task_entry("a", score) for _ in range(3)] + [task_entry("b", 1.0)] * 3
        write_doc(tmp_path, f"multi-{i}.json", doc)
    legacy, multi = analyze(tmp_path).trends
    assert [r.score_pct for r in legacy.runs] == pytest.approx([95.0, 90.0, 85.0])
    assert legacy.slope == pytest.approx(-5.0)
    assert [r.score_pct for r in multi.runs] == pytest.approx([80.0, 80.0, 65.0])
    assert [r.task_count for r in multi.runs] == [2, 2, 2]
    assert multi.slope == pytest.approx(-7.5)


def test_skipped_files_are_listed_in_name_order(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [50, 50])
    (tmp_path / "b.json").write_text("{")
    (tmp_path / "a.json").write_text("[]")
    analysis = analyze(tmp_path)
    assert [k.path for k in analysis.skipped] == ["a.json", "b.json"]
    assert analysis.files_read == 2


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda d: None, "no result files (*.json) in {d}"),
        (
            lambda d: (d / "x.json").write_text("no"),
            "no readable run in {d}: all 1 files were skipped",
        ),
    ],
)
def test_nothing_to_gate(tmp_path: Path, setup: object, reason: str) -> None:
    setup(tmp_path)  # type: ignore[operator]
    analysis = analyze(tmp_path)
    assert analysis.nothing_to_gate == reason.format(d=tmp_path)
    assert not analysis.regression


def test_missing_directory(tmp_path: Path) -> None:
    analysis = analyze(tmp_path / "nope")
    assert analysis.nothing_to_gate == f"results directory not found: {tmp_path / 'nope'}"


def test_settings_are_applied(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [100, 50, 50, 50])
    assert analyze(tmp_path).trends[0].status == "regression"
    assert analyze(tmp_path, Settings(window=3)).trends[0].status == "stable"


def test_a_list_of_files_gives_the_directorys_analysis(tmp_path: Path) -> None:
    files = write_series(tmp_path, "down", [90, 85, 80, 70])
    files += write_series(tmp_path, "up", [60, 61, 62], first_run=10)
    random.Random(7).shuffle(files)
    settings = Settings(window=3)

    from_dir = analyze(tmp_path, settings)
    from_files = analyze(files, settings)

    assert from_files.results_dir == str(tmp_path)
    assert render_json(from_files) == render_json(from_dir)
    assert [t.slope for t in from_files.trends] == pytest.approx([-7.5, 1.0])
    assert [len(s.runs) for s in from_files.series] == [4, 3]


def test_files_from_several_directories(tmp_path: Path) -> None:
    (a,) = write_series(tmp_path / "nightly", "m", [80])
    (b,) = write_series(tmp_path / "weekly" / "x", "m", [70], first_run=2)
    analysis = analyze([str(b), a])
    (trend,) = analysis.trends
    assert [r.path for r in trend.runs] == ["nightly/0001_m.json", "weekly/x/0002_m.json"]
    assert trend.slope == pytest.approx(-10.0)


def test_no_readable_file_in_a_list_fails_closed(tmp_path: Path) -> None:
    assert analyze([]).nothing_to_gate == "no result files given"
    missing = analyze([tmp_path / "a.json"])
    assert missing.nothing_to_gate == f"no readable run in {tmp_path}: all 1 files were skipped"


def test_a_directory_given_as_text(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [50, 55])
    analysis = analyze(str(tmp_path))
    assert analysis.results_dir == str(tmp_path)
    assert analysis.trends[0].slope == pytest.approx(5.0)


def test_backtest_reads_a_list_of_files_as_analyze_does(tmp_path: Path) -> None:
    files = write_series(tmp_path, "down", [90, 80, 85, 70])
    from_files = backtest(list(reversed(files)), Settings(window=3))
    assert from_files.analysis == analyze(files, Settings(window=3))
    (replay,) = from_files.replays
    assert [(v.after.run_id, v.status) for v in replay.verdicts] == [
        ("0001", "insufficient_data"),
        ("0002", "regression"),  # 90 -> 80: -10 per run
        ("0003", "regression"),  # 90, 80, 85: -2.5 per run
        ("0004", "regression"),  # 80, 85, 70: -5 per run
    ]

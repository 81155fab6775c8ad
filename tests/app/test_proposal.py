"""The RunTrendAnalyzer interface of pinchbench/skill#101, checked against that proposal's text."""

from __future__ import annotations

import dataclasses
import inspect
import json
import random
from pathlib import Path

import pytest
from scipy import stats

from tests.builders import result_doc, write_doc, write_series
from tests.test_original import proposal_verdicts, random_directory
from trendgate import InputError, RunPoint, RunTrendAnalyzer, RunTrendReport, UsageError

SONNET = "openrouter/anthropic/claude-sonnet-4.5"
GPT = "openrouter/openai/gpt-5.1"


def test_names_and_signatures_are_the_proposals() -> None:
    assert [f.name for f in dataclasses.fields(RunPoint)] == [
        "run_id",
        "timestamp",
        "model",
        "score_pct",
        "task_count",
    ]
    assert [f.name for f in dataclasses.fields(RunTrendReport)] == [
        "model",
        "run_count",
        "window",
        "slope",
        "points",
        "regression_detected",
        "regression_threshold",
    ]
    init = inspect.signature(RunTrendAnalyzer.__init__).parameters
    assert list(init) == ["self", "results_dir", "window", "regression_threshold"]
    assert init["window"].kind is inspect.Parameter.KEYWORD_ONLY
    assert init["window"].default == 10
    assert init["regression_threshold"].kind is inspect.Parameter.KEYWORD_ONLY
    assert init["regression_threshold"].default == -0.5
    for method in (RunTrendAnalyzer.load_points, RunTrendAnalyzer.analyze):
        assert inspect.signature(method).parameters["model"].default is None


def test_summary_is_the_proposals_example_line() -> None:
    # The proposal's example output, word for word.
    report = RunTrendReport("claude-sonnet-4-6", 8, 10, -1.8, [], True, -0.5)
    assert report.summary() == (
        "▼ REGRESSION: claude-sonnet-4-6 slope=-1.80%/run over last 8 runs (threshold=-0.50)"
    )
    improving = RunTrendReport("m", 3, 10, 0.25, [], False, -0.5)
    assert (
        improving.summary() == "▲ improving: m slope=+0.25%/run over last 3 runs (threshold=-0.50)"
    )
    flat = RunTrendReport("m", 2, 10, 0.0, [], False, -0.5)
    assert flat.summary() == "→ stable: m slope=+0.00%/run over last 2 runs (threshold=-0.50)"


def test_summary_keeps_a_hostile_model_name_on_one_line() -> None:
    report = RunTrendReport("evil\n::error::forged\x1b[2J", 2, 10, -1.0, [], True, -0.5)
    line = report.summary()
    assert "\n" not in line and "\x1b" not in line
    assert "evil\\x0a::error::forged\\x1b[2J" in line


def test_analyze_code_written_for_the_proposal(tmp_path: Path) -> None:
    write_series(tmp_path, SONNET, [87.0, 83.0, 79.0])  # the proposal's own example
    write_series(tmp_path, GPT, [70.0, 71.0, 72.5, 73.0], first_run=10)
    write_series(tmp_path, "lonely/model", [50.0], first_run=20)

    analyzer = RunTrendAnalyzer(tmp_path, window=10, regression_threshold=-0.5)
    reports = analyzer.analyze()

    # One report per model with at least two runs, in model-name order.
    assert [r.model for r in reports] == [SONNET, GPT]
    sonnet, gpt = reports
    assert sonnet.slope == pytest.approx(-4.0)  # (79 - 87) / 2 by hand
    assert sonnet.regression_detected is True
    assert sonnet.run_count == 3 and sonnet.window == 10 and sonnet.regression_threshold == -0.5
    assert [p.score_pct for p in sonnet.points] == pytest.approx([87.0, 83.0, 79.0])
    expected = stats.linregress([0, 1, 2, 3], [70.0, 71.0, 72.5, 73.0]).slope
    assert gpt.slope == pytest.approx(expected)
    assert gpt.regression_detected is False
    assert gpt.summary().startswith(f"▲ improving: {GPT} slope=+1.05%/run over last 4 runs")


def test_analyze_fits_only_the_last_window_runs(tmp_path: Path) -> None:
    write_series(tmp_path, SONNET, [10.0, 90.0, 60.0, 61.0, 62.0])
    (report,) = RunTrendAnalyzer(tmp_path, window=3).analyze()
    assert report.run_count == 3
    assert [p.run_id for p in report.points] == ["0003", "0004", "0005"]
    assert report.slope == pytest.approx(1.0)


def test_load_points_groups_by_model_oldest_first(tmp_path: Path) -> None:
    # Written newest first, and the file names sort against the timestamps.
    write_doc(tmp_path, "a_late.json", result_doc(SONNET, "r2", 2_000.0, [0.875]))
    write_doc(tmp_path, "b_early.json", result_doc(SONNET, "r1", 1_000.0, [0.25, 0.75, 0.5]))
    write_doc(tmp_path, "c_other.json", result_doc(GPT, "r9", 1_500.0, [0.75]))

    points = RunTrendAnalyzer(tmp_path).load_points()

    assert list(points) == [SONNET, GPT]  # by name: anthropic before openai
    assert points[SONNET] == [
        RunPoint("r1", 1_000.0, SONNET, 50.0, 3),
        RunPoint("r2", 2_000.0, SONNET, 87.5, 1),
    ]
    assert RunTrendAnalyzer(tmp_path).load_points(GPT) == {
        GPT: [RunPoint("r9", 1_500.0, GPT, 75.0, 1)]
    }


def test_a_model_with_no_runs_gives_nothing_as_in_the_proposal(tmp_path: Path) -> None:
    write_series(tmp_path, SONNET, [80.0, 70.0])
    analyzer = RunTrendAnalyzer(tmp_path)
    assert analyzer.load_points("no/such-model") == {}
    assert analyzer.analyze("no/such-model") == []
    assert [r.model for r in analyzer.analyze(SONNET)] == [SONNET]


def test_a_run_without_run_id_is_named_after_its_file(tmp_path: Path) -> None:
    doc = result_doc(SONNET, "", 1_000.0, [0.5])
    del doc["run_id"]
    write_doc(tmp_path, "0007_claude.json", doc)
    (point,) = RunTrendAnalyzer(tmp_path).load_points()[SONNET]
    assert point.run_id == "0007_claude"


def test_unusable_files_are_skipped_with_their_reason(tmp_path: Path) -> None:
    write_series(tmp_path, SONNET, [80.0, 79.0])
    write_doc(
        tmp_path, "0003_partial.json", result_doc(SONNET, "0003", 9e9, [0.0], in_progress=True)
    )
    (tmp_path / "0004_broken.json").write_text('{"model": "x", "tasks": [')
    assert RunTrendAnalyzer(tmp_path).skipped == ()  # nothing read yet
    analyzer = RunTrendAnalyzer(tmp_path)

    (report,) = analyzer.analyze()

    # The partial run, scored 0, would have made the slope -40 points per run.
    assert report.slope == pytest.approx(-1.0)
    reasons = {s.path: s.reason for s in analyzer.skipped}
    assert set(reasons) == {"0003_partial.json", "0004_broken.json"}
    assert "in_progress" in reasons["0003_partial.json"]
    assert "not valid JSON" in reasons["0004_broken.json"]
    assert analyzer.analysis is not None and analyzer.analysis.files_read == 2


def test_settings_can_be_changed_between_calls(tmp_path: Path) -> None:
    write_series(tmp_path, SONNET, [90.0, 10.0, 20.0, 30.0])
    analyzer = RunTrendAnalyzer(tmp_path)
    assert analyzer.analyze()[0].regression_detected is True
    analyzer.window = 3
    analyzer.regression_threshold = 5.0
    (report,) = analyzer.analyze()
    assert report.slope == pytest.approx(10.0)
    assert report.regression_detected is False
    assert report.summary().endswith("over last 3 runs (threshold=+5.00)")


def test_an_empty_directory_gives_no_reports(tmp_path: Path) -> None:
    assert RunTrendAnalyzer(tmp_path).analyze() == []
    assert RunTrendAnalyzer(tmp_path).load_points() == {}


def test_a_missing_directory_is_an_error_not_an_empty_result(tmp_path: Path) -> None:
    missing = tmp_path / "results"
    with pytest.raises(InputError, match=f"results directory not found: {missing}"):
        RunTrendAnalyzer(missing).analyze()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"window": 1}, "window must be at least 2"),
        ({"regression_threshold": float("nan")}, "threshold must be a finite number"),
    ],
)
def test_bad_settings_fail_at_construction(
    tmp_path: Path, settings: dict[str, float], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        RunTrendAnalyzer(tmp_path, **settings)  # type: ignore[arg-type]


def test_real_samples_score_as_the_mean_of_their_tasks(samples: Path) -> None:
    points = RunTrendAnalyzer(samples).load_points()
    for path in sorted(samples.glob("*.json")):
        doc = json.loads(path.read_text())
        per_task: dict[str, list[float]] = {}
        for task in doc["tasks"]:
            grading: dict[str, float] = task.get("grading") or {}
            score = grading.get("mean", grading.get("score", 0.0))
            per_task.setdefault(task["task_id"], []).append(score)
        means = [sum(v) / len(v) for v in per_task.values()]
        (point,) = [p for p in points[doc["model"]] if p.run_id == doc["run_id"]]
        assert point.score_pct == pytest.approx(sum(means) / len(means) * 100)
        assert point.task_count == len(per_task)
        assert point.timestamp == doc["timestamp"]
    # Every sample is a model's only run: the proposal reports none of them.
    assert RunTrendAnalyzer(samples).analyze() == []


@pytest.mark.parametrize("seed", range(10))
def test_same_reports_as_the_proposal_on_what_it_can_read(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    random_directory(tmp_path, rng)
    window = rng.randint(2, 12)
    threshold = rng.choice([-0.5, -2.0, 0.0])
    expected = proposal_verdicts(tmp_path, window, threshold)

    reports = RunTrendAnalyzer(tmp_path, window=window, regression_threshold=threshold).analyze()

    assert [r.model for r in reports] == sorted(expected)
    for report in reports:
        slope, regressed = expected[report.model]
        assert report.slope == pytest.approx(slope, abs=1e-9)
        assert report.regression_detected == regressed

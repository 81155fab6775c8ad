"""The PinchBench mapping: true scores of real files, every skip reason, legacy shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from examples.pinchbench import task_entry
from tests.builders import result_doc
from trendgate.model import Run
from trendgate.read.files import LoadError
from trendgate.read.load import load_run
from trendgate.read.pinchbench import parse_run


def parse(doc: object) -> Run:
    return parse_run("x.json", json.dumps(doc).encode())


def reason(doc: object | bytes) -> str:
    data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    with pytest.raises(LoadError) as info:
        parse_run("x.json", data)
    return str(info.value)


# --- the four real files, scores recomputed by hand from their task means ---------------


def test_real_current_schema(samples: Path) -> None:
    run = load_run(samples, "0050_step8-lora.json")
    # means 29/60, 5/32, 13/32, 13/20, 11/16: sum 143/60, mean 143/300, i.e. 47.666...%
    assert run.score_pct == pytest.approx(100 * 143 / 300, abs=1e-12)
    assert (run.model, run.run_id, run.task_count) == ("step8-lora", "0050", 5)
    assert run.timestamp == 1778495482.306488
    assert run.benchmark_version == "0d70f3c"


def test_real_next_run(samples: Path) -> None:
    run = load_run(samples, "0051_step16-lora.json")
    # means 37/75, 1/4, 125/288, 3/5, 0.6146: (0.493333 + 0.25 + 0.434028 + 0.6 + 0.6146) / 5
    expected = (37 / 75 + 0.25 + 125 / 288 + 0.6 + 0.6146) / 5 * 100
    assert run.score_pct == pytest.approx(expected, abs=1e-12)
    assert run.score_pct == pytest.approx(47.8392, abs=1e-4)


def test_real_three_runs_per_task_counts_each_task_once(samples: Path) -> None:
    run = load_run(samples, "round_1_bench.json")
    # 15 entries, 5 task ids, every copy holding the same aggregate: the mean of the run
    # scores (0.42, 0.41, 0.441667), (0.20625, 0.1625, 0.24375), (0.40625, 0.40625, 0.409722),
    # (0.616667, 0.626667, 0.683333), (0.67085, 0.70835, 0.62085).
    per_task = [
        (0.42 + 0.41 + 0.44166666666666665) / 3,
        (0.20625 + 0.1625 + 0.24375) / 3,
        (0.40625 + 0.40625 + 0.4097222222222222) / 3,
        (0.6166666666666667 + 0.6266666666666667 + 0.6833333333333333) / 3,
        (0.67085 + 0.70835 + 0.62085) / 3,
    ]
    assert run.task_count == 5
    assert run.runs_per_task == 3
    assert run.run_id == "0035"  # from the content, not the renamed file
    assert run.score_pct == pytest.approx(sum(per_task) / 5 * 100, abs=1e-9)
    assert [t.entries for t in run.tasks] == [3] * 5


def test_real_older_schema_fork(samples: Path) -> None:
    run = load_run(samples, "0005_main.json")
    # 52 automated tasks: 51 scored 1.0, one 0.5 -> 51.5 / 52
    assert run.score_pct == pytest.approx(51.5 / 52 * 100, abs=1e-12)
    assert run.model == "agent:main"
    assert run.task_count == 52
    assert run.cost_usd is not None and run.cost_usd > 0
    assert all(t.category for t in run.tasks)  # from frontmatter.category: no per-task key


# --- scoring rules --------------------------------------------------------------------


def test_legacy_grading_score_without_mean() -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.0])
    doc["tasks"] = [
        {"task_id": "a", "grading": {"task_id": "a", "score": 0.25, "max_score": 1.0}},
        {"task_id": "b", "grading": {"task_id": "b", "score": 0.75, "max_score": 1.0}},
    ]
    assert parse(doc).score_pct == pytest.approx(50.0)


def test_mean_wins_over_score() -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.0])
    doc["tasks"] = [{"task_id": "a", "grading": {"mean": 0.2, "score": 0.9}}]
    assert parse(doc).score_pct == pytest.approx(20.0)


def test_fork_fixed_multi_run_shape_averages_per_task() -> None:
    # alex-ht's fork writes each repeat with its own single-run grading.
    doc = result_doc("m", "0001", 1.0e9, [0.0])
    doc["tasks"] = [
        task_entry("a", 0.2),
        task_entry("a", 0.4),
        task_entry("a", 0.9),
        task_entry("b", 1.0),
    ]
    doc["runs_per_task"] = 3
    # task a: 1.5/3 = 0.5 (not weighted 3:1 against b); run: (0.5 + 1.0)/2
    assert parse(doc).score_pct == pytest.approx(75.0)


@pytest.mark.parametrize("grading", [None, {}, "n/a", [], {"runs": []}])
def test_task_without_usable_grade_counts_zero_and_is_noted(grading: object) -> None:
    doc = result_doc("m", "0001", 1.0e9, {"a": 1.0})
    broken = task_entry("b", 0.0)
    if grading is None:
        del broken["grading"]
    else:
        broken["grading"] = grading
    doc["tasks"].append(broken)
    run = parse(doc)
    assert run.score_pct == pytest.approx(50.0)
    assert any("without a usable grade counted as 0" in n and "b" in n for n in run.notes)


@pytest.mark.parametrize(
    ("score", "shown"), [(1.5, "1.5"), (-0.5, "-0.5"), (65, "65"), (1 + 1e-8, "1")]
)
def test_a_score_outside_unit_range_makes_the_run_unusable(score: float, shown: str) -> None:
    # Issue 23: kept, a percent-scale 65 or 1e306 hid a decline; the leaderboard refuses it too.
    with pytest.raises(LoadError) as caught:
        parse(result_doc("m", "0001", 1.0e9, {"a": 0.5, "b": score}))
    assert str(caught.value) == (
        f"task b scores {shown}, outside 0..1 (a score is a fraction; percent scale?)"
    )


def test_a_score_within_float_rounding_of_unit_range_is_read() -> None:
    run = parse(result_doc("m", "0001", 1.0e9, {"a": 1 + 1e-10, "b": -1e-10}))
    assert run.score_pct == pytest.approx(50.0)
    assert run.notes == ()


def test_unknown_keys_are_ignored() -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.5], executor={"x": 1}, thinking_levels=["low"])
    doc["tasks"][0]["thinking_level"] = "high"
    assert parse(doc).score_pct == pytest.approx(50.0)


def test_cost_and_tokens_come_from_efficiency() -> None:
    doc = result_doc(
        "m", "1", 1e9, [0.5], efficiency={"total_cost_usd": 0.17, "total_tokens": 1234}
    )
    run = parse(doc)
    assert (run.cost_usd, run.tokens) == (0.17, 1234)
    bare = parse(result_doc("m", "1", 1e9, [0.5], efficiency={"total_tokens": "many"}))
    assert (bare.cost_usd, bare.tokens) == (None, None)


def test_failed_tasks_are_counted() -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.0])
    doc["tasks"] = [task_entry("a", 0.0, status="timeout"), task_entry("b", 1.0)]
    run = parse(doc)
    assert [(t.task_id, t.failed) for t in run.tasks] == [("a", 1), ("b", 0)]


# --- every skip reason ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "kind"), [([1, 2], "an array"), ("text", "a string"), (3, "a number"), (None, "null")]
)
def test_not_an_object(doc: object, kind: str) -> None:
    assert reason(doc) == f"not a JSON object (top level is {kind})"


@pytest.mark.parametrize("tasks", [None, [], {}, "tasks"])
def test_no_tasks(tasks: object) -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.5])
    if tasks is None:
        del doc["tasks"]
    else:
        doc["tasks"] = tasks
    assert reason(doc) == "no non-empty 'tasks' list"


@pytest.mark.parametrize("model", [None, 3, "", "  ", ["m"]])
def test_missing_or_bad_model(model: object) -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.5])
    if model is None:
        del doc["model"]
    else:
        doc["model"] = model
    assert reason(doc) == "missing or non-string 'model'"


def test_missing_timestamp() -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.5])
    del doc["timestamp"]
    assert reason(doc) == "missing 'timestamp'"


@pytest.mark.parametrize(
    ("value", "kind"),
    [("2026-05-01T00:00:00Z", "a string"), (True, "a boolean"), (None, "null"), ([1], "an array")],
)
def test_non_numeric_timestamp(value: object, kind: str) -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.5])
    doc["timestamp"] = value
    assert reason(doc) == f"'timestamp' is {kind}, expected Unix seconds"


@pytest.mark.parametrize("value", [0, -5.0, 1e15])
def test_implausible_timestamp(value: float) -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.5])
    doc["timestamp"] = value
    assert "is not a plausible Unix time" in reason(doc)


def test_integer_too_large_for_a_float() -> None:
    huge = '"mean": 1' + "0" * 400
    text = json.dumps(result_doc("m", "0001", 1.0e9, [0.5])).replace('"mean": 0.5', huge)
    assert reason(text.encode()) == (
        "tasks[0].grading.mean is an out-of-range number, expected a number"
    )


@pytest.mark.parametrize(
    ("value", "kind"), [("0.5", "a string"), (True, "a boolean"), (None, "null")]
)
def test_score_that_is_not_a_number(value: object, kind: str) -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.5])
    doc["tasks"][0]["grading"]["mean"] = value
    assert reason(doc) == f"tasks[0].grading.mean is {kind}, expected a number"


def test_partial_file() -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.5], in_progress=True, completed_tasks=1, total_tasks=9)
    assert reason(doc).startswith("partial file (in_progress: true)")


def test_task_without_id() -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.5])
    del doc["tasks"][0]["task_id"]
    assert reason(doc) == "tasks[0] has no string 'task_id'"


def test_task_that_is_not_an_object() -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.5])
    doc["tasks"].append("task_b")
    assert reason(doc) == "tasks[1] is a string, expected an object"


def test_non_string_run_id() -> None:
    doc = result_doc("m", "0001", 1.0e9, [0.5])
    doc["run_id"] = 7
    assert reason(doc) == "'run_id' is a number, expected a string"

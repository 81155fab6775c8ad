"""Map a decoded PinchBench result document to a scored run, or say why it is not one."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from trendgate.model import Run, RunHead, TaskResult
from trendgate.read.files import LoadError
from trendgate.read.strict_json import clip, decode_json
from trendgate.words import utc

MAX_TIMESTAMP = 253402300800  # the year 10000: a later (or pre-1970) time cannot be a run's


def parse_run(path: str, data: bytes) -> Run:
    """Turn the bytes of a result file into a Run; raise LoadError when they are not one."""
    return _run_from(path, decode_json(data))


def _run_from(path: str, doc: Any) -> Run:
    if not isinstance(doc, dict):
        raise LoadError(f"not a JSON object (top level is {_json_type(doc)})")
    if doc.get("in_progress") is True:
        raise LoadError("partial file (in_progress: true), left by a run that did not finish")
    model = doc.get("model")
    if not isinstance(model, str) or not model.strip():
        raise LoadError("missing or non-string 'model'")
    if "timestamp" not in doc:
        raise LoadError("missing 'timestamp'")
    timestamp = doc["timestamp"]
    if not _is_number(timestamp):
        raise LoadError(f"'timestamp' is {_json_type(timestamp)}, expected Unix seconds")
    if not 0 < timestamp < MAX_TIMESTAMP:
        raise LoadError(f"'timestamp' {timestamp} is not a plausible Unix time")
    run_id = doc.get("run_id", "")
    if not isinstance(run_id, str):
        raise LoadError(f"'run_id' is {_json_type(run_id)}, expected a string")
    tasks = doc.get("tasks")
    if not isinstance(tasks, list) or not tasks:
        raise LoadError("no non-empty 'tasks' list")
    notes: list[str] = []
    if not run_id:
        notes.append("no run_id")
    results = tuple(_task_results(tasks, notes))
    score_pct = sum(t.score for t in results) / len(results) * 100
    if not math.isfinite(score_pct):
        raise LoadError("task scores too large to average")
    return Run(
        path=path,
        model=model,
        run_id=run_id,
        timestamp=float(timestamp),
        score_pct=score_pct,
        tasks=results,
        benchmark_version=_optional_str(doc.get("benchmark_version")),
        runs_per_task=_optional_int(doc.get("runs_per_task")),
        cost_usd=_cost(doc.get("efficiency")),
        notes=tuple(notes),
        tokens=_tokens(doc.get("efficiency")),
    )


def _task_results(entries: list[Any], notes: list[str]) -> Iterable[TaskResult]:
    """Group task entries by task_id (upstream repeats an entry per run) and average them."""
    scores: dict[str, list[float]] = {}
    categories: dict[str, str | None] = {}
    failed: dict[str, int] = {}
    ungraded: list[str] = []
    out_of_range: list[str] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise LoadError(f"tasks[{index}] is {_json_type(entry)}, expected an object")
        task_id = entry.get("task_id")
        if not isinstance(task_id, str) or not task_id:
            raise LoadError(f"tasks[{index}] has no string 'task_id'")
        score = _task_score(index, entry.get("grading"))
        if score is None:
            ungraded.append(task_id)
            score = 0.0
        elif not 0.0 <= score <= 1.0:
            out_of_range.append(f"{task_id}={score:g}")
        scores.setdefault(task_id, []).append(score)
        categories.setdefault(task_id, _category(entry))
        bad = entry.get("status") in ("timeout", "error") or entry.get("timed_out") is True
        failed[task_id] = failed.get(task_id, 0) + int(bad)
    if ungraded:
        notes.append(
            f"{len(ungraded)} task(s) without a usable grade counted as 0: " + _listing(ungraded)
        )
    if out_of_range:
        notes.append("score outside 0..1 kept as is: " + _listing(out_of_range))
    for task_id, values in scores.items():
        yield TaskResult(
            task_id, sum(values) / len(values), categories[task_id], failed[task_id], len(values)
        )


def _task_score(index: int, grading: Any) -> float | None:
    """A task's score: grading.mean, or grading.score in February-2026 files; None if absent."""
    if not isinstance(grading, dict):
        return None
    for key in ("mean", "score"):
        if key in grading:
            value = grading[key]
            if not _is_number(value):
                raise LoadError(
                    f"tasks[{index}].grading.{key} is {_json_type(value)}, expected a number"
                )
            return float(value)
    return None


def _category(entry: dict[str, Any]) -> str | None:
    category = entry.get("category")
    if isinstance(category, str) and category:
        return category
    frontmatter = entry.get("frontmatter")
    if isinstance(frontmatter, dict):
        category = frontmatter.get("category")
        if isinstance(category, str) and category:
            return category.lower()
    return None


def _cost(efficiency: Any) -> float | None:
    if isinstance(efficiency, dict) and _is_number(efficiency.get("total_cost_usd")):
        return float(efficiency["total_cost_usd"])
    return None


def _tokens(efficiency: Any) -> int | None:
    if isinstance(efficiency, dict):
        return _optional_int(efficiency.get("total_tokens"))
    return None


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _optional_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number" if _is_number(value) else "an out-of-range number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _listing(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(clip(item) for item in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def describe_run(run: Run | RunHead) -> str:
    """A run as a person finds it: its id, its UTC time and its file.

    Fresh CI runners give every run the id 0001, so the id alone names nothing.
    """
    when = utc(run.timestamp, "%Y-%m-%d %H:%M:%S UTC")
    return f"{run.run_id} of {when} in {run.path}" if run.run_id else f"of {when} in {run.path}"

"""Map a decoded PinchBench result document to a scored run, or say why it is not one."""

from __future__ import annotations

import math
from typing import Any

from trendgate.model import Run, RunHead, TaskResult
from trendgate.read.files import LoadError
from trendgate.read.strict_json import clip, decode_json
from trendgate.words import utc

MAX_TIMESTAMP = 253402300800  # the year 10000: a later (or pre-1970) time cannot be a run's
# A task score is a fraction of 1; this much beyond either end is float rounding, not a bad file.
SCORE_TOLERANCE = 1e-9
# PinchBench has 147 tasks; a file with more than this is not a run, and would take seconds and
# gigabytes to score (a million tasks: 64 s and 1.15 GB).
MAX_TASKS = 10_000
# The `source` a slim file carries (history/slim.py), key by key as a report may show it.
SOURCE_KEYS: dict[str, type] = {
    "file": str,
    "bytes": int,
    "sha256": str,
    "server_url": str,
    "repository": str,
    "workflow_run_id": str,
    "workflow_run_attempt": str,
}
MAX_SOURCE_CHARS = 256


def parse_run(path: str, data: bytes) -> Run:
    """Turn the bytes of a result file into a Run; raise LoadError when they are not one."""
    return run_from(path, decode_json(data))


def run_from(path: str, doc: Any) -> Run:
    """The Run a decoded result document `doc` from `path` is; LoadError when it is not one."""
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
        # Milliseconds since 1970 land past the year 10000 until the year 2286.
        hint = " (milliseconds? divide by 1000)" if 0 < timestamp / 1000 < MAX_TIMESTAMP else ""
        raise LoadError(f"'timestamp' {timestamp} is not a plausible Unix time{hint}")
    run_id = doc.get("run_id", "")
    if not isinstance(run_id, str):
        raise LoadError(f"'run_id' is {_json_type(run_id)}, expected a string")
    tasks = doc.get("tasks")
    if not isinstance(tasks, list) or not tasks:
        raise LoadError("no non-empty 'tasks' list")
    if len(tasks) > MAX_TASKS:
        raise LoadError(f"{len(tasks)} tasks, more than the {MAX_TASKS}-task limit")
    notes: list[str] = []
    if not run_id:
        notes.append("no run_id")
    results = _task_results(tasks, notes)
    score_pct = sum([t.score for t in results]) / len(results) * 100
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
        source=_source(doc.get("source")),
    )


def _task_results(entries: list[Any], notes: list[str]) -> tuple[TaskResult, ...]:
    """Group task entries by task_id (upstream repeats an entry per run) and average them."""
    # One pass, each check inline: this runs for every task of every parsed file (1.07 million
    # entries for a year of 20 models on the history site), where a call per entry cost as
    # much as decoding a slim file. Repeats are rare: a TaskResult is made at a task's first
    # entry, and made again only for a task that repeats.
    results: dict[str, TaskResult] = {}
    repeats: dict[str, list[tuple[float, int]]] = {}
    ungraded: list[str] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise LoadError(f"tasks[{index}] is {_json_type(entry)}, expected an object")
        task_id = entry.get("task_id")
        if not isinstance(task_id, str) or not task_id:
            raise LoadError(f"tasks[{index}] has no string 'task_id'")
        grading = entry.get("grading")
        value = grading.get("mean") if isinstance(grading, dict) else None
        if type(value) is float and -SCORE_TOLERANCE <= value <= 1.0 + SCORE_TOLERANCE:
            score: float = value  # the common case, already a valid score
        else:
            given = _task_score(index, grading)
            if given is None:
                ungraded.append(task_id)
            score = 0.0 if given is None else given
            if given is not None and not -SCORE_TOLERANCE <= score <= 1.0 + SCORE_TOLERANCE:
                # The leaderboard refuses such a task too; kept, 65 for 0.65 would hide a decline.
                raise LoadError(
                    f"task {clip(task_id)} scores {score:g}, outside 0..1 "
                    "(a score is a fraction; percent scale?)"
                )
        status = entry.get("status")
        bad = int(status == "timeout" or status == "error" or entry.get("timed_out") is True)
        category = entry.get("category")  # read on every entry, as history/slim.py keeps it
        if not isinstance(category, str) or not category:
            # Files before April 2026, and their slim copies, name it in the frontmatter.
            frontmatter = entry.get("frontmatter")
            category = frontmatter.get("category") if isinstance(frontmatter, dict) else None
            category = category.lower() if isinstance(category, str) and category else None
        first = results.get(task_id)
        if first is None:
            # 0.0 + score is what sum([score]) gives (-0.0 becomes 0.0), divided by 1.
            results[task_id] = TaskResult(task_id, 0.0 + score, category, bad, 1)
        else:
            repeats.setdefault(task_id, []).append((score, bad))
    for task_id, more in repeats.items():
        first = results[task_id]
        # The first score is kept as 0.0 + score, which sums as the score itself does.
        scores = [first.score, *(score for score, _ in more)]
        failed = first.failed + sum(bad for _, bad in more)
        results[task_id] = TaskResult(
            task_id, sum(scores) / len(scores), first.category, failed, len(scores)
        )
    if ungraded:
        notes.append(
            f"{len(ungraded)} task(s) without a usable grade counted as 0: " + _listing(ungraded)
        )
    return tuple(results.values())


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


def _cost(efficiency: Any) -> float | None:
    if isinstance(efficiency, dict) and _is_number(efficiency.get("total_cost_usd")):
        return float(efficiency["total_cost_usd"])
    return None


def _tokens(efficiency: Any) -> int | None:
    if isinstance(efficiency, dict):
        return _optional_int(efficiency.get("total_tokens"))
    return None


def _source(value: Any) -> tuple[tuple[str, str | int], ...]:
    """The keys of a `source` object that have their type; anything else in it is not read."""
    if not isinstance(value, dict):
        return ()
    return tuple(
        (key, value[key])
        for key, kind in SOURCE_KEYS.items()
        if type(value.get(key)) is kind and len(str(value[key])) <= MAX_SOURCE_CHARS
    )


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

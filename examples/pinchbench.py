"""PinchBench result documents in the real schema and key order, for examples, tests and bench.

The schema, its key order and how upstream writes the file: ../shared/research/pinchbench-format.md,
sections 2 and 3. Run the scripts that import this from the repository root (`python -m ...`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

# The default entry's usage: three of upstream's seven keys (trendgate reads none of them).
SHORT_USAGE = {"total_tokens": 100, "cost_usd": 0.001, "request_count": 1}


def task_entry(
    task_id: str,
    score: float,
    *,
    category: str | None = None,
    status: str = "success",
    grading_type: str = "automated",
    breakdown: dict[str, float] | None = None,
    notes: str = "",
    execution_time: float = 10.0,
    transcript_length: int = 4,
    usage: dict[str, Any] | None = None,
    run_id: str = "0001",
    name: str | None = None,
    timeout_seconds: int = 60,
    grading_weights: dict[str, float] | None = None,
    workspace_files: Sequence[dict[str, str]] = (),
) -> dict[str, Any]:
    """One `tasks[]` entry with one grading run whose score is `score` (the current grading shape).

    Without a `category` the entry has no top-level `category` key, as before the manifest had
    categories, and its frontmatter says "basic".
    """
    grade = {
        "task_id": task_id,
        "score": score,
        "max_score": 1.0,
        "grading_type": grading_type,
        "breakdown": {} if breakdown is None else breakdown,
        "notes": notes,
    }
    frontmatter: dict[str, Any] = {
        "id": task_id,
        "name": task_id if name is None else name,
        "category": category or "basic",
        "grading_type": grading_type,
        "timeout_seconds": timeout_seconds,
    }
    if grading_weights is not None:
        frontmatter["grading_weights"] = grading_weights
    frontmatter["workspace_files"] = list(workspace_files)
    entry: dict[str, Any] = {
        "task_id": task_id,
        "status": status,
        "timed_out": status == "timeout",
        "execution_time": execution_time,
        "transcript_length": transcript_length,
        "usage": dict(SHORT_USAGE) if usage is None else usage,
        "workspace": f"/tmp/pinchbench/{run_id}/agent_workspace",
        "grading": {"runs": [grade], "mean": score, "std": 0.0, "min": score, "max": score},
        "frontmatter": frontmatter,
    }
    if category is not None:
        entry["category"] = category
    return entry


def result_document(
    model: str, run_id: str, timestamp: float, tasks: list[dict[str, Any]], **more: Any
) -> dict[str, Any]:
    """A result document; `more` replaces top-level keys in place or adds them after `tasks`."""
    doc: dict[str, Any] = {
        "model": model,
        "benchmark_version": "2.0.0",
        "run_id": run_id,
        "timestamp": timestamp,
        "suite": "all",
        "runs_per_task": 1,
        "tasks": tasks,
    }
    doc.update(more)
    return doc


def file_name(run_id: str, model: str) -> str:
    """The name PinchBench gives a run's file: run id, then the model's slug."""
    slug = model.replace("/", "-").replace(".", "-").lower()
    return f"{run_id}_{slug}.json"


def file_text(doc: object) -> str:
    """The text PinchBench writes: json.dumps(indent=2), so ASCII, and no trailing newline."""
    return json.dumps(doc, indent=2)

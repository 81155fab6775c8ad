"""Slim runs: a PinchBench result file cut down to the keys the parser reads, and its source.

A raw result file is about 270 KB, almost all of it transcript paths, usage, frontmatter and
judge notes the gate never reads; its slim copy is about 28 KB (147 tasks) and still a result
file of the same schema, so every reader (the gate, `backtest`, each report, the proposal's
interface) gives the same numbers on it. The `source` object names the file it was cut from
(name, size, SHA-256) and, under GitHub Actions, the workflow run that produced it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from trendgate.read.pinchbench import run_from
from trendgate.read.strict_json import decode_json

# The keys of a result file the parser reads (pinchbench.py), in PinchBench's order: the
# head's order matters, since place.read_head places a file from it without parsing it.
HEAD_KEYS = ("model", "benchmark_version", "run_id", "timestamp", "suite", "runs_per_task")
TASK_KEYS = ("task_id", "status", "category")
EFFICIENCY_KEYS = ("total_tokens", "total_cost_usd")
SOURCE = "source"


def slim(name: str, data: bytes, env: Mapping[str, str] | None = None) -> bytes:
    """The slim copy of the result file `data` that arrived named `name`.

    Raises LoadError when `data` is not a usable run. A slim file slims to itself: its
    `source` still names the raw file it was first cut from.
    """
    doc = decode_json(data)
    run_from(name, doc)  # refuse what the gate would refuse, with the parser's reason
    out: dict[str, Any] = {key: doc[key] for key in HEAD_KEYS if key in doc}
    out["tasks"] = [_task(entry) for entry in doc["tasks"]]
    efficiency = doc.get("efficiency")
    if isinstance(efficiency, dict):
        kept = {key: efficiency[key] for key in EFFICIENCY_KEYS if key in efficiency}
        if kept:
            out["efficiency"] = kept
    if "in_progress" in doc:
        out["in_progress"] = doc["in_progress"]
    previous = doc.get(SOURCE)
    out[SOURCE] = previous if _is_source(previous) else source(name, data, env or os.environ)
    return _dump(out)


def _task(entry: dict[str, Any]) -> dict[str, Any]:
    task = {key: entry[key] for key in TASK_KEYS if key in entry}
    # Each key only where the parser reads it: `timed_out` when the status says no failure,
    # `frontmatter.category` when there is no per-task category (files before April 2026).
    if "timed_out" in entry and entry.get("status") not in ("timeout", "error"):
        task["timed_out"] = entry["timed_out"]
    category = entry.get("category")
    frontmatter = entry.get("frontmatter")
    if not (isinstance(category, str) and category) and isinstance(frontmatter, dict):
        task["frontmatter"] = {k: frontmatter[k] for k in ("category",) if k in frontmatter}
    grading = entry.get("grading")
    if isinstance(grading, dict):
        # The parser reads `mean`, and `score` (February-2026 files) only when `mean` is absent.
        key = "mean" if "mean" in grading else "score" if "score" in grading else None
        task["grading"] = {key: grading[key]} if key else {}
    elif "grading" in entry:
        task["grading"] = grading
    return task


def source(name: str, data: bytes, env: Mapping[str, str]) -> dict[str, Any]:
    """Where a run came from: the raw file, and under GitHub Actions the workflow run."""
    import hashlib  # it loads OpenSSL, which only filing needs

    found: dict[str, Any] = {
        "file": os.path.basename(name),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    if env.get("GITHUB_ACTIONS") == "true":
        for key, variable in (
            ("server_url", "GITHUB_SERVER_URL"),
            ("repository", "GITHUB_REPOSITORY"),
            ("workflow_run_id", "GITHUB_RUN_ID"),
            ("workflow_run_attempt", "GITHUB_RUN_ATTEMPT"),
        ):
            if env.get(variable):
                found[key] = env[variable]
    return found


def _is_source(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("file"), str)
        and isinstance(value.get("sha256"), str)
    )


def _dump(doc: dict[str, Any]) -> bytes:
    """As PinchBench writes a result (json.dumps, indent 2), so read_head can place it."""
    return json.dumps(doc, indent=2).encode("ascii")

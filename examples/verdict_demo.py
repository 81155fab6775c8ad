"""Write a synthetic results directory: one model drifts, one steps down, one is noisy but flat.

Deterministic (fixed seed and times), so the verdicts quoted in the issue note can be reproduced:
    python examples/verdict_demo.py OUT_DIR && trendgate OUT_DIR && trendgate backtest OUT_DIR
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

USAGE = "usage: python examples/verdict_demo.py OUT_DIR"
START = 1_778_457_600.0  # 2026-05-11T00:00:00Z
DAY = 86_400.0
RUNS = 16
TASKS = {
    "task_sanity": "basic",
    "task_calendar": "productivity",
    "task_email_triage": "writing",
    "task_research_summary": "research",
    "task_csv_stock_trend": "data",
    "task_log_error_rate": "data",
    "task_code_fix_tests": "coding",
    "task_code_refactor": "coding",
}
DRIFT = "demo/drifts"
STEP = "demo/steps-down"
NOISY = "demo/noisy-flat"
STEP_AFTER = 10  # the stepping model's level drops after this many runs


def level(model: str, task_id: str, run: int) -> float:
    """The true score (0..1) of a task in a run, before noise."""
    if model == DRIFT:  # the coding tasks decay fast, the rest slowly: about -0.9 points a run
        return 0.82 - (0.025 if TASKS[task_id] == "coding" else 0.006) * run
    if model == STEP:  # a provider swaps the model behind the API: -8 points at once
        return 0.78 - (0.08 if run >= STEP_AFTER else 0.0)
    return 0.66


def task_entry(task_id: str, score: float, status: str) -> dict[str, Any]:
    """One `tasks[]` entry in PinchBench's current grading shape (one grading run)."""
    category = TASKS[task_id]
    grade = {
        "task_id": task_id,
        "score": score,
        "max_score": 1.0,
        "grading_type": "automated",
        "breakdown": {},
        "notes": "",
    }
    return {
        "task_id": task_id,
        "status": status,
        "timed_out": status == "timeout",
        "execution_time": 10.0,
        "transcript_length": 4,
        "usage": {"total_tokens": 100, "cost_usd": 0.001, "request_count": 1},
        "workspace": "/tmp/pinchbench/0001/agent_workspace",
        "grading": {"runs": [grade], "mean": score, "std": 0.0, "min": score, "max": score},
        "frontmatter": {
            "id": task_id,
            "name": task_id,
            "category": category,
            "grading_type": "automated",
            "timeout_seconds": 60,
            "workspace_files": [],
        },
        "category": category,
    }


def write_demo(out: Path) -> None:
    """Write RUNS nightly runs of each model into `out` (created if needed)."""
    rng = random.Random(4)
    out.mkdir(parents=True, exist_ok=True)
    for night in range(RUNS):
        for offset, model in enumerate((DRIFT, STEP, NOISY)):
            run_id = f"{night * 3 + offset + 1:04d}"
            # Run-to-run noise is shared by all tasks of a run (the judge, the provider's day),
            # as on PinchBench where identical runs scored 65.7, 69.1 and 74.3 %.
            shared = rng.gauss(0, 0.035 if model == NOISY else 0.012)
            tasks = []
            for task_id in TASKS:
                score = level(model, task_id, night) + shared + rng.gauss(0, 0.02)
                timed_out = model == NOISY and rng.random() < 0.05
                score = 0.0 if timed_out else round(min(1.0, max(0.0, score)), 4)
                tasks.append(task_entry(task_id, score, "timeout" if timed_out else "success"))
            doc = {
                "model": model,
                "benchmark_version": "2.0.0",
                "run_id": run_id,
                "timestamp": START + night * DAY + offset * 600.0,
                "suite": "all",
                "runs_per_task": 1,
                "tasks": tasks,
                "efficiency": {
                    "total_cost_usd": round(0.4 + 0.002 * night, 6),
                    "total_tokens": 90000,
                },
            }
            # As PinchBench writes its files: indent 2, ASCII, no trailing newline.
            name = f"{run_id}_{model.replace('/', '-')}.json"
            (out / name).write_text(json.dumps(doc, indent=2))


def main(argv: list[str]) -> int:
    """Write the demo into the one directory named on the command line."""
    if len(argv) != 1 or argv[0].startswith("-"):
        print(USAGE, file=sys.stderr)
        return 2
    write_demo(Path(argv[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Write the demo results directory: four models' nightly PinchBench runs, one regressing.

Deterministic: the same files, byte for byte, on every run (fixed seed, fixed times).
Usage, from the repository root: python -m examples.make_demo [OUT_DIR]  (default: examples/results)
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

from examples.pinchbench import file_name, file_text, result_document, task_entry

START = 1778457600.0  # 2026-05-11T00:00:00Z
DAY = 86400.0
TASKS = [
    ("task_sanity", "productivity", "automated"),
    ("task_calendar", "productivity", "automated"),
    ("task_email_triage", "writing", "llm_judge"),
    ("task_csv_stock_trend", "csv_analysis", "hybrid"),
    ("task_log_error_rate", "log_analysis", "hybrid"),
    ("task_meeting_action_items", "meeting_analysis", "hybrid"),
    ("task_research_summary", "research", "llm_judge"),
    ("task_code_fix_tests", "coding", "automated"),
]
# model: (first score 0..1, change per run, noise)
MODELS = {
    "openrouter/anthropic/claude-sonnet-4.5": (0.86, -0.018, 0.01),
    "openrouter/openai/gpt-5.1": (0.80, 0.000, 0.012),
    "openrouter/google/gemini-2.5-pro": (0.70, 0.006, 0.01),
    "openrouter/qwen/qwen3-coder:free": (0.62, 0.001, 0.015),
}
RUNS = 10
USAGE = {
    "input_tokens": 12000,
    "output_tokens": 800,
    "cache_read_tokens": 0,
    "cache_write_tokens": 0,
    "total_tokens": 12800,
    "cost_usd": 0.02,
    "request_count": 3,
}


def demo_tasks(run_id: str, scores: dict[str, float]) -> list[dict[str, Any]]:
    """The `tasks[]` of one demo run: each task of TASKS once, with its score in `scores`."""
    return [
        task_entry(
            task_id,
            scores[task_id],
            category=category,
            grading_type=grading_type,
            breakdown={"completed": scores[task_id]},
            execution_time=30.0,
            transcript_length=8,
            usage=USAGE,
            run_id=run_id,
            timeout_seconds=180,
        )
        for task_id, category, grading_type in TASKS
    ]


def main(out: Path) -> None:
    """Write the demo files into `out` (created if needed)."""
    rng = random.Random(101)
    out.mkdir(parents=True, exist_ok=True)
    run_number = 0
    for night in range(RUNS):
        for offset, (model, (first, step, noise)) in enumerate(MODELS.items()):
            run_number += 1
            run_id = f"{run_number:04d}"
            level = first + step * night
            scores = {
                task_id: round(min(1.0, max(0.0, level + rng.gauss(0, noise))), 4)
                for task_id, _, _ in TASKS
            }
            timestamp = START + night * DAY + offset * 1800.0 + 0.5
            doc = result_document(model, run_id, timestamp, demo_tasks(run_id, scores))
            (out / file_name(run_id, model)).write_text(file_text(doc))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "results")

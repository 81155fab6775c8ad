"""Write a synthetic results directory: one model drifts, one steps down, one is noisy but flat.

Deterministic (fixed seed and times), so the verdicts quoted in the issue note can be reproduced
(from the repository root):
    python -m examples.verdict_demo OUT_DIR && trendgate OUT_DIR && trendgate backtest OUT_DIR
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from examples.pinchbench import file_name, file_text, result_document, task_entry

USAGE = "usage: python -m examples.verdict_demo OUT_DIR"
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
                status = "timeout" if timed_out else "success"
                tasks.append(task_entry(task_id, score, category=TASKS[task_id], status=status))
            efficiency = {"total_cost_usd": round(0.4 + 0.002 * night, 6), "total_tokens": 90000}
            timestamp = START + night * DAY + offset * 600.0
            doc = result_document(model, run_id, timestamp, tasks, efficiency=efficiency)
            (out / file_name(run_id, model)).write_text(file_text(doc))


def main(argv: list[str]) -> int:
    """Write the demo into the one directory named on the command line."""
    if len(argv) != 1 or argv[0].startswith("-"):
        print(USAGE, file=sys.stderr)
        return 2
    write_demo(Path(argv[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""The full-parse baseline: what the original request (pinchbench/skill#101, lib_trend.py) does.

json.loads every result file, skip partial ones, group by model, order by timestamp, keep
the last N runs and fit the slope. Prints {model: slope} as JSON so the benchmark can check
that trendgate found the same slopes.
Usage: python bench/baseline.py RESULTS_DIR [WINDOW]
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path
from typing import Any


def main(results_dir: str, window: int) -> None:
    """Parse every file in full, then window each model's runs and print the slopes."""
    runs: dict[str, list[tuple[float, float]]] = {}
    for path in sorted(Path(results_dir).glob("*.json")):
        try:
            doc: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(doc, dict) or doc.get("in_progress") or not doc.get("tasks"):
            continue
        tasks = doc["tasks"]
        score = sum(t.get("grading", {}).get("mean", 0.0) for t in tasks) / len(tasks) * 100
        runs.setdefault(doc["model"], []).append((doc["timestamp"], score))
    slopes = {}
    for model, series in sorted(runs.items()):
        scores = [score for _, score in sorted(series)[-window:]]
        if len(scores) >= 2:
            slopes[model] = statistics.linear_regression(range(len(scores)), scores).slope
    print(json.dumps(slopes))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10)

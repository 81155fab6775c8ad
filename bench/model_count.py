"""Cost in the number of models: many models with few runs against few models with many runs.

The same number of files either way (issue 23): 10,000 models x 2 runs against 20 models x
1,000 runs, and for the backtest 500 models x 30 runs against 15 models x 1,000 runs. A stale
check or replay that compares every pair of models makes the first of each pair far slower;
a linear one keeps the two within a small factor. Each pair is run side by side, alternating,
REPEAT times; the medians and their ratio are printed.
Usage: python bench/model_count.py [REPEAT]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DAY = 86_400.0
START = 1_778_000_000.0
GATE = ["--no-fail", "--allow-unjudged"]


def write(directory: Path, models: int, runs: int) -> None:
    """`models` x `runs` one-task result files laid out as PinchBench writes them."""
    directory.mkdir()
    for m in range(models):
        for r in range(runs):
            doc = {
                "model": f"vendor/model-{m:05d}",
                "benchmark_version": "2.0.0",
                "run_id": f"{r:04d}",
                "timestamp": START + r * DAY + m,
                "suite": "all",
                "runs_per_task": 1,
                "tasks": [{"task_id": "t", "grading": {"mean": 0.5 + (r % 7) / 100}}],
            }
            (directory / f"{m:05d}_{r:04d}.json").write_text(json.dumps(doc, indent=2))


def timed(*args: str) -> float:
    """Seconds one `trendgate ARGS` takes, as a user runs it, the gate in report-only mode."""
    env = os.environ | {"SOURCE_DATE_EPOCH": str(int(START + 1001 * DAY))}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "trendgate", *args, *([] if args[0] == "backtest" else GATE)],
        stdout=subprocess.DEVNULL,
        env=env,
        check=False,
    )
    return time.perf_counter() - started


def pair(command: list[str], wide: Path, deep: Path, repeat: int) -> tuple[float, float]:
    """The median seconds of `command` over the wide and the deep directory, alternating."""
    wides, deeps = [], []
    for _ in range(repeat):
        wides.append(timed(*command, str(wide)))
        deeps.append(timed(*command, str(deep)))
    return statistics.median(wides), statistics.median(deeps)


def stale_checks(models: int, runs: int) -> float:
    """Seconds of the gate's stale check and the backtest's replay of it, alone."""
    from trendgate.judge.stale import Pace, stale_series, stops

    paces = [Pace(f"m{m}", [START + r * DAY + m for r in range(runs)], 10) for m in range(models)]
    started = time.perf_counter()
    stale_series(paces)
    stops(paces)
    return time.perf_counter() - started


def main(repeat: int) -> None:
    for (wm, wr), (dm, dr) in [((10_000, 2), (20, 1_000)), ((20_000, 1), (20, 1_000))]:
        w = statistics.median(stale_checks(wm, wr) for _ in range(repeat))
        d = statistics.median(stale_checks(dm, dr) for _ in range(repeat))
        print(
            f"stale checks: {wm:,} models x {wr:,} runs {w:.3f} s, {dm:,} models x {dr:,} runs "
            f"{d:.3f} s: ratio {w / d:.2f}"
        )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cases = [
            ([], (10_000, 2), (20, 1_000)),
            (["backtest"], (500, 30), (15, 1_000)),
        ]
        for command, (wm, wr), (dm, dr) in cases:
            wide, deep = root / f"wide-{wm}", root / f"deep-{dm}"
            write(wide, wm, wr)
            write(deep, dm, dr)
            w, d = pair(command, wide, deep, repeat)
            name = " ".join(["trendgate", *command])
            print(
                f"{name}: {wm:,} models x {wr:,} runs {w:.2f} s, {dm:,} models x {dr:,} runs "
                f"{d:.2f} s: ratio {w / d:.2f}"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)

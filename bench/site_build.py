"""Build the history site from a year of slim runs of 20 models (7,300 files) and measure it.

Usage: python -m bench.site_build [--dir DIR] [--repeat 3]

Writes the corpus once into DIR (default: a folder under the system's temporary directory):
bench/corpus.py's realistic runs (147 tasks, 20 models, one night after another), each cut
down to the keys the gate reads plus a `source` object, as a slim history file is (issue 25).
Then runs `trendgate site` on it in a fresh process per round (bench/launch.py reports its
wall time, CPU time and peak RSS), and prints the medians, the site's size, the overview's
size and the largest model page's, as a Markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import corpus
from examples import pinchbench

HERE = Path(__file__).resolve().parent
NIGHTS = 365
MODELS = 20


def slim(doc: Any, name: str, raw: bytes, night: int) -> Any:
    """The keys the gate reads of a run, and where the run came from."""
    tasks = [
        {
            "task_id": t["task_id"],
            "status": t["status"],
            "timed_out": t["timed_out"],
            "grading": {"mean": t["grading"]["mean"]},
            "frontmatter": {"category": t["frontmatter"]["category"]},
        }
        for t in doc["tasks"]
    ]
    efficiency = doc["efficiency"]
    return {
        "model": doc["model"],
        "benchmark_version": doc["benchmark_version"],
        "run_id": doc["run_id"],
        "timestamp": doc["timestamp"],
        "suite": doc["suite"],
        "runs_per_task": doc["runs_per_task"],
        "tasks": tasks,
        "efficiency": {
            "total_tokens": efficiency["total_tokens"],
            "total_cost_usd": efficiency["total_cost_usd"],
        },
        "source": {
            "file": name,
            "bytes": len(raw),
            "sha256": hashlib.sha256(raw).hexdigest(),
            "server_url": "https://github.com",
            "repository": "example-org/nightly-evals",
            "workflow_run_id": str(9_000_000_000 + night),
            "workflow_run_attempt": "1",
        },
    }


def write_year(out: Path) -> None:
    """365 nights of 20 models as slim files; kept when already there."""
    out.mkdir(parents=True, exist_ok=True)
    names = corpus.models(MODELS)
    for n in range(NIGHTS * MODELS):
        night, index = divmod(n, MODELS)
        model = names[index]
        run_id = f"{n + 1:04d}"
        path = out / pinchbench.file_name(run_id, model)
        if path.exists():
            continue
        # Four models drift down over a month and recover; the rest are flat with noise.
        level = 0.75 - 0.02 * (index % 4 == 0) * (night % 30) / 10 + 0.01 * (index % 3)
        timestamp = corpus.START + night * corpus.DAY + index * 600.0 + (n % 997) / 1000
        doc = corpus.result_document(model, run_id, timestamp, level, seed=n)
        raw = json.dumps(doc).encode()
        # As PinchBench lays a file out (indent 2), which the gate places from its head alone.
        data = json.dumps(slim(doc, path.name, raw, night), indent=2)
        path.write_text(data, encoding="utf-8")


def measure(history: Path, site: Path) -> dict[str, float]:
    """One fresh process building the site: wall, CPU and peak RSS from bench/launch.py."""
    command = [sys.executable, "-m", "trendgate", "site", str(history), "--to", str(site)]
    out = subprocess.run(
        [sys.executable, "-S", str(HERE / "launch.py"), "0", *command],
        check=True,
        capture_output=True,
        text=True,
    )
    wall, cpu, rss_kb, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"trendgate site exited {code}")
    return {"wall": float(wall), "cpu": float(cpu), "rss_mb": int(rss_kb) / 1024}


def sizes(site: Path) -> tuple[int, int, int, int]:
    """The whole site's bytes, the overview's, the largest page's, and the number of files."""
    files = [p for p in site.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    largest = max(p.stat().st_size for p in files if p.name != "index.html")
    return total, (site / "index.html").stat().st_size, largest, len(files)


def main() -> int:
    """Write the corpus if needed, build the site `--repeat` times, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "trendgate-site")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    history = args.dir / "history"
    write_year(history)
    rounds = [measure(history, args.dir / "site") for _ in range(args.repeat)]
    total, index, largest, count = sizes(args.dir / "site")
    wall = statistics.median(r["wall"] for r in rounds)
    cpu = statistics.median(r["cpu"] for r in rounds)
    rss = statistics.median(r["rss_mb"] for r in rounds)
    print("| runs | wall s | CPU s | peak RSS MB | site KB | files | index KB | largest page KB |")
    print("|--:|--:|--:|--:|--:|--:|--:|--:|")
    print(
        f"| {NIGHTS * MODELS} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {total / 1024:.0f} | "
        f"{count} | {index / 1024:.0f} | {largest / 1024:.0f} |"
    )
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

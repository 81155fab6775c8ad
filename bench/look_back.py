"""What the noise look-back costs: the gate with and without --noise-runs on one corpus.

Usage: nice -n 10 python -m bench.look_back [--files 2000] [--repeat 5] [--dir DIR]

Writes a realistic corpus (bench/corpus.py: 20 models, about 250 KB a file) once into DIR,
then runs `trendgate DIR --window 13 --confidence 0.95` and the same with `--noise-runs 30`
and `--noise-runs 60`, each in a fresh process, in turn, `--repeat` times, with the files in
the page cache (one read of every file first). Prints the median wall times as Markdown.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import corpus

GATE = ["--window", "13", "--confidence", "0.95", "--format", "json", "--no-fail"]
VARIANTS = {"window 13 (its own noise)": [], "--noise-runs 30": ["--noise-runs", "30"]}
VARIANTS["--noise-runs 60"] = ["--noise-runs", "60"]


def main() -> None:
    """Write the corpus if needed, time each variant, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/trendgate-look-back"))
    args = parser.parse_args()
    results = args.dir / str(args.files)
    if not results.is_dir():
        corpus.write_corpus(results, args.files)
    for path in results.iterdir():  # warm the page cache
        path.read_bytes()
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for _ in range(args.repeat):
        for name, extra in VARIANTS.items():
            command = [sys.executable, "-m", "trendgate", str(results), *GATE, *extra]
            started = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - started)
    base = statistics.median(times["window 13 (its own noise)"])
    print(f"| {args.files} files, 20 models | median wall time | against its own noise |")
    print("|---|--:|--:|")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"| `{name}` | {median:.2f} s | {median / base:.1f}x |")


if __name__ == "__main__":
    main()

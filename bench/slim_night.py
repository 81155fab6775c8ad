"""CPU seconds to slim one night's raw files: what `add` spends on tonight's runs.

Usage: nice -n 10 python -m bench.slim_night [--models 20] [--against SRC] [--rounds 3]

Writes one night of the cache-size bench's realistic files (bench/cache_size.py: 147 tasks,
about 270 KB each) and times `history.slim.slim` over them in a fresh process, CPU seconds
(`time.process_time`), best of 5 passes. With --against SRC (a `src` directory, as
bench/branch_size.py takes it) each round times that trendgate and this one, alternating.
Not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import cache_size, corpus

TIMER = """
import os, sys, time
from pathlib import Path
from trendgate.history.slim import slim
files = [(p.name, p.read_bytes()) for p in sorted(Path(sys.argv[1]).iterdir())]
best = float("inf")
for _ in range(5):
    started = time.process_time()
    for name, data in files:
        slim(name, data, os.environ)
    best = min(best, time.process_time() - started)
print(f"{best:.3f}")
"""


def timed(tonight: Path, src: Path | None) -> float:
    """The best CPU seconds of 5 passes, by the trendgate in `src` when given."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    out = subprocess.run(
        [sys.executable, "-c", TIMER, str(tonight)], env=env, check=True, capture_output=True
    )
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=20)
    parser.add_argument("--against", type=Path, help="another trendgate's src, side by side")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="slim-night-") as root:
        tonight = Path(root) / "tonight"
        cache_size.night(tonight, 0, corpus.models(args.models))
        times: dict[str, list[float]] = {"this": [], "base": []} if args.against else {"this": []}
        for number in range(args.rounds):
            order = [("base", args.against), ("this", None)] if args.against else [("this", None)]
            for kind, src in order if number % 2 else order[::-1]:
                times[kind].append(timed(tonight, src))
    for kind, taken in times.items():
        shown = ", ".join(f"{t:.3f}" for t in taken)
        print(f"slim of {args.models} raw files ({kind}), CPU s, best of 5 each round: {shown}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

"""Parse the first N files of bench/site_build.py's year in one process and in two, alternating.

Usage: python -m bench.parse_halves [--dir DIR] [--files 7300] [--rounds 2]

DIR is the directory bench.site_build wrote (its `history` folder is read). Prints each round's
wall and CPU seconds (the gate's process and its child), and the load average, and checks that
both ways give the same runs and reasons.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from trendgate.read import load


def cpu() -> float:
    """CPU seconds of this process and of the children it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    """Alternate one and two processes over the same files; print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "trendgate-site")
    parser.add_argument("--files", type=int, default=7300)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    root = args.dir / "history"
    names = sorted(os.listdir(root))[: args.files]
    outcomes: dict[int, list[object]] = {}
    print("| files | processes | wall s | CPU s | load |")
    print("|--:|--:|--:|--:|--:|")
    for _ in range(args.rounds):
        for processes in (1, 2):
            load.HALVES_FROM = 1 if processes == 2 else len(names) + 1
            wall, used = time.perf_counter(), cpu()
            runs = load.load_runs(root, names)
            wall, used = time.perf_counter() - wall, cpu() - used
            print(
                f"| {len(names)} | {processes} | {wall:.2f} | {used:.2f} | "
                f"{os.getloadavg()[0]:.1f} |"
            )
            outcomes.setdefault(
                processes, [str(r) if isinstance(r, Exception) else r for r in runs]
            )
            del runs
    if outcomes[1] != outcomes[2]:
        raise SystemExit("one and two processes disagree")
    return 0


if __name__ == "__main__":
    sys.exit(main())

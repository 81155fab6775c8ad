"""How large a history branch gets, how fast a night is, and the gate on slim versus raw files.

Usage: nice -n 10 python bench/branch_size.py [--nights 365] [--models 20] [--dir DIR]

Plays the README's nightly workflow against a bare repository on disk as `origin`: each night a
fresh clone, one realistic PinchBench v2 result per model (bench/corpus.py, 147 tasks, about
270 KB) as `0001_<slug>.json`, and `trendgate history --add tonight --history-branch ...` (pull,
add slim, judge, commit, push). Then `git gc` in the remote and `git count-objects -vH`, the
largest file on the branch, its commits; and the gate timed side by side (alternating, best of
3) on the year's slim files and on the same runs raw. Not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import corpus

BRANCH = "trendgate-history"
RULES = ["--window", "10", "--threshold", "-0.5"]


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def trendgate(*args: str, cwd: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "trendgate", *args], cwd=cwd, capture_output=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr.decode())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nights", type=int, default=365)
    parser.add_argument("--models", type=int, default=20)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    root = Path(args.dir or tempfile.mkdtemp(prefix="branch-size-"))
    bare, raw = root / "origin.git", root / "raw"
    git("init", "--quiet", "--bare", str(bare))
    raw.mkdir()
    names = corpus.models(args.models)
    nights = []
    for night in range(args.nights):
        clone = root / "clone"
        shutil.rmtree(clone, ignore_errors=True)
        git("clone", "--quiet", str(bare), str(clone))
        tonight = clone / "tonight"
        tonight.mkdir()
        for index, model in enumerate(names):
            doc = corpus.result_document(
                model,
                "0001",
                corpus.START + night * corpus.DAY + index * 600.0,
                0.75,
                night * 1000 + index,
            )
            data = json.dumps(doc, indent=2).encode()
            (tonight / f"0001_{corpus.slug(model)}.json").write_bytes(data)
            (raw / f"{night:04d}_{corpus.slug(model)}.json").write_bytes(data)
        start = ["--start-history"] if night == 0 else []
        nights.append(
            trendgate(
                "history", "--add", "tonight", "--history-branch", BRANCH, *start, *RULES, cwd=clone
            )
        )
    slim = root / "clone" / "history"
    git("gc", "--quiet", "--aggressive", cwd=bare)
    objects = git("count-objects", "-vH", cwd=bare)
    sizes = [int(line.split()[3]) for line in git("ls-tree", "-l", BRANCH, cwd=bare).splitlines()]
    commits = len(git("rev-list", BRANCH, cwd=bare).split())
    times: dict[str, list[float]] = {"raw": [], "slim": []}
    for _ in range(3):
        for kind, directory in (("raw", raw), ("slim", slim)):
            times[kind].append(trendgate(str(directory), *RULES, cwd=root))
    print(f"nights {args.nights}, models {args.models}, files on the branch {len(sizes)}")
    largest, median = max(sizes) / 1024, statistics.median(sizes) / 1024
    print(f"commits {commits}; largest file {largest:.1f} KiB, median {median:.1f} KiB")
    print("after git gc --aggressive in the remote, git count-objects -vH:")
    print(objects.strip())
    typical, slowest = statistics.median(nights), max(nights)
    print(f"one night (fresh clone excluded): median {typical:.2f} s, max {slowest:.2f} s")
    best_raw, best_slim = min(times["raw"]), min(times["slim"])
    print(f"gate on raw {best_raw:.2f} s, on slim {best_slim:.2f} s: {best_raw / best_slim:.1f}x")
    print(f"data left in {root}")


if __name__ == "__main__":
    main()

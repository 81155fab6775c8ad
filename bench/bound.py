"""The bound: the least work a gate that parses each window in full can do in Python.

List the files, read each one's model and timestamp from its first 4 KiB, then json.loads
the newest WINDOW files of each model: both steps shared with a forked second process, with
no checks, no scores and no report. A Python gate that parses every windowed file in full
can hardly be faster, so it shows how close trendgate comes to what is possible.
Usage: python bench/bound.py RESULTS_DIR [WINDOW]
"""

from __future__ import annotations

import json
import os
import pickle
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

HEAD = re.compile(rb'"model": "([^"]*)".*?"timestamp": ([0-9.]+)', re.DOTALL)


def on_two_cores(work: Callable[[Sequence[str]], Any], items: Sequence[str]) -> list[Any]:
    """work(items) with the second half done by a forked child (a list of results)."""
    cut = len(items) // 2
    read_end, write_end = os.pipe()
    if os.fork() == 0:
        os.write(write_end, pickle.dumps(work(items[cut:])))
        os._exit(0)
    os.close(write_end)
    mine = work(items[:cut])
    with os.fdopen(read_end, "rb") as pipe:
        theirs = pickle.loads(pipe.read())
    os.wait()
    return [*mine, *theirs]


def heads(paths: Sequence[str]) -> list[tuple[str, float, str]]:
    """Model, timestamp and path of each file, from its first 4 KiB."""
    placed = []
    for path in paths:
        with open(path, "rb") as handle:
            found = HEAD.search(handle.read(4096))
        if found:
            placed.append((found[1].decode(), float(found[2]), path))
    return placed


def parse(paths: Sequence[str]) -> list[int]:
    """Parse each file in full; keep nothing but its number of tasks."""
    counts = []
    for path in paths:
        with open(path, "rb") as handle:
            counts.append(len(json.loads(handle.read())["tasks"]))
    return counts


def main(results_dir: str, window: int) -> None:
    """Place every file, then parse each model's newest `window` in full."""
    paths = sorted(e.path for e in os.scandir(results_dir) if e.name.endswith(".json"))
    by_model: dict[str, list[tuple[float, str]]] = {}
    for model, timestamp, path in on_two_cores(heads, paths):
        by_model.setdefault(model, []).append((timestamp, path))
    windows = [path for runs in by_model.values() for _, path in sorted(runs)[-window:]]
    print(sum(on_two_cores(parse, windows)))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10)

"""The bound: the least work a gate that parses each window in full can do in Python.

In one process and one thread, as trendgate runs: list the files, read each one's model and
timestamp from its first 4 KiB, then json.loads the newest WINDOW files of each model, with
no checks, no scores and no report. A Python gate that parses every windowed file in full
can hardly be faster, so it shows how close trendgate comes to what is possible.
With --strict, the windowed files are decoded by trendgate's strict JSON decoder instead
(duplicate keys, non-finite numbers, depth), so the cost of those checks alone can be told
from the rest of trendgate's work.
Usage: python bench/bound.py RESULTS_DIR [WINDOW] [--strict]
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from typing import Any

HEAD = re.compile(rb'"model": "([^"]*)".*?"timestamp": ([0-9.]+)', re.DOTALL)


def main(results_dir: str, window: int, parse: Callable[[bytes], Any] = json.loads) -> None:
    """Place every file, then parse each model's newest `window` in full."""
    paths = sorted(e.path for e in os.scandir(results_dir) if e.name.endswith(".json"))
    by_model: dict[str, list[tuple[float, str]]] = {}
    for path in paths:
        with open(path, "rb") as handle:
            found = HEAD.search(handle.read(4096))
        if found:
            by_model.setdefault(found[1].decode(), []).append((float(found[2]), path))
    tasks = 0
    for runs in by_model.values():
        for _, path in sorted(runs)[-window:]:
            with open(path, "rb") as handle:
                tasks += len(parse(handle.read())["tasks"])
    print(tasks)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--strict"]
    window = int(args[1]) if len(args) > 1 else 10
    if "--strict" in sys.argv[1:]:
        from trendgate.read.strict_json import decode_json

        main(args[0], window, decode_json)
    else:
        main(args[0], window)

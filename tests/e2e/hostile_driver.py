"""Runs inside the Action's image: each command of a plan, one JSON line per command.

The container tier (tests/e2e/container.py) writes the plan (a JSON list of {"id", "argv",
"env", "cwd"}) and starts the image with this file as its entrypoint, run by the image's own
Python. Each command runs as a process of its own, in the image's environment without the
runner's variables, plus its "env"; the lines come out in the plan's order, each with the
command's exit code, whether a traceback was printed and its last line of stderr. Standard
library only: nothing of the repository but this file is in the container.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

TIMEOUT = 120  # seconds: a command that hangs (on a FIFO, say) is reported, not waited for


def run(entry: dict[str, Any]) -> dict[str, Any]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    try:
        proc = subprocess.run(
            entry["argv"],
            cwd=entry["cwd"],
            env={**base, **entry["env"]},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return {"id": entry["id"], "exit": None, "traceback": False, "last": "timed out"}
    printed = proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines() or [""]
    return {
        "id": entry["id"],
        "exit": proc.returncode,
        "traceback": "Traceback (most recent call last)" in printed,
        "last": lines[-1][:300],
    }


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        plan = json.load(handle)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for line in pool.map(run, plan):
            print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The floor: read every result file's bytes, and nothing else.

Usage: python bench/floor.py RESULTS_DIR
"""

from __future__ import annotations

import os
import sys


def main(results_dir: str) -> None:
    """Read each top-level *.json file whole, as any reader of every file must."""
    total = 0
    for entry in os.scandir(results_dir):
        if entry.name.endswith(".json"):
            with open(entry.path, "rb") as handle:
                total += len(handle.read())
    print(total)


if __name__ == "__main__":
    main(sys.argv[1])

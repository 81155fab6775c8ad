"""Load: read a window's result files in full and score each run."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from pathlib import Path

from trendgate.model import Run
from trendgate.read.discover import file_path
from trendgate.read.files import LoadError, caught, read_bytes
from trendgate.read.halves import in_halves
from trendgate.read.pinchbench import parse_run

# From this many files on, two processes parse them (read/halves.py): a night's look-back of 20
# models (600 slim files) took 0.30 s instead of 0.50 with a core free (bench/parse_halves.py);
# fewer files were not measured.
HALVES_FROM = 600


def load_run(root: Path, name: str) -> Run:
    """Read `root/name` and score it; raise LoadError with the reason when it is unusable."""
    return parse_run(name, read_bytes(file_path(root, name)))


def load_runs(root: Path, names: Sequence[str]) -> list[Run | LoadError]:
    """Load many files: each one's Run, or the LoadError that says why it is unusable."""

    def parse(part: Sequence[str]) -> list[Run | LoadError]:
        return [caught(load_run, root, name) for name in part]

    # A run holds no reference cycle, yet its million tracked objects (a year's task results)
    # made the cyclic collector walk the growing heap again and again: 1.1 of 7.2 s.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return in_halves(parse, names) if len(names) >= HALVES_FROM else parse(names)
    finally:
        if collecting:
            if not gc.get_freeze_count():
                # The runs outlive the young generations: promoted to the oldest at once (all
                # frozen, then unfrozen into it), not walked by two young collections on the way.
                gc.freeze()
                gc.unfreeze()
            gc.enable()

"""Load: read a window's result files in full and score each run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from trendgate.model import Run
from trendgate.read.discover import file_path
from trendgate.read.files import LoadError, caught, read_bytes
from trendgate.read.pinchbench import parse_run


def load_run(root: Path, name: str) -> Run:
    """Read `root/name` and score it; raise LoadError with the reason when it is unusable."""
    return parse_run(name, read_bytes(file_path(root, name)))


def load_runs(root: Path, names: Sequence[str]) -> list[Run | LoadError]:
    """Load many files: each one's Run, or the LoadError that says why it is unusable."""
    return [caught(load_run, root, name) for name in names]

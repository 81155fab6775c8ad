"""Loading a window's runs: many files as each one alone."""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from examples.pinchbench import file_text
from tests.builders import result_doc
from trendgate.model import Run
from trendgate.read.files import LoadError
from trendgate.read.load import load_run, load_runs

MODEL = "openrouter/anthropic/claude-sonnet-4.5"

T = TypeVar("T")


def test_many_files_load_as_each_one_alone(tmp_path: Path) -> None:
    names = []
    for i in range(10):
        doc = result_doc(MODEL, f"{i:04d}", 1000.0 + i, [i / 40, 0.5])
        text = file_text(doc) if i % 5 else "{"  # every fifth file is broken
        (tmp_path / f"{i:03d}.json").write_text(text)
        names.append(f"{i:03d}.json")
    assert reasons(load_runs(tmp_path, names)) == each_alone(load_run, tmp_path, names)


def each_alone(read: Callable[[Path, str], T], root: Path, names: list[str]) -> list[T | str]:
    """What `read` gives for each file on its own, or the reason it raised."""
    outcomes: list[T | str] = []
    for name in names:
        try:
            outcomes.append(read(root, name))
        except LoadError as exc:
            outcomes.append(str(exc))
    return outcomes


def reasons(outcomes: Sequence[T | LoadError]) -> list[T | str]:
    """The outcomes with each LoadError as its reason, which compares by value."""
    return [str(o) if isinstance(o, LoadError) else o for o in outcomes]


def written(root: Path, count: int) -> list[str]:
    """`count` good result files in `root`, by name."""
    for i in range(count):
        doc = result_doc(MODEL, f"{i:04d}", 1000.0 + i, [i / 40, 0.5])
        (root / f"{i:03d}.json").write_text(file_text(doc))
    return [f"{i:03d}.json" for i in range(count)]


def test_loaded_runs_go_straight_to_the_oldest_generation(tmp_path: Path) -> None:
    runs = [r for r in load_runs(tmp_path, written(tmp_path, 8)) if isinstance(r, Run)]
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert len(runs) == 8
    assert all(id(run) in oldest and id(run.tasks[0]) in oldest for run in runs)


def test_a_callers_frozen_objects_stay_frozen(tmp_path: Path) -> None:
    names = written(tmp_path, 3)
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        load_runs(tmp_path, names)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()

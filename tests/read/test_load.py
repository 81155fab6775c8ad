"""Loading a window's runs: many files as each one alone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from examples.pinchbench import file_text
from tests.builders import result_doc
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

"""Filling each window: only its runs are loaded, and a failed run gives way to an older one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.builders import result_doc, write_doc
from trendgate.errors import InputError
from trendgate.judge.group import group_series
from trendgate.judge.window import window_series
from trendgate.model import Run, RunHead
from trendgate.read.files import LoadError
from trendgate.read.load import load_runs
from trendgate.read.place import place_run


def write_runs(directory: Path, model: str, count: int, *, slug: str = "m") -> list[str]:
    names = []
    for i in range(count):
        name = f"{i:04d}_{slug}.json"
        write_doc(directory, name, result_doc(model, f"{i:04d}", 1000.0 + i, [i / 100]))
        names.append(name)
    return names


def damage_body(path: Path) -> None:
    """Break a task in the middle of the file, leaving its head and end as PinchBench wrote."""
    text = path.read_text()
    path.write_text(text.replace('"task_id": "task_0"', '"task_id": 7', 1))


class Loader:
    """The real loader, remembering which files it was asked to parse."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.asked: list[str] = []

    def __call__(self, heads: Sequence[RunHead]) -> list[Run | LoadError]:
        self.asked += [h.path for h in heads]
        return load_runs(self.root, [h.path for h in heads])


def heads_of(root: Path) -> list[RunHead]:
    return [place_run(root, p.name) for p in sorted(root.glob("*.json"))]


def test_only_the_window_is_loaded(tmp_path: Path) -> None:
    names = write_runs(tmp_path, "m", 12)
    load = Loader(tmp_path)
    (series,), _, failed = window_series(group_series(heads_of(tmp_path)), lambda _: 5, load)
    assert sorted(load.asked) == names[-5:]
    assert [r.path for r in series.runs] == names[-5:]
    assert (series.older_runs, series.total_runs, failed) == (7, 12, ())


def test_a_run_that_fails_to_load_gives_its_place_to_the_next_older(tmp_path: Path) -> None:
    names = write_runs(tmp_path, "m", 8)
    damage_body(tmp_path / names[6])
    damage_body(tmp_path / names[5])
    (series,), _, failed = window_series(
        group_series(heads_of(tmp_path)), lambda _: 3, Loader(tmp_path)
    )
    assert [r.path for r in series.runs] == [names[3], names[4], names[7]]
    assert [(h.path, str(e)) for h, e in failed] == [
        (names[6], "tasks[0] has no string 'task_id'"),
        (names[5], "tasks[0] has no string 'task_id'"),
    ]
    assert series.total_runs == 6


def test_a_damaged_body_older_than_the_window_is_never_read(tmp_path: Path) -> None:
    names = write_runs(tmp_path, "m", 6)
    damage_body(tmp_path / names[0])
    load = Loader(tmp_path)
    (series,), _, failed = window_series(group_series(heads_of(tmp_path)), lambda _: 3, load)
    assert names[0] not in load.asked
    assert failed == ()
    assert series.total_runs == 6  # counted from its head: the documented cost of not reading it


def test_each_series_gets_its_own_window(tmp_path: Path) -> None:
    write_runs(tmp_path, "long", 8, slug="l")
    write_runs(tmp_path, "short", 8, slug="s")
    series, _, _ = window_series(
        group_series(heads_of(tmp_path)),
        lambda g: 6 if g.model == "long" else 2,
        Loader(tmp_path),
    )
    assert [(s.model, len(s.runs), s.older_runs) for s in series] == [
        ("long", 6, 2),
        ("short", 2, 6),
    ]


def test_models_are_windowed_separately_in_one_batch_and_sorted(tmp_path: Path) -> None:
    write_runs(tmp_path, "zeta", 4, slug="z")
    write_runs(tmp_path, "alpha", 2, slug="a")
    batches: list[int] = []

    def load(heads: Sequence[RunHead]) -> list[Run | LoadError]:
        batches.append(len(heads))
        return load_runs(tmp_path, [h.path for h in heads])

    series, _, _ = window_series(group_series(heads_of(tmp_path)), lambda _: 3, load)
    assert [(s.model, len(s.runs), s.total_runs) for s in series] == [
        ("alpha", 2, 2),
        ("zeta", 3, 4),
    ]
    assert batches == [5]


def test_a_model_whose_every_run_fails_has_no_series(tmp_path: Path) -> None:
    write_runs(tmp_path, "good", 2, slug="g")
    for name in write_runs(tmp_path, "bad", 3, slug="b"):
        damage_body(tmp_path / name)
    grouped = group_series(heads_of(tmp_path))
    series, _, failed = window_series(grouped, lambda _: 2, Loader(tmp_path))
    assert [s.model for s in series] == ["good"]
    assert len(failed) == 3
    with pytest.raises(InputError, match="no runs for model 'bad'"):
        window_series(
            group_series(heads_of(tmp_path), ["good", "bad"]),
            lambda _: 2,
            Loader(tmp_path),
            ["good", "bad"],
        )


def test_only_the_named_models_are_loaded(tmp_path: Path) -> None:
    write_runs(tmp_path, "a", 3, slug="a")
    write_runs(tmp_path, "b", 3, slug="b")
    load = Loader(tmp_path)
    series, _, _ = window_series(group_series(heads_of(tmp_path), ["b"]), lambda _: 10, load, ["b"])
    assert [s.model for s in series] == ["b"]
    assert all(json.loads((tmp_path / p).read_text())["model"] == "b" for p in load.asked)
    with pytest.raises(InputError, match="no runs for model 'c'"):
        window_series(group_series(heads_of(tmp_path), ["b", "c"]), lambda _: 10, load, ["b", "c"])

"""Grouping runs by model and ordering them in time."""

from __future__ import annotations

import pytest

from trendgate.errors import InputError
from trendgate.load import Run
from trendgate.series import build_series


def run(model: str, ts: float, run_id: str = "0001", path: str = "a.json") -> Run:
    return Run(path, model, run_id, ts, 50.0, (), None, None, None, ())


def test_grouped_by_exact_model_string_and_sorted_by_name() -> None:
    series = build_series([run("b", 1), run("a", 2), run("A", 3), run("a ", 4)])
    assert [s.model for s in series] == ["A", "a", "a ", "b"]


def test_runs_ordered_by_time_then_run_id_then_file_name() -> None:
    runs = [
        run("m", 20, "0001", "z.json"),
        run("m", 10, "0009", "b.json"),
        run("m", 10, "0009", "a.json"),
        run("m", 10, "0002", "c.json"),
    ]
    (series,) = build_series(runs)
    assert [(r.timestamp, r.run_id, r.path) for r in series.runs] == [
        (10, "0002", "c.json"),
        (10, "0009", "a.json"),
        (10, "0009", "b.json"),
        (20, "0001", "z.json"),
    ]


def test_model_filter_keeps_only_named_models() -> None:
    series = build_series([run("a", 1), run("b", 1), run("c", 1)], ["c", "a", "c"])
    assert [s.model for s in series] == ["a", "c"]


def test_model_filter_naming_an_unknown_model_is_an_error() -> None:
    with pytest.raises(InputError, match="no runs for model 'x'"):
        build_series([run("a", 1)], ["a", "x"])

"""The public Python API: its names, and analyze() from a directory or from a list of files."""

from __future__ import annotations

import inspect
import os
import random
from pathlib import Path

import pytest

import trendgate
from tests.builders import write_series
from trendgate import Settings, analyze
from trendgate.report.json import render_json

SONNET = "openrouter/anthropic/claude-sonnet-4.5"
GPT = "openrouter/openai/gpt-5.1"


def test_every_public_name_is_importable_and_documented() -> None:
    assert "__version__" in trendgate.__all__
    for name in trendgate.__all__:
        value = getattr(trendgate, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, f"trendgate.{name} has no docstring"
    assert {"RunTrendAnalyzer", "RunPoint", "RunTrendReport", "analyze", "Settings"} <= set(
        trendgate.__all__
    )


def test_the_package_declares_inline_types() -> None:
    assert (Path(trendgate.__file__).parent / "py.typed").is_file()


def test_a_list_of_files_gives_the_directorys_analysis(tmp_path: Path) -> None:
    files = write_series(tmp_path, SONNET, [90, 85, 80, 70]) + write_series(
        tmp_path, GPT, [60, 61, 62], first_run=10
    )
    random.Random(7).shuffle(files)
    settings = Settings(window=3)

    from_dir = analyze(tmp_path, settings)
    from_files = analyze(files, settings)

    assert render_json(from_files) == render_json(from_dir).replace(
        f'"results_dir": "{tmp_path}"', f'"results_dir": "{tmp_path.resolve()}"'
    )
    assert [t.slope for t in from_files.trends] == pytest.approx([-7.5, 1.0])
    assert [len(s.runs) for s in from_files.series] == [4, 3]


def test_files_from_several_directories_are_named_from_their_common_one(tmp_path: Path) -> None:
    (a,) = write_series(tmp_path / "nightly", SONNET, [80])
    (b,) = write_series(tmp_path / "weekly" / "x", SONNET, [70], first_run=2)
    analysis = analyze([str(b), a])  # str and Path, in any order
    assert analysis.results_dir == str(tmp_path.resolve())
    (trend,) = analysis.trends
    assert [r.path for r in trend.runs] == [
        "nightly/0001_openrouter-anthropic-claude-sonnet-4-5.json",
        "weekly/x/0002_openrouter-anthropic-claude-sonnet-4-5.json",
    ]
    assert trend.slope == pytest.approx(-10.0)


def test_relative_paths_and_duplicates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_series(tmp_path, SONNET, [80, 75])
    monkeypatch.chdir(tmp_path)
    names = sorted(os.listdir("."))
    analysis = analyze([*names, f"./{names[0]}"])
    assert analysis.files_read == 2
    assert analysis.trends[0].slope == pytest.approx(-5.0)


def test_named_files_that_cannot_be_read_are_skipped(tmp_path: Path) -> None:
    (good,) = write_series(tmp_path, SONNET, [80])
    (tmp_path / "sub").mkdir()
    analysis = analyze([good, tmp_path / "gone.json", tmp_path / "sub"])
    assert [(s.path, s.reason) for s in analysis.skipped] == [
        ("gone.json", "file not found"),
        ("sub", "a directory, not a file"),
    ]
    assert analysis.files_read == 1


def test_nothing_to_judge_from_files_fails_closed(tmp_path: Path) -> None:
    assert analyze([]).nothing_to_gate == "no result files given"
    missing = analyze([tmp_path / "a.json"])
    assert missing.nothing_to_gate == f"no readable run in {tmp_path}: all 1 files were skipped"


def test_a_directory_given_as_text_or_path_like(tmp_path: Path) -> None:
    write_series(tmp_path, GPT, [50, 55])
    assert analyze(str(tmp_path)).results_dir == str(tmp_path)
    assert analyze(tmp_path).trends[0].slope == pytest.approx(5.0)

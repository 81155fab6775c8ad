"""Finding candidate files: top level only, regular files, never leaving the directory."""

from __future__ import annotations

import os
from pathlib import Path

from trendgate.discover import discover


def test_top_level_json_files_in_name_order(tmp_path: Path) -> None:
    for name in ["0002_b.json", "0001_a.json", "notes.txt", "0003_c.JSON.bak"]:
        (tmp_path / name).write_text("{}")
    (tmp_path / "0001_transcripts").mkdir()
    (tmp_path / "0001_transcripts" / "task.json").write_text("{}")
    (tmp_path / ".judge_cache").mkdir()
    (tmp_path / ".judge_cache" / "judge_cache.json").write_text("{}")
    found = discover(tmp_path)
    assert found.files == ("0001_a.json", "0002_b.json")
    assert found.skipped == ()
    assert found.error is None


def test_directory_named_like_a_result(tmp_path: Path) -> None:
    (tmp_path / "x.json").mkdir()
    found = discover(tmp_path)
    assert found.files == ()
    assert [(s.path, s.reason) for s in found.skipped] == [("x.json", "a directory, not a file")]


def test_fifo_is_skipped_without_opening_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.json")
    found = discover(tmp_path)
    assert [(s.path, s.reason) for s in found.skipped] == [("x.json", "not a regular file")]


def test_symlinks(tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    (results / "real.json").write_text("{}")
    (tmp_path / "outside.json").write_text("{}")
    (results / "inside.json").symlink_to(results / "real.json")
    (results / "escape.json").symlink_to(tmp_path / "outside.json")
    (results / "dangling.json").symlink_to(results / "missing")
    (results / "loop.json").symlink_to(results / "loop.json")
    found = discover(results)
    assert found.files == ("inside.json", "real.json")
    assert {s.path: s.reason for s in found.skipped} == {
        "dangling.json": "broken symbolic link",
        "escape.json": "symbolic link that leaves the results directory (not followed)",
        "loop.json": "symbolic link loop",
    }


def test_missing_directory_is_reported_not_raised(tmp_path: Path) -> None:
    found = discover(tmp_path / "nope")
    assert found.error == f"results directory not found: {tmp_path / 'nope'}"


def test_file_instead_of_directory(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    assert discover(tmp_path / "f").error == f"not a directory: {tmp_path / 'f'}"

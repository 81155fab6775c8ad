"""Finding candidate files: top level only, regular files, never leaving the directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from trendgate.read.discover import discover, discover_files, discover_tree


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


def test_named_files_are_relative_to_their_common_directory(tmp_path: Path) -> None:
    for name in ["nightly/b.json", "nightly/a.json", "weekly/x/c.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    found = discover_files(
        [tmp_path / "weekly/x/c.txt", tmp_path / "nightly/b.json", tmp_path / "nightly/a.json"]
    )
    assert found.root == tmp_path
    assert found.files == ("nightly/a.json", "nightly/b.json", "weekly/x/c.txt")
    assert found.error is None


def test_named_files_relative_or_repeated_count_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    found = discover_files([Path("a.json"), Path("./a.json"), tmp_path / "a.json"])
    assert (found.root, found.files) == (tmp_path, ("a.json",))


def test_named_paths_that_are_not_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "fifo.json")
    (tmp_path / "link.json").symlink_to(tmp_path / "sub")
    found = discover_files(
        [tmp_path / "gone.json", tmp_path / "sub", tmp_path / "fifo.json", tmp_path / "link.json"]
    )
    assert found.files == ()
    assert [(s.path, s.reason) for s in found.skipped] == [
        ("fifo.json", "not a regular file"),
        ("gone.json", "file not found"),
        ("link.json", "a directory, not a file"),
        ("sub", "a directory, not a file"),
    ]


def test_a_named_symlink_is_followed_wherever_it_leads(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "real.json").write_text("{}")
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "link.json").symlink_to(tmp_path / "elsewhere" / "real.json")
    found = discover_files([tmp_path / "results" / "link.json"])
    assert found.files == ("link.json",)


def test_no_named_files_is_an_error() -> None:
    assert discover_files([]).error == "no result files given"


def test_a_tree_is_walked_in_name_order_without_leaving_it(tmp_path: Path) -> None:
    root = tmp_path / "tonight"
    for name in ("b/2.json", "a/deeper/1.json", "a/0.json", "top.json", "a/notes.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("{}")
    for passed_over in (".judge_cache/x.json", "0001_transcripts/t.json"):
        (root / passed_over).parent.mkdir(parents=True)
        (root / passed_over).write_text("{}")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "e.json").write_text("{}")
    (root / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "out.json").symlink_to(tmp_path / "elsewhere" / "e.json")
    files, left_out = discover_tree(str(root))
    # Each folder's files, then its sub-folders, each level in name order.
    assert [shown for shown, _ in files] == [
        f"{root}/top.json",
        f"{root}/a/0.json",
        f"{root}/a/deeper/1.json",
        f"{root}/b/2.json",
    ]
    assert all(os.fsdecode(path) == shown for shown, path in files)
    assert [(s.path, s.reason) for s in left_out] == [
        (f"{root}/linked", "symbolic link to a directory (not followed)"),
        (f"{root}/out.json", "symbolic link that leaves the results directory (not followed)"),
    ]
    with pytest.raises(FileNotFoundError):
        discover_tree(str(tmp_path / "missing"))

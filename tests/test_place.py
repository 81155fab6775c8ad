"""Placing files from their heads, and the full parse for anything unusual."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

import pytest

from tests.builders import pinchbench_text, result_doc, write_doc
from trendgate.files import LoadError
from trendgate.load import load_run
from trendgate.place import HEAD_BYTES, RunHead, place_run, place_runs, read_head

T = TypeVar("T")


MODEL = "openrouter/anthropic/claude-sonnet-4.5"


def test_head_of_a_pinchbench_file(tmp_path: Path) -> None:
    write_doc(tmp_path, "a.json", result_doc(MODEL, "0007", 1779012345.678901, [0.5]))
    assert read_head(tmp_path, "a.json") == RunHead("a.json", MODEL, "0007", 1779012345.678901)


def test_head_of_a_large_file_reads_its_end_separately(tmp_path: Path) -> None:
    doc = result_doc(MODEL, "0007", 1779012345.0, [0.5] * 40)
    path = write_doc(tmp_path, "a.json", doc)
    assert path.stat().st_size > 4 * HEAD_BYTES
    assert read_head(tmp_path, "a.json") == RunHead("a.json", MODEL, "0007", 1779012345.0)


def test_head_decodes_escapes_as_json_does(tmp_path: Path) -> None:
    model = 'm\u00e9t\u00e0/"quoted"\\back\U0001f600'
    write_doc(tmp_path, "a.json", result_doc(model, "", 5, [0.5]))
    head = read_head(tmp_path, "a.json")
    assert head == RunHead("a.json", model, "", 5.0)
    assert isinstance(head.timestamp, float)


def test_real_samples_are_placed_from_their_heads(samples: Path) -> None:
    for path in sorted(samples.glob("*.json")):
        run = load_run(samples, path.name)
        head = RunHead(path.name, run.model, run.run_id, run.timestamp)
        assert read_head(samples, path.name) == head


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="CRLF line ends"),
        pytest.param(lambda t: "\ufeff" + t, id="byte order mark"),
        pytest.param(lambda t: " " + t, id="leading space"),
        pytest.param(lambda t: t.replace("  ", "    "), id="indent 4"),
        pytest.param(lambda t: json.dumps(json.loads(t)), id="one line"),
        pytest.param(lambda t: t[: len(t) // 2], id="truncated"),
        pytest.param(lambda t: t[:-2], id="truncated in the last object"),
        pytest.param(lambda t: t + "\n{}", id="second document"),
        pytest.param(lambda t: t[:-2] + ',\n  "in_progress": true\n}', id="partial file"),
        pytest.param(lambda t: t.replace('"model"', '"model" '), id="space before colon"),
        pytest.param(lambda t: t.replace('"2.0.0"', "null"), id="benchmark_version null"),
        pytest.param(lambda t: t.replace('"0007"', "7"), id="numeric run_id"),
        pytest.param(lambda t: t.replace("1779012345.0", "1e400"), id="infinite timestamp"),
        pytest.param(lambda t: t.replace("1779012345.0", "-5"), id="negative timestamp"),
        pytest.param(lambda t: t.replace("1779012345.0", "NaN"), id="NaN timestamp"),
        pytest.param(lambda t: t.replace("1779012345.0", "253402300800"), id="year 10000"),
        pytest.param(lambda t: t.replace(f'"{MODEL}"', '"  "'), id="blank model"),
        pytest.param(lambda t: t.replace(f'"{MODEL}"', '"a\\x"'), id="bad escape"),
        pytest.param(lambda t: t.replace(f'"{MODEL}"', '"a\tb"'), id="raw tab in string"),
    ],
)
def test_anything_unusual_is_left_to_the_full_parse(tmp_path: Path, change: object) -> None:
    text = pinchbench_text(result_doc(MODEL, "0007", 1779012345.0, [0.5] * 8))
    assert callable(change)
    (tmp_path / "a.json").write_text(change(text), encoding="utf-8")
    assert read_head(tmp_path, "a.json") is None


@pytest.mark.parametrize(
    ("doc", "by_head"),
    [
        pytest.param({"timestamp": 5, **result_doc(MODEL, "0007", 5, [0.5])}, False, id="order"),
        pytest.param(
            {k: v for k, v in result_doc(MODEL, "0007", 5, [0.5]).items() if k != "suite"},
            False,
            id="older file without suite",
        ),
        pytest.param(result_doc(MODEL, "0007", 5, [0.5], executor="x"), True, id="fork key"),
    ],
)
def test_valid_files_in_any_layout_are_placed(
    tmp_path: Path, doc: dict[str, object], by_head: bool
) -> None:
    write_doc(tmp_path, "a.json", doc)
    expected = RunHead("a.json", MODEL, "0007", 5.0)
    assert place_run(tmp_path, "a.json") == expected
    assert read_head(tmp_path, "a.json") == (expected if by_head else None)


def test_invalid_head_gets_the_full_parse_reason(tmp_path: Path) -> None:
    doc = result_doc(MODEL, "0007", 5, [0.5], in_progress=True)
    write_doc(tmp_path, "a.json", doc)
    with pytest.raises(LoadError, match="partial file"):
        place_run(tmp_path, "a.json")


def test_empty_tasks_list_is_not_placed_by_its_head(tmp_path: Path) -> None:
    write_doc(tmp_path, "a.json", result_doc(MODEL, "0007", 5, []))
    assert read_head(tmp_path, "a.json") is None
    with pytest.raises(LoadError, match="no non-empty 'tasks' list"):
        place_run(tmp_path, "a.json")


def test_unreadable_or_missing_file_is_left_to_the_full_parse(tmp_path: Path) -> None:
    assert read_head(tmp_path, "missing.json") is None
    with pytest.raises(LoadError, match="cannot read"):
        place_run(tmp_path, "missing.json")


def test_placing_many_files_keeps_name_order(tmp_path: Path) -> None:
    names = [f"{i:03d}.json" for i in range(11)]
    for i, name in enumerate(names):
        write_doc(tmp_path, name, result_doc(MODEL, f"{i:04d}", 1000.0 + i, [0.5]))
    (tmp_path / names[3]).write_text("[]")
    placed = place_runs(tmp_path, names)
    assert [p.path for p in placed if isinstance(p, RunHead)] == names[:3] + names[4:]
    assert str(placed[3]) == "not a JSON object (top level is an array)"

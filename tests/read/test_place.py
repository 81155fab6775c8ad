"""Placing files from their heads, and the full parse for anything unusual."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from examples.pinchbench import file_text
from tests.builders import result_doc, write_doc
from trendgate.model import RunHead
from trendgate.read.files import LoadError
from trendgate.read.load import load_run
from trendgate.read.place import (
    _STRING,
    HEAD_BYTES,
    TAIL_BYTES,
    forget,
    head_of,
    one_run_each,
    place_run,
    place_runs,
    read_head,
    vouch,
)

T = TypeVar("T")

STRING = re.compile(_STRING)


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
    text = file_text(result_doc(MODEL, "0007", 1779012345.0, [0.5] * 8))
    assert callable(change)
    (tmp_path / "a.json").write_text(change(text), encoding="utf-8")
    assert read_head(tmp_path, "a.json") is None
    data = (tmp_path / "a.json").read_bytes()
    assert head_of("a.json", data[:HEAD_BYTES], data[-TAIL_BYTES:]) is None


@pytest.mark.parametrize("tasks", [1, 8, 200])
def test_head_of_bytes_in_hand_is_read_head(tmp_path: Path, tasks: int) -> None:
    path = write_doc(tmp_path, "a.json", result_doc(MODEL, "0007", 1779012345.5, [0.5] * tasks))
    data = path.read_bytes()
    expected = RunHead("a.json", MODEL, "0007", 1779012345.5)
    assert head_of("a.json", data[:HEAD_BYTES], data[-TAIL_BYTES:]) == expected
    assert read_head(tmp_path, "a.json") == expected


def test_a_vouched_file_is_placed_without_reading_it_until_it_changes(tmp_path: Path) -> None:
    path = write_doc(tmp_path, "a.json", result_doc(MODEL, "0007", 5, [0.5]))
    # A head the file does not hold shows that place_run took the vouched one unread.
    vouched = RunHead("elsewhere.json", "vouched/model", "0001", 7.0)
    statuses = [path.stat()]
    vouch(statuses[-1], vouched)
    try:
        assert place_run(tmp_path, "a.json") == RunHead("a.json", "vouched/model", "0001", 7.0)
        # Replaced by a rename (another inode), rewritten with another size, or touched (another
        # mtime): read again. Changes the clock cannot tell apart are not tried here.
        write_doc(tmp_path, "new.json", result_doc(MODEL, "0008", 6, [0.5]))
        os.replace(tmp_path / "new.json", path)
        assert place_run(tmp_path, "a.json") == RunHead("a.json", MODEL, "0008", 6.0)
        statuses.append(path.stat())
        vouch(statuses[-1], vouched)
        write_doc(tmp_path, "a.json", result_doc(MODEL, "0009", 66, [0.5]))
        assert place_run(tmp_path, "a.json") == RunHead("a.json", MODEL, "0009", 66.0)
        statuses.append(path.stat())
        vouch(statuses[-1], vouched)
        os.utime(path, ns=(statuses[-1].st_atime_ns, statuses[-1].st_mtime_ns + 10**9))
        assert place_run(tmp_path, "a.json") == RunHead("a.json", MODEL, "0009", 66.0)
        vouch(path.stat(), vouched)
        assert place_run(tmp_path, "a.json").model == "vouched/model"
        statuses.append(path.stat())
    finally:
        forget(statuses)
    assert place_run(tmp_path, "a.json") == RunHead("a.json", MODEL, "0009", 66.0)


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


def heads_of(root: Path) -> list[RunHead]:
    names = sorted(p.name for p in root.iterdir())
    return [h for h in place_runs(root, names) if isinstance(h, RunHead)]


def test_identical_copies_of_a_run_count_once_by_the_smallest_name(tmp_path: Path) -> None:
    doc = result_doc(MODEL, "0001", 1000.0, [0.5])
    for name in ("b.json", "a.json", "c.json"):
        write_doc(tmp_path, name, doc)
    write_doc(tmp_path, "other.json", result_doc(MODEL, "0001", 1001.0, [0.5]))  # another time
    kept, copies, failed = one_run_each(tmp_path, heads_of(tmp_path))
    assert sorted(h.path for h in kept) == ["a.json", "other.json"]
    assert [c.message for c in copies] == [
        "identical copies a.json, b.json, c.json of one run counted once"
    ]
    assert failed == []


def test_differing_copies_count_by_most_tasks_then_smallest_name(tmp_path: Path) -> None:
    write_doc(tmp_path, "a.json", result_doc(MODEL, "0001", 1000.0, [0.5]))
    write_doc(tmp_path, "b.json", result_doc(MODEL, "0001", 1000.0, [0.5, 0.9]))
    write_doc(tmp_path, "c.json", result_doc(MODEL, "0001", 1000.0, [0.1, 0.2]))
    kept, [copies], _ = one_run_each(tmp_path, heads_of(tmp_path))
    assert [h.path for h in kept] == ["b.json"]
    assert (copies.kept, copies.others, copies.identical, copies.tasks) == (
        "b.json",
        ("a.json", "c.json"),
        False,
        2,
    )
    assert copies.message == (
        "copies of one run (same model, run id and timestamp) differ: b.json (2 tasks) counted, "
        "a.json, c.json set aside (the copy with the most tasks, then the smallest file name, "
        "counts)"
    )


def test_a_run_is_its_model_run_id_and_exact_timestamp(tmp_path: Path) -> None:
    write_doc(tmp_path, "a.json", result_doc(MODEL, "0001", 1000.0, [0.5]))
    write_doc(tmp_path, "b.json", result_doc(MODEL, "0001", 1000.25, [0.5]))  # other time
    write_doc(tmp_path, "c.json", result_doc(MODEL, "0002", 1000.0, [0.5]))  # other run id
    write_doc(tmp_path, "d.json", result_doc(MODEL.upper(), "0001", 1000.0, [0.5]))  # model
    kept, copies, failed = one_run_each(tmp_path, heads_of(tmp_path))
    assert (len(kept), copies, failed) == (4, [], [])


def test_a_copy_damaged_in_its_body_is_given_back_with_its_parse_error(tmp_path: Path) -> None:
    doc = result_doc(MODEL, "0001", 1000.0, [0.5])
    write_doc(tmp_path, "a.json", doc)
    text = file_text(doc).replace('"task_id": "task_0"', '"task_id": null')
    (tmp_path / "b.json").write_text(text)  # its head is sound: placed, then parsed
    kept, copies, [(path, error)] = one_run_each(tmp_path, heads_of(tmp_path))
    assert ([h.path for h in kept], copies, path) == (["a.json"], [], "b.json")
    assert str(error) == str(place_or_error(tmp_path, text))


def place_or_error(tmp_path: Path, text: str) -> LoadError:
    """The full parse's reason for a text, found independently of one_run_each."""
    (tmp_path / "alone.json").write_text(text)
    try:
        load_run(tmp_path, "alone.json")
    except LoadError as exc:
        return exc
    raise AssertionError("the damaged text parsed")


def _is_json_string(token: bytes) -> bool:
    try:
        return isinstance(json.loads(token), str)
    except ValueError:
        return False


# Plain characters, escapes whole and cut short, and what may not stand alone in a string.
PIECES = [
    "a",
    "é",
    "0",
    "F",
    "u",
    '"',
    "\\",
    "\\n",
    "\\/",
    "\\x",
    "\\u",
    "\\u00e",
    "\\u00e9",
    "\x01",
]


@given(st.lists(st.sampled_from(PIECES)))
def test_a_head_string_is_exactly_a_json_string(pieces: list[str]) -> None:
    token = ('"' + "".join(pieces) + '"').encode()
    assert (STRING.fullmatch(token) is not None) == _is_json_string(token)

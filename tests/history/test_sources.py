"""history.sources: tonight's runs read ahead of the filing file exactly as read while filing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import trendgate.history.sources as sources_module
from tests.builders import result_doc, write_doc
from tests.test_hostile_files import SKIPPED
from trendgate.errors import InputError
from trendgate.history.add import Added, add
from trendgate.history.sources import read_ahead
from trendgate.model import Skipped
from trendgate.read import strict_json

T0 = 1_778_000_000.0


def a_night(where: Path) -> Path:
    """Good runs in two folders, a partial run, and every hostile file the parser refuses."""
    source = where / "tonight"
    for index, model in enumerate(("acme/a", "acme/b", "acme/c")):
        write_doc(
            source / f"part-{index % 2}",
            f"0001_{index}.json",
            result_doc(model, "0001", T0 + index, [0.5, 0.25]),
        )
    write_doc(source, "0002.json", {**result_doc("acme/a", "0002", T0, [0.5]), "in_progress": True})
    for case, make, _ in SKIPPED:
        make(source / f"{case}.json")
    return source


def outcome(added: Added, history: Path) -> tuple[object, ...]:
    """What an `add` said and filed, its paths relative to the history."""
    files = {p.name: p.read_bytes() for p in sorted(history.iterdir())}
    created = tuple(os.path.relpath(p, history) for p in added.created)
    return (added.filed, added.already, added.left_out, added.empty, created, files)


def test_files_read_ahead_are_filed_as_files_read_while_filing(tmp_path: Path) -> None:
    source = a_night(tmp_path)
    ahead = read_ahead([str(source)], slim=True)
    refused = [got for got in ahead.values() if isinstance(got, Skipped)]
    assert len(ahead) == len(refused) + 3 and len(refused) > 40
    with_ahead = add([str(source)], str(tmp_path / "h1"), slim=True, ahead=ahead)
    without = add([str(source)], str(tmp_path / "h2"), slim=True)
    assert len(with_ahead.filed) == 3 and len(with_ahead.left_out) > len(refused)
    assert outcome(with_ahead, tmp_path / "h1") == outcome(without, tmp_path / "h2")


def test_what_was_read_ahead_is_what_is_filed(tmp_path: Path) -> None:
    """The filing takes the bytes read ahead rather than reading the file again."""
    source = tmp_path / "tonight"
    path = write_doc(source, "0001_a.json", result_doc("acme/a", "0001", T0, [0.5]))
    ahead = read_ahead([str(source)], slim=True)
    path.write_text("[")  # no longer a run: read again, it would be left out
    added = add([str(source)], str(tmp_path / "h"), slim=True, ahead=ahead)
    assert len(added.filed) == 1 and added.left_out == ()
    [filed] = (tmp_path / "h").iterdir()
    assert json.loads(filed.read_bytes())["source"]["file"] == "0001_a.json"


def test_reading_ahead_stops_at_its_limit_and_filing_reads_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources_module, "READ_AHEAD", 2)
    first, second = tmp_path / "one", tmp_path / "two"
    for index in range(3):
        for folder in (first, second):
            model = f"acme/{folder.name}-{index}"
            write_doc(folder, f"0001_{index}.json", result_doc(model, "0001", T0, [0.5]))
    ahead = read_ahead([str(first), str(second)], slim=True)
    assert [shown for shown, _ in ahead] == [f"{first}/0001_0.json", f"{first}/0001_1.json"]
    added = add([str(first), str(second)], str(tmp_path / "h"), slim=True, ahead=ahead)
    assert len(added.filed) == 6


def test_a_source_that_cannot_be_listed_is_left_to_add_in_its_order(tmp_path: Path) -> None:
    source = tmp_path / "tonight"
    write_doc(source, "0001_a.json", result_doc("acme/a", "0001", T0, [0.5]))
    absent = str(tmp_path / "absent")
    ahead = read_ahead([absent, str(source)], slim=True)
    assert [shown for shown, _ in ahead] == [f"{source}/0001_a.json"]
    with pytest.raises(InputError, match=rf"^SOURCE not found: {absent}$"):
        add([str(source), absent], str(tmp_path / "h"), slim=True, ahead=ahead)


def test_slimming_decodes_a_raw_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[int] = []
    real = strict_json.decode_json

    def counted(data: bytes) -> object:
        decoded.append(len(data))
        return real(data)

    monkeypatch.setattr("trendgate.history.slim.decode_json", counted)
    source = write_doc(tmp_path / "tonight", "0001_a.json", result_doc("acme/a", "0001", T0, [0.5]))
    [got] = read_ahead([str(source)], slim=True).values()
    assert isinstance(got, bytes)
    assert decoded == [os.path.getsize(source)]

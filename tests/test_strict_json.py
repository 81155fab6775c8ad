"""Strict JSON: what json.loads accepts but a result file must not contain."""

from __future__ import annotations

import json

import pytest

from tests.builders import result_doc
from trendgate.files import LoadError
from trendgate.strict_json import decode_json


def reason(data: bytes) -> str:
    with pytest.raises(LoadError) as info:
        decode_json(data)
    return str(info.value)


def test_unparsable_json() -> None:
    assert reason(b'{"model": "m", "tasks": [').startswith("not valid JSON (")


def test_empty_file() -> None:
    assert reason(b"  \n") == "empty file"


def test_invalid_utf8() -> None:
    assert reason(b'{"model": "\xff"}').startswith("not UTF-8 text")


def test_utf8_bom_is_accepted() -> None:
    data = b"\xef\xbb\xbf" + json.dumps(result_doc("m", "0001", 1.0e9, [0.5])).encode()
    assert decode_json(data)["model"] == "m"


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_constants(token: str) -> None:
    text = json.dumps(result_doc("m", "0001", 1.0e9, [0.5])).replace("1000000000.0", token)
    assert reason(text.encode()) == f"non-finite number {token}"


def test_number_overflowing_to_infinity() -> None:
    text = json.dumps(result_doc("m", "0001", 1.0e9, [0.5])).replace('"mean": 0.5', '"mean": 1e400')
    assert reason(text.encode()) == "number out of range (1e400)"


def test_duplicate_keys() -> None:
    text = json.dumps(result_doc("m", "0001", 1.0e9, [0.5]))
    text = text.replace('"model": "m"', '"model": "m", "model": "other"')
    assert reason(text.encode()) == "duplicate key 'model'"


def test_deep_nesting() -> None:
    assert reason(b"[" * 100_000 + b"]" * 100_000) == "JSON nested deeper than the 100-level limit"

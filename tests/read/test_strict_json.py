"""Strict JSON: what json.loads accepts but a result file must not contain."""

from __future__ import annotations

import json

import pytest

from tests.builders import result_doc
from trendgate.read.files import LoadError
from trendgate.read.strict_json import decode_json


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


# Around the edges of the fast parse (numbers left to Python's C parser) and the checked one.
@pytest.mark.parametrize(
    "number",
    [
        "1e99",  # the largest exponent the fast parse takes
        "-1e-400",  # underflows to -0.0: finite
        "9" * 199,  # the longest run of digits it takes
        "9" * 199 + ".5e99",  # the largest value it takes: about 1e298
        "1e308",  # finite, through the checked parse
        "1.7976931348623157e+308",  # the largest float
        "1E0100",  # a padded exponent, out of range
        "9" * 1000,  # the longest integer accepted
    ],
)
def test_numbers_decode_as_json_loads_does_or_are_out_of_range(number: str) -> None:
    data = b'{"x": [' + number.encode() + b', "' + b"1" * 300 + b'"]}'
    fast = b'{"x": [' + number.encode() + b"]}"
    expected = json.loads(data)
    if expected["x"][0] in (float("inf"), float("-inf")):
        assert reason(data).startswith("number out of range (")
        assert reason(fast).startswith("number out of range (")
    else:
        assert decode_json(data) == expected  # digits in a string: the checked parse
        assert decode_json(fast) == json.loads(fast)


def test_integers_over_the_digit_limit_are_out_of_range() -> None:
    assert reason(b"[" + b"9" * 1001 + b"]").startswith("number out of range (999")

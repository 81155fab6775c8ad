"""Strict JSON: what json.loads accepts but a result file must not contain."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import result_doc
from trendgate.read import strict_json
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


def checked(data: bytes) -> object:
    """The checked parse alone (hooks on every object and number): what decode_json must say."""
    try:
        doc = strict_json._DECODER.decode(data.decode("utf-8"))
    except LoadError as exc:
        return ("refused", str(exc))
    except json.JSONDecodeError as exc:
        return ("invalid", exc.msg)
    except RecursionError:
        return ("refused", strict_json._too_deep())
    if strict_json._nesting(doc) > strict_json.MAX_NESTING:
        return ("refused", strict_json._too_deep())
    return ("decoded", doc)


def decoded(data: bytes) -> object:
    try:
        return ("decoded", decode_json(data))
    except LoadError as exc:
        reason = str(exc)
        if reason.startswith("not valid JSON ("):
            return ("invalid", reason.removeprefix("not valid JSON (").rsplit(" at line ", 1)[0])
        return ("refused", reason)


# The plain parse is taken only when a walk proves the checked one would give the same: every
# way a duplicate, a number or the depth could slip past the walk, against the checked parse.
@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 1}',  # the same value twice: a dict of one key either way
        '{"a": "x", "b": {"a": "y"}, "a": "x"}',
        '{"a": [{"k": 1, "k": 2}]}',
        '{"a": 1, "b": "a\\"", "a": 2}',  # a backslash: the checked parse
        '{"a" : 1 , "a" :2}',
        '{"a": "\\u0022", "b": "\\""}',
        "[1e308, 1e308]",  # finite numbers whose sum is not
        "[1e308, -1e308, 1e400]",
        "[NaN]",
        '{"x": -Infinity}',
        '["a", "b", 0.5, -0.0, 1, -1, true, null]',
        '"just a string"',
        "12",
        "-" + "9" * 999,  # the longest negative integer accepted
        "-" + "9" * 1000,
        "-1" + "0" * 999,  # 1,001 characters: one too many
        "1" + "0" * 999,
        "9" * 1000,
        "9" * 1001,
        "9" * 5000,  # past Python's own limit on 3.11 and later
        "[" * 100 + "]" * 100,
        "[" * 101 + "]" * 101,
        "[" * 100 + "{}" + "]" * 100,
        '{"a": [], "b": {}, "c": [[]]}',
        '{"a": 1,}',
        '{"a": 1e400, ',  # out of range before it is cut short: the checked parse's order
        '{"a": 1, "a": 2, "b": NaN}',
        '{"\u00e9": "\u00e9", "\u00e9": 1}',
    ],
)
def test_the_plain_parse_answers_as_the_checked_one(text: str) -> None:
    data = text.encode()
    assert decoded(data) == checked(data)


class Pairs(list[tuple[str, object]]):
    """An object as its text lists it: a key may come twice."""


def dump(node: object) -> str:
    if isinstance(node, Pairs):
        return "{" + ", ".join(f"{dump(k)}: {dump(v)}" for k, v in node) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(dump(item) for item in node) + "]"
    return json.dumps(node, ensure_ascii=False)


KEYS = st.sampled_from(["a", "b", "\u00e9", 'q"', ""])
NODES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=4) | st.lists(st.tuples(KEYS, inner), max_size=4).map(Pairs)
    ),
    max_leaves=25,
)


@given(NODES)
@settings(max_examples=400)
def test_any_document_decodes_as_the_checked_parse(node: object) -> None:
    """Keys from five (repeats are common), NaN and infinities among the floats."""
    data = dump(node).encode()
    assert decoded(data) == checked(data)

"""Decode strict JSON: UTF-8, finite numbers, no duplicate keys, bounded nesting."""

from __future__ import annotations

import json
import math
from typing import Any

from trendgate.read.files import LoadError

# A result file is 7 levels deep. The limit is far below the point where Python's parser
# gives up (which differs between versions), so every version gives the same answer.
MAX_NESTING = 100

# Far more digits than any float holds, and below the length at which Python's own int()
# refuses with an error of its own.
MAX_NUMBER_DIGITS = 1000


def decode_json(data: bytes) -> Any:
    """Decode strict JSON: UTF-8, finite numbers, no duplicate keys, bounded nesting."""
    if not data.strip():
        raise LoadError("empty file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"not UTF-8 text (byte {exc.start})") from None
    try:
        # json.loads would build a decoder (and its scanner) for every file; it also words
        # a second byte-order mark its own way, which the shared decoder would not.
        doc = json.loads(text) if text.startswith("\ufeff") else _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise LoadError(f"not valid JSON ({exc.msg} at {where})") from None
    except RecursionError:
        raise LoadError(_too_deep()) from None
    if _nesting(doc) > MAX_NESTING:
        raise LoadError(_too_deep())
    return doc


def _too_deep() -> str:
    return f"JSON nested deeper than the {MAX_NESTING}-level limit"


_CONTAINERS = frozenset((dict, list))


def _nesting(doc: Any) -> int:
    """How many arrays and objects deep `doc` goes, level by level, without recursion."""
    depth = 0
    # Comprehensions over whole levels: five times faster than a stack of (value, depth).
    level = [doc] if type(doc) in _CONTAINERS else []
    while level:
        depth += 1
        level = [
            item
            for value in level
            for item in (value.values() if type(value) is dict else value)
            if type(item) in _CONTAINERS
        ]
    return depth


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                # Two values for one key mean two readers may see two different runs.
                raise LoadError(f"duplicate key {_quote(key)}")
            seen.add(key)
    return obj


def _reject_constant(name: str) -> float:
    raise LoadError(f"non-finite number {name}")


def _bounded_int(text: str) -> int:
    # Python refuses to convert very long digit strings with a ValueError of its own.
    if len(text) > MAX_NUMBER_DIGITS:
        raise LoadError(f"number out of range ({clip(text)})")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise LoadError(f"number out of range ({clip(text)})")
    return value


_DECODER = json.JSONDecoder(
    object_pairs_hook=_unique_keys,
    parse_constant=_reject_constant,
    parse_float=_finite_float,
    parse_int=_bounded_int,
)


def _quote(text: str) -> str:
    return repr(clip(text))


def clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

"""Place: put each result file in its series from its head (model, run id, time), unparsed."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trendgate.discover import file_path
from trendgate.files import LoadError, caught, open_regular, read_bytes
from trendgate.pinchbench import MAX_TIMESTAMP, parse_run

# How much of a file's start and end read_head looks at: the head of a PinchBench file is
# under 400 bytes, and a partial file's "in_progress" sits in its last 100.
HEAD_BYTES = 4096

TAIL_BYTES = 1024

# The first members of a result file exactly as PinchBench's json.dumps(indent=2) writes
# them, token by token, up to the opening of a non-empty `tasks` list.
_STRING = rb'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"'

_NUMBER = rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"

_HEAD = re.compile(
    rb'\{\n  "model": (' + _STRING + rb"),\n"
    rb'  "benchmark_version": ' + _STRING + rb",\n"
    rb'  "run_id": (' + _STRING + rb"),\n"
    rb'  "timestamp": (' + _NUMBER + rb"),\n"
    rb'  "suite": ' + _STRING + rb",\n"
    rb'  "runs_per_task": ' + _NUMBER + rb",\n"
    rb'  "tasks": \[\n    \{\n'
)


@dataclass(frozen=True)
class RunHead:
    """Where a run belongs in its series: enough to order it, not to score it."""

    path: str
    model: str
    run_id: str
    timestamp: float


def place_runs(root: Path, names: Sequence[str]) -> list[RunHead | LoadError]:
    """Place many files (see place_run): each one's RunHead, or why it is unusable."""
    return [caught(place_run, root, name) for name in names]


def place_run(root: Path, name: str) -> RunHead:
    """Place a file from its head when PinchBench wrote it, else from a full parse.

    Raises LoadError, with the full parse's reason, for a file that is not a usable run.
    """
    head = read_head(root, name)
    if head is not None:
        return head
    run = parse_run(name, read_bytes(file_path(root, name)))
    return RunHead(run.path, run.model, run.run_id, run.timestamp)


def read_head(root: Path, name: str) -> RunHead | None:
    """Read a run's place from its first and last bytes; None when anything is unusual.

    Only a file laid out exactly as PinchBench writes it qualifies: its first members
    (model, benchmark_version, run_id, timestamp, suite, runs_per_task, then a non-empty
    tasks list) in that order and indentation, and an end that closes the top-level object
    with no `in_progress` near it. The body in between is not read: a file damaged only
    there is found when it is parsed in full, which every file in a window is.
    """
    try:
        fd, size = open_regular(file_path(root, name))
    except LoadError:  # the full parse words the reason
        return None
    try:
        if hasattr(os, "posix_fadvise"):  # else the kernel reads ahead 12 KiB more per file
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
        start = os.pread(fd, HEAD_BYTES, 0)
        end = (
            start[-TAIL_BYTES:]
            if size <= HEAD_BYTES
            else os.pread(fd, TAIL_BYTES, size - TAIL_BYTES)
        )
    except OSError:
        return None
    finally:
        os.close(fd)
    match = _HEAD.match(start)
    if match is None or b'"in_progress"' in end or not end.rstrip(b" \t\r\n").endswith(b"\n}"):
        return None
    try:
        model, run_id = _json_string(match[1]), _json_string(match[2])
    except ValueError:  # a bad escape or UTF-8 sequence: the full parse words the reason
        return None
    timestamp = float(match[3])  # what json gives, as a float; an int too big becomes inf
    if not model.strip() or not 0 < timestamp < MAX_TIMESTAMP:
        return None
    return RunHead(name, model, run_id, timestamp)


def _json_string(token: bytes) -> str:
    """Decode a JSON string token as json.loads would (the common case without escapes fast)."""
    if b"\\" in token:
        return str(json.loads(token))
    return token[1:-1].decode("utf-8")

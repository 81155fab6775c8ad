"""Place: put each result file in its series from its head (model, run id, time), unparsed."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from trendgate.model import Run, RunHead
from trendgate.read.discover import file_path
from trendgate.read.files import LoadError, caught, open_regular, read_bytes
from trendgate.read.pinchbench import MAX_TIMESTAMP, parse_run

# How much of a file's start and end read_head looks at: the head of a PinchBench file is
# under 400 bytes, and a partial file's "in_progress" sits in its last 100.
HEAD_BYTES = 4096

TAIL_BYTES = 1024

_FADVISE = getattr(os, "posix_fadvise", None)  # not on macOS

# The first members of a result file exactly as PinchBench's json.dumps(indent=2) writes
# them, token by token, up to the opening of a non-empty `tasks` list. A string is runs of
# plain characters between escapes, which matches each string one way only; one
# alternation per character took 2.3 times the instructions to match a head.
_STRING = rb'"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"'

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


Identity = tuple[str, str, float]


def identity(run: Run | RunHead) -> Identity:
    """What makes two files the same run: model as written, run id (or ""), exact timestamp."""
    return (run.model, run.run_id, run.timestamp)


@dataclass(frozen=True)
class Copies:
    """Several files of one run: the one counted, the others, and whether all read alike."""

    kept: str
    others: tuple[str, ...]
    identical: bool
    tasks: int  # the kept copy's task count (named when the copies differ)

    @property
    def message(self) -> str:
        """The warning, naming every copy."""
        others = ", ".join(self.others)
        if self.identical:
            return f"identical copies {self.kept}, {others} of one run counted once"
        return (
            f"copies of one run (same model, run id and timestamp) differ: {self.kept} "
            f"({self.tasks} tasks) counted, {others} set aside (the copy with the most tasks, "
            "then the smallest file name, counts)"
        )


def reads_as(root: Path, name: str, run: Run) -> bool:
    """Whether the file `name` in `root` reads as `run` does, whatever its bytes."""
    try:
        return _alike(parse_run(name, read_bytes(file_path(root, name))), run)
    except LoadError:
        return False


def _alike(copy: Run, run: Run) -> bool:
    # The same run as the gate reads it, wherever it came from: a slim copy (history/slim.py)
    # is one with its raw file.
    return replace(copy, path=run.path, source=run.source) == run


def one_run_each(
    root: Path, heads: Sequence[RunHead]
) -> tuple[list[RunHead], list[Copies], list[tuple[str, LoadError]]]:
    """Keep one file per run identity, so that a copy under a second name is not counted twice.

    Only files that share an identity are read, and in full, as a window would read them:
    a copy that is not a usable run is given back with its error. Of the others, the one
    with the most tasks counts, then the one with the smallest name.
    """
    by_identity: dict[Identity, list[RunHead]] = {}
    for head in heads:
        by_identity.setdefault(identity(head), []).append(head)
    kept: list[RunHead] = []
    copies: list[Copies] = []
    failed: list[tuple[str, LoadError]] = []
    for group in by_identity.values():
        if len(group) == 1:
            kept.append(group[0])
            continue
        usable: list[tuple[int, str, Run, RunHead]] = []
        for head in group:
            try:
                run = parse_run(head.path, read_bytes(file_path(root, head.path)))
                usable.append((-run.task_count, head.path, run, head))
            except LoadError as exc:
                failed.append((head.path, exc))
        if not usable:
            continue
        (minus_tasks, _, run, best), *others = sorted(usable, key=lambda copy: copy[:2])
        kept.append(best)
        if others:
            identical = all(_alike(other[2], run) for other in others)
            names = tuple(sorted(other[1] for other in others))
            copies.append(Copies(best.path, names, identical, -minus_tasks))
    return kept, copies, failed


def place_runs(root: Path, names: Sequence[str]) -> list[RunHead | LoadError]:
    """Place many files (see place_run): each one's RunHead, or why it is unusable."""
    return [caught(place_run, root, name) for name in names]


def place_run(root: Path, name: str) -> RunHead:
    """Place a file from its head when PinchBench wrote it, else from a full parse; a file
    vouched for (vouch) and unchanged since, from the head its writer read in its bytes.

    Raises LoadError, with the full parse's reason, for a file that is not a usable run.
    """
    path = file_path(root, name)
    head = _vouched_head(path, name) or _head_at(path, name)
    if head is not None:
        return head
    run = parse_run(name, read_bytes(path))
    return RunHead(run.path, run.model, run.run_id, run.timestamp)


def read_head(root: Path, name: str) -> RunHead | None:
    """Read a run's place from its first and last bytes; None when anything is unusual.

    Only a file laid out exactly as PinchBench writes it qualifies: its first members
    (model, benchmark_version, run_id, timestamp, suite, runs_per_task, then a non-empty
    tasks list) in that order and indentation, and an end that closes the top-level object
    with no `in_progress` near it. The body in between is not read: a file damaged only
    there is found when it is parsed in full, which every file in a window is.
    """
    return _head_at(file_path(root, name), name)


def _head_at(path: bytes, name: str) -> RunHead | None:
    try:
        fd, size = open_regular(path)
    except LoadError:  # the full parse words the reason
        return None
    try:
        if _FADVISE:  # else the kernel reads ahead 12 KiB more per file
            _FADVISE(fd, 0, 0, os.POSIX_FADV_RANDOM)
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
    return head_of(name, start, end)


def head_of(name: str, start: bytes, end: bytes) -> RunHead | None:
    """read_head on bytes in hand: a file's first HEAD_BYTES and last TAIL_BYTES bytes."""
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


# Heads of files whose bytes the caller wrote itself (the branch store writes a year's 7,300
# files, which `add` and the analysis would each read back), by device and inode, with the
# size and times the file had then: a file placed unchanged since is a stat, not a read. A
# file replaced or changed since has another inode, size or ctime (the kernel sets ctime on
# every change, and no call sets it back), so it is read as any other. The one change missed:
# a rewrite to the same size within the clock tick of the write (a few ms), the same trust
# read_head puts in a body it never reads; a file in a window is parsed in full either way.
_VOUCHED: dict[tuple[int, int], tuple[tuple[int, int, int], RunHead]] = {}


def vouch(status: os.stat_result, head: RunHead) -> None:
    """Let place_run take `head` for the file with this status while it keeps it."""
    _VOUCHED[status.st_dev, status.st_ino] = (_times(status), head)


def forget(statuses: Iterable[os.stat_result]) -> None:
    """Stop taking the heads vouched for these files (the caller is done with them)."""
    for status in statuses:
        _VOUCHED.pop((status.st_dev, status.st_ino), None)


def _vouched_head(path: bytes, name: str) -> RunHead | None:
    if not _VOUCHED:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    known = _VOUCHED.get((status.st_dev, status.st_ino))
    if known is None or known[0] != _times(status):
        return None
    head = known[1]
    return RunHead(name, head.model, head.run_id, head.timestamp)


def _times(status: os.stat_result) -> tuple[int, int, int]:
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns)

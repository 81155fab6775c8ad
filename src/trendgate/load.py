"""Read one PinchBench result file into a scored run, or say precisely why it cannot be used."""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from trendgate.discover import file_path

T = TypeVar("T")

# A PinchBench v2 file is about 250 KB; anything this large is not one, and reading it
# whole would let a stray file exhaust the runner's memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
# How much of a file's start and end read_head looks at: the head of a PinchBench file is
# under 400 bytes, and a partial file's "in_progress" sits in its last 100.
HEAD_BYTES = 4096
TAIL_BYTES = 1024
MAX_TIMESTAMP = 253402300800  # the year 10000: a later (or pre-1970) time cannot be a run's

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
# A result file is 7 levels deep. The limit is far below the point where Python's parser
# gives up (which differs between versions), so every version gives the same answer.
MAX_NESTING = 100
# Far more digits than any float holds, and below the length at which Python's own int()
# refuses with an error of its own.
MAX_NUMBER_DIGITS = 1000


class LoadError(Exception):
    """A result file that cannot be used; the message is the reason, without the path."""


@dataclass(frozen=True)
class TaskResult:
    """One task's score in a run (averaged over its repeats)."""

    task_id: str
    score: float
    category: str | None
    failed: int  # entries that timed out or errored
    entries: int


@dataclass(frozen=True)
class Run:
    """One benchmark run of one model, as read from its result file."""

    path: str
    model: str
    run_id: str
    timestamp: float
    score_pct: float
    tasks: tuple[TaskResult, ...]
    benchmark_version: str | None
    runs_per_task: int | None
    cost_usd: float | None
    notes: tuple[str, ...]
    tokens: int | None = None  # efficiency.total_tokens

    @property
    def task_count(self) -> int:
        """Number of distinct tasks scored."""
        return len(self.tasks)


@dataclass(frozen=True)
class RunHead:
    """Where a run belongs in its series: enough to order it, not to score it."""

    path: str
    model: str
    run_id: str
    timestamp: float


def load_run(root: Path, name: str) -> Run:
    """Read `root/name` and score it; raise LoadError with the reason when it is unusable."""
    return parse_run(name, read_bytes(file_path(root, name)))


def load_runs(root: Path, names: Sequence[str]) -> list[Run | LoadError]:
    """Load many files: each one's Run, or the LoadError that says why it is unusable."""
    return [_caught(load_run, root, name) for name in names]


def _caught(read: Callable[[Path, str], T], root: Path, name: str) -> T | LoadError:
    """What `read` gives for the file, or the LoadError that says why it cannot."""
    try:
        return read(root, name)
    except LoadError as exc:
        return exc.with_traceback(None)  # its frames would keep the file's bytes alive


def place_runs(root: Path, names: Sequence[str]) -> list[RunHead | LoadError]:
    """Place many files (see place_run): each one's RunHead, or why it is unusable."""
    return [_caught(place_run, root, name) for name in names]


def place_run(root: Path, name: str) -> RunHead:
    """Place a file from its head when PinchBench wrote it, else from a full parse.

    Raises LoadError, with the full parse's reason, for a file that is not a usable run.
    """
    head = read_head(root, name)
    if head is not None:
        return head
    run = load_run(root, name)
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
        fd, size = _open_regular(file_path(root, name))
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


def read_bytes(path: Path | bytes) -> bytes:
    """Read a regular file whole, refusing anything larger than MAX_FILE_BYTES.

    See _open_regular for why a FIFO or device cannot hang it or feed it endless data.
    """
    fd, _ = _open_regular(path)
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise LoadError(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:  # it grew after the size check
        raise LoadError(_too_large())
    return data


def _open_regular(path: Path | bytes) -> tuple[int, int]:
    """Open a regular file of at most MAX_FILE_BYTES for reading: its descriptor and size.

    It is opened without blocking and checked after opening, so a FIFO or device put in
    place after discovery can neither hang the gate nor feed it endless data.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise LoadError(f"cannot read: {exc.strerror or exc}") from None
    problem = None
    if not stat.S_ISREG(info.st_mode):
        problem = "not a regular file"
    elif info.st_size > MAX_FILE_BYTES:
        problem = _too_large()
    if problem:
        os.close(fd)
        raise LoadError(problem)
    return fd, info.st_size


def _too_large() -> str:
    return f"larger than the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit"


def parse_run(path: str, data: bytes) -> Run:
    """Turn the bytes of a result file into a Run; raise LoadError when they are not one."""
    return _run_from(path, decode_json(data))


def decode_json(data: bytes) -> Any:
    """Decode strict JSON: UTF-8, finite numbers, no duplicate keys, bounded nesting."""
    if not data.strip():
        raise LoadError("empty file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"not UTF-8 text (byte {exc.start})") from None
    try:
        doc = json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_constant=_reject_constant,
            parse_float=_finite_float,
            parse_int=_bounded_int,
        )
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
        raise LoadError(f"number out of range ({_clip(text)})")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise LoadError(f"number out of range ({_clip(text)})")
    return value


def _run_from(path: str, doc: Any) -> Run:
    if not isinstance(doc, dict):
        raise LoadError(f"not a JSON object (top level is {_json_type(doc)})")
    if doc.get("in_progress") is True:
        raise LoadError("partial file (in_progress: true), left by a run that did not finish")
    model = doc.get("model")
    if not isinstance(model, str) or not model.strip():
        raise LoadError("missing or non-string 'model'")
    if "timestamp" not in doc:
        raise LoadError("missing 'timestamp'")
    timestamp = doc["timestamp"]
    if not _is_number(timestamp):
        raise LoadError(f"'timestamp' is {_json_type(timestamp)}, expected Unix seconds")
    if not 0 < timestamp < MAX_TIMESTAMP:
        raise LoadError(f"'timestamp' {timestamp} is not a plausible Unix time")
    run_id = doc.get("run_id", "")
    if not isinstance(run_id, str):
        raise LoadError(f"'run_id' is {_json_type(run_id)}, expected a string")
    tasks = doc.get("tasks")
    if not isinstance(tasks, list) or not tasks:
        raise LoadError("no non-empty 'tasks' list")
    notes: list[str] = []
    if not run_id:
        notes.append("no run_id")
    results = tuple(_task_results(tasks, notes))
    score_pct = sum(t.score for t in results) / len(results) * 100
    if not math.isfinite(score_pct):
        raise LoadError("task scores too large to average")
    return Run(
        path=path,
        model=model,
        run_id=run_id,
        timestamp=float(timestamp),
        score_pct=score_pct,
        tasks=results,
        benchmark_version=_optional_str(doc.get("benchmark_version")),
        runs_per_task=_optional_int(doc.get("runs_per_task")),
        cost_usd=_cost(doc.get("efficiency")),
        notes=tuple(notes),
        tokens=_tokens(doc.get("efficiency")),
    )


def _task_results(entries: list[Any], notes: list[str]) -> Iterable[TaskResult]:
    """Group task entries by task_id (upstream repeats an entry per run) and average them."""
    scores: dict[str, list[float]] = {}
    categories: dict[str, str | None] = {}
    failed: dict[str, int] = {}
    ungraded: list[str] = []
    out_of_range: list[str] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise LoadError(f"tasks[{index}] is {_json_type(entry)}, expected an object")
        task_id = entry.get("task_id")
        if not isinstance(task_id, str) or not task_id:
            raise LoadError(f"tasks[{index}] has no string 'task_id'")
        score = _task_score(index, entry.get("grading"))
        if score is None:
            ungraded.append(task_id)
            score = 0.0
        elif not 0.0 <= score <= 1.0:
            out_of_range.append(f"{task_id}={score:g}")
        scores.setdefault(task_id, []).append(score)
        categories.setdefault(task_id, _category(entry))
        bad = entry.get("status") in ("timeout", "error") or entry.get("timed_out") is True
        failed[task_id] = failed.get(task_id, 0) + int(bad)
    if ungraded:
        notes.append(
            f"{len(ungraded)} task(s) without a usable grade counted as 0: " + _listing(ungraded)
        )
    if out_of_range:
        notes.append("score outside 0..1 kept as is: " + _listing(out_of_range))
    for task_id, values in scores.items():
        yield TaskResult(
            task_id, sum(values) / len(values), categories[task_id], failed[task_id], len(values)
        )


def _task_score(index: int, grading: Any) -> float | None:
    """A task's score: grading.mean, or grading.score in February-2026 files; None if absent."""
    if not isinstance(grading, dict):
        return None
    for key in ("mean", "score"):
        if key in grading:
            value = grading[key]
            if not _is_number(value):
                raise LoadError(
                    f"tasks[{index}].grading.{key} is {_json_type(value)}, expected a number"
                )
            return float(value)
    return None


def _category(entry: dict[str, Any]) -> str | None:
    category = entry.get("category")
    if isinstance(category, str) and category:
        return category
    frontmatter = entry.get("frontmatter")
    if isinstance(frontmatter, dict):
        category = frontmatter.get("category")
        if isinstance(category, str) and category:
            return category.lower()
    return None


def _cost(efficiency: Any) -> float | None:
    if isinstance(efficiency, dict) and _is_number(efficiency.get("total_cost_usd")):
        return float(efficiency["total_cost_usd"])
    return None


def _tokens(efficiency: Any) -> int | None:
    if isinstance(efficiency, dict):
        return _optional_int(efficiency.get("total_tokens"))
    return None


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _optional_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number" if _is_number(value) else "an out-of-range number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _listing(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(_clip(item) for item in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _quote(text: str) -> str:
    return repr(_clip(text))


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

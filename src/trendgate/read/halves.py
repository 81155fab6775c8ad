"""Halves: parse a long list of files on two cores, a forked child taking the first half.

The child sends its runs back through a pipe as compact rows (a run's tasks column by column,
equal columns shared), not as dataclasses: pickling 3,000 slim runs as dataclasses cost 2.1 s
to write and 1.9 s to read, as rows 0.2 s and, rebuilt, 0.15 s. Wherever the child cannot be
started or does not deliver (no fork, no process left, killed, a bug), its half is parsed here,
so the outcome is the same list whatever happens to it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any, NoReturn

from trendgate.model import Run, TaskResult
from trendgate.read.files import LoadError

RUN_FIELDS = tuple(f.name for f in fields(Run))
TASK_FIELDS = tuple(f.name for f in fields(TaskResult))

Parse = Callable[[Sequence[str]], list[Run | LoadError]]


def in_halves(parse: Parse, names: Sequence[str]) -> list[Run | LoadError]:
    """`parse(names)`, the first half in a forked child while this process parses the second."""
    # A fork copies only the calling thread: a lock another thread held (the import lock, a
    # stream's) would stay held in the child, and this process would wait for it forever.
    # Threads are made through `threading`; a process that never imported it has none.
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return parse(names)
    half = len(names) // 2
    try:
        readable, writable = os.pipe()
    except OSError:
        return parse(names)
    try:
        child = os.fork()
    except OSError:  # no process left to start, or a sandbox that forbids it
        os.close(readable)
        os.close(writable)
        return parse(names)
    if child == 0:
        _child(parse, names[:half], readable, writable)
    os.close(writable)
    try:
        second = parse(names[half:])
        first = _received(readable, half)
    finally:
        os.close(readable)
        # A caller that ignores SIGCHLD has its children reaped without a wait.
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, 0)
    return (parse(names[:half]) if first is None else first) + second


def _child(parse: Parse, names: Sequence[str], readable: int, writable: int) -> NoReturn:
    """Parse, send the rows, and leave without running the parent's exit handlers."""
    import pickle  # here, not at the top: a short list never pays its import (test_startup)

    try:
        os.close(readable)
        with open(writable, "wb") as out:
            shared: dict[tuple[Any, ...], tuple[Any, ...]] = {}
            rows = [_row(r, shared) for r in parse(names)]
            pickle.dump(rows, out, pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(0)


def _received(readable: int, count: int) -> list[Run | LoadError] | None:
    """The child's runs, or None when it sent nothing whole."""
    import pickle

    try:
        with open(readable, "rb", closefd=False) as source:
            rows = pickle.load(source)
    except (OSError, EOFError, pickle.UnpicklingError):
        return None
    if not isinstance(rows, list) or len(rows) != count:
        return None
    return [_from_row(row) for row in rows]


def _row(outcome: Run | LoadError, shared: dict[tuple[Any, ...], tuple[Any, ...]]) -> Any:
    """A run as a tuple of its fields, its tasks as one shared tuple per field; an error as text."""
    if isinstance(outcome, LoadError):
        return str(outcome)
    values = [getattr(outcome, name) for name in RUN_FIELDS]
    tasks = outcome.tasks
    # Runs of one benchmark list the same task ids and categories: each column is sent once,
    # pickle's memo refers back to it, and the parent's runs share its strings.
    values[RUN_FIELDS.index("tasks")] = tuple(
        shared.setdefault(column, column)
        for column in (tuple([getattr(t, name) for t in tasks]) for name in TASK_FIELDS)
    )
    return tuple(values)


def _from_row(row: Any) -> Run | LoadError:
    if isinstance(row, str):
        return LoadError(row)
    values = dict(zip(RUN_FIELDS, row, strict=True))
    values["tasks"] = tuple(map(TaskResult, *values["tasks"]))
    return Run(**values)

"""Parsing in two processes: the same runs and reasons, in order, whatever the child does."""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from examples.pinchbench import file_text
from tests.builders import result_doc
from tests.read.test_load import each_alone, reasons
from trendgate.model import Run
from trendgate.read import load
from trendgate.read.files import LoadError, caught
from trendgate.read.halves import Parse, in_halves
from trendgate.read.load import load_run, load_runs

MODEL = "openrouter/anthropic/claude-sonnet-4.5"


def history(root: Path, count: int) -> list[str]:
    """Files of every kind the parser meets: broken, noted, sourced, repeated tasks, other sets."""
    names = []
    for i in range(count):
        scores = {f"task_{k}": (i * 7 + k) % 10 / 10 for k in range(3 + i % 4)}
        doc = result_doc(MODEL, f"{i:04d}" if i % 6 else "", 1000.0 + i, scores)
        if i % 5 == 1:
            doc["tasks"].append(dict(doc["tasks"][0], grading={"mean": 0.25}))  # a repeat
        if i % 3 == 0:
            doc["source"] = {"file": f"raw_{i}.json", "bytes": i, "workflow_run_id": str(i)}
        if i % 4 == 2:
            doc["tasks"][1]["grading"] = {}  # ungraded: a note
        text = file_text(doc) if i % 7 != 3 else "{"
        (root / f"{i:03d}.json").write_text(text)
        names.append(f"{i:03d}.json")
    return names


def parser(root: Path) -> Parse:
    """Each file of a part loaded, as load_runs does."""
    return lambda part: [caught(load_run, root, name) for name in part]


def test_two_processes_give_what_each_file_alone_gives(tmp_path: Path) -> None:
    names = history(tmp_path, 41)
    got = in_halves(parser(tmp_path), names)
    assert reasons(got) == each_alone(load_run, tmp_path, names)
    assert sum(isinstance(r, LoadError) for r in got) == 6  # the broken ones, as errors
    assert all(isinstance(r, (Run, LoadError)) for r in got)


def test_a_child_that_fails_leaves_its_half_to_the_parent(tmp_path: Path) -> None:
    names = history(tmp_path, 20)
    parent = os.getpid()

    def parse(part: Sequence[str]) -> list[Run | LoadError]:
        if os.getpid() != parent:
            raise RuntimeError("a bug in the child")  # it exits without sending a thing
        return parser(tmp_path)(part)

    assert reasons(in_halves(parse, names)) == each_alone(load_run, tmp_path, names)


def test_no_fork_parses_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = history(tmp_path, 12)

    def refused() -> int:
        raise OSError("fork refused")

    monkeypatch.setattr(os, "fork", refused)
    assert reasons(in_halves(parser(tmp_path), names)) == each_alone(load_run, tmp_path, names)


def test_a_long_list_loads_in_halves_and_the_collector_comes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = history(tmp_path, 9)
    monkeypatch.setattr(load, "HALVES_FROM", 2)
    assert reasons(load_runs(tmp_path, names)) == each_alone(load_run, tmp_path, names)
    assert gc.isenabled()
    gc.disable()
    try:
        load_runs(tmp_path, names)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_a_caller_ignoring_its_children_still_gets_every_run(tmp_path: Path) -> None:
    names = history(tmp_path, 12)
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        got = in_halves(parser(tmp_path), names)
    finally:
        signal.signal(signal.SIGCHLD, before)
    assert reasons(got) == each_alone(load_run, tmp_path, names)


def test_beside_another_thread_nothing_is_forked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = history(tmp_path, 12)

    def forbidden() -> int:
        raise AssertionError("forked beside a live thread")

    monkeypatch.setattr(os, "fork", forbidden)
    done = threading.Event()
    other = threading.Thread(target=done.wait)
    other.start()
    try:
        got = in_halves(parser(tmp_path), names)
    finally:
        done.set()
        other.join()
    assert reasons(got) == each_alone(load_run, tmp_path, names)

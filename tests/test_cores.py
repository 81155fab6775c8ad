from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from trendgate.cores import can_fork, shared_map

TWO_CORES = len(os.sched_getaffinity(0)) >= 2
PARENT = os.getpid()


def tagged(items: Sequence[int]) -> list[tuple[int, int]]:
    """Each item squared, with the process that did it."""
    return [(item * item, os.getpid()) for item in items]


def note_child(where: Path) -> None:
    """Write the child's pid into where/child, appearing whole or not at all."""
    (where / "pid").write_text(str(os.getpid()))
    (where / "pid").rename(where / "child")


def gone(pid: int) -> bool:
    """True when `pid` is no child of ours any more: reaped, not left a zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_results_in_item_order_with_the_second_half_forked() -> None:
    results = shared_map(tagged, range(10), fork_from=4)
    assert [square for square, _ in results] == [i * i for i in range(10)]
    pids = [pid for _, pid in results]
    assert pids[:5] == [PARENT] * 5
    if TWO_CORES:
        (child,) = set(pids[5:])
        assert child != PARENT
        assert gone(child)
    else:
        assert pids[5:] == [PARENT] * 5


def test_below_fork_from_one_process_does_it_all() -> None:
    assert shared_map(tagged, range(3), fork_from=4) == [(i * i, PARENT) for i in range(3)]
    assert shared_map(tagged, [], fork_from=0) == []


def test_no_fork_while_another_thread_runs() -> None:
    # A forked child would inherit whatever lock that thread holds, and never see it freed.
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not can_fork()
        assert shared_map(tagged, range(10), fork_from=2) == [(i * i, PARENT) for i in range(10)]
    finally:
        release.set()
        thread.join()


def test_no_fork_when_held_to_one_core() -> None:
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        assert not can_fork()
    finally:
        os.sched_setaffinity(0, allowed)


@pytest.mark.parametrize("failure", ["exit", "raise", "signal", "short"])
def test_a_failed_child_leaves_its_half_to_the_parent(tmp_path: Path, failure: str) -> None:
    def work(items: Sequence[int]) -> list[tuple[int, int]]:
        if os.getpid() != PARENT:
            note_child(tmp_path)
            if failure == "exit":
                os._exit(3)
            if failure == "raise":
                raise MemoryError
            if failure == "signal":
                os.kill(os.getpid(), signal.SIGKILL)
            return tagged(items[1:])  # one result too few: not trusted
        return tagged(items)

    assert shared_map(work, range(10), fork_from=2) == [(i * i, PARENT) for i in range(10)]
    if TWO_CORES:
        assert gone(int((tmp_path / "child").read_text()))


def test_when_the_parents_half_raises_the_child_is_stopped(tmp_path: Path) -> None:
    def work(items: Sequence[int]) -> list[int]:
        if os.getpid() != PARENT:
            note_child(tmp_path)
            signal.pause()  # would wait forever were it not killed
        else:
            deadline = time.monotonic() + 10  # a child that never starts fails the test below
            while TWO_CORES and not (tmp_path / "child").exists() and time.monotonic() < deadline:
                time.sleep(0.001)
            raise KeyboardInterrupt
        return list(items)

    with pytest.raises(KeyboardInterrupt):
        shared_map(work, range(10), fork_from=2)
    if TWO_CORES:
        assert gone(int((tmp_path / "child").read_text()))


def test_a_caller_that_ignores_sigchld_still_gets_every_result() -> None:
    # The system then reaps the child itself, so its exit status is never seen: its half is
    # not trusted and is done again here.
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        results = shared_map(tagged, range(10), fork_from=2)
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert results == [(i * i, PARENT) for i in range(10)]


def interrupted_in_the_parent(items: Sequence[int]) -> list[int]:
    if os.getpid() == PARENT:
        raise KeyboardInterrupt
    return list(items)


def test_no_descriptor_is_left_open() -> None:
    before = sorted(os.listdir("/proc/self/fd"))
    shared_map(tagged, range(10), fork_from=2)
    with pytest.raises(KeyboardInterrupt):
        shared_map(interrupted_in_the_parent, range(10), fork_from=2)
    assert sorted(os.listdir("/proc/self/fd")) == before


def blocked_signals() -> set[int]:
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, []))


def test_a_failed_fork_leaves_all_the_work_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_process_to_spare() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    before = (sorted(os.listdir("/proc/self/fd")), blocked_signals())
    monkeypatch.setattr(os, "fork", no_process_to_spare)
    assert shared_map(tagged, range(10), fork_from=2) == [(i * i, PARENT) for i in range(10)]
    assert (sorted(os.listdir("/proc/self/fd")), blocked_signals()) == before


class Unreadable(Exception):
    """Pickles, but does not unpickle: its constructor wants more than its args."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path)


def test_a_result_that_does_not_unpickle_is_redone_here() -> None:
    def work(items: Sequence[int]) -> list[object]:
        if os.getpid() != PARENT:
            return [Unreadable("x", "y") for _ in items]
        return list(items)

    assert shared_map(work, range(10), fork_from=2) == list(range(10))


def test_an_interrupt_right_after_the_fork_stays_in_the_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C at the worst moment: before the child is inside the code that owns it. Were it
    # raised there, the child would go on running the caller's code (here, this test).
    real_fork = os.fork

    def fork_then_interrupt() -> int:
        pid = real_fork()
        if pid == 0:
            os.kill(os.getpid(), signal.SIGINT)
        return pid

    monkeypatch.setattr(os, "fork", fork_then_interrupt)
    blocked = blocked_signals()
    try:
        results = shared_map(tagged, range(10), fork_from=2)
    finally:
        if os.getpid() != PARENT:  # the child escaped: say so, and go no further
            (tmp_path / "escaped").touch()
            os._exit(0)
    assert not (tmp_path / "escaped").exists()
    assert results == [(i * i, PARENT) for i in range(10)]  # the interrupted half, redone
    assert blocked_signals() == blocked

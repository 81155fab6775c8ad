"""Share a batch of independent work with a forked second process when a second core is free."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def shared_map(
    work: Callable[[Sequence[T]], list[R]], items: Sequence[T], fork_from: int
) -> list[R]:
    """work(items), a forked child doing the second half when there are fork_from items or more.

    The child's results come back pickled through a pipe, so they must be picklable. Should
    the fork or the child fail in any way, its half is done here: the outcome never depends
    on the fork.
    """
    if len(items) < fork_from or not can_fork():
        return work(items)
    import pickle  # only here: a run that never forks need not import it

    cut = len(items) // 2
    read_end, write_end = os.pipe()
    # Until each process is inside the try that owns it, a signal whose Python handler raises
    # (Ctrl-C) would send the child back into the caller's code or leave the child unwaited.
    handled = {s for s in signal.valid_signals() if callable(signal.getsignal(s))}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, handled)
    try:
        pid = os.fork()
    except OSError:  # no process to spare (a pids limit, no memory): do it all here
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(read_end)
        os.close(write_end)
        return work(items)
    if pid == 0:
        _child(lambda: pickle.dumps(work(items[cut:]), pickle.HIGHEST_PROTOCOL), write_end, mask)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        finished = False
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            mine = work(items[:cut])
            data = pipe.read()
            finished = True
        finally:
            succeeded = _wait(pid, stop=not finished)  # on an interrupt, leave no child behind
    theirs: list[R] | None = None
    if succeeded:
        try:
            theirs = pickle.loads(data)  # our own child's bytes, nobody else's
        except Exception:  # a result that pickles but does not unpickle: do it here
            theirs = None
    if theirs is None or len(theirs) != len(items) - cut:
        theirs = work(items[cut:])
    return mine + theirs


def can_fork() -> bool:
    """True where a forked child is safe and has a core of its own.

    Linux only (elsewhere system libraries may not survive a fork without exec), with two
    cores allowed to this process, and with no other thread, ours or a library's, that could
    hold a lock the child would then wait for forever.
    """
    if sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2:
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc to count threads in: assume the worst
        return False


def _child(results: Callable[[], bytes], write_end: int, mask: set[int]) -> NoReturn:
    status = 1
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        data = results()
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        # Never return into the caller's code, flush its buffers or run its exit handlers.
        os._exit(status)


def _wait(pid: int, stop: bool) -> bool:
    """Wait for the child (killing it first if `stop`); True when it exited with status 0."""
    try:
        if stop and os.waitpid(pid, os.WNOHANG)[0] == 0:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:  # reaped by the system: the caller ignores SIGCHLD
        return False
    return os.waitstatus_to_exitcode(status) == 0

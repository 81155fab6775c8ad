"""Run one command and print its wall time, CPU time, peak RSS and exit code.

Usage: python -S bench/launch.py ONE_CORE ARGV...   (ONE_CORE: 1 holds it to one core)

bench/run.py starts every measured command through this small process because a child's
peak RSS counts the pages of the process it was forked from until it execs, and the
benchmark itself, holding every earlier sample, is larger than the floor's whole run.
"""

import os
import sys
import time


def main(one_core: bool, argv: list[str]) -> None:
    """Fork, exec `argv` with its output discarded, wait, report on standard output."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        if one_core:
            os.sched_setaffinity(0, {0})
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.execv(argv[0], argv)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime  # with the children it waited for
    print(wall, cpu, usage.ru_maxrss, os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main(sys.argv[1] == "1", sys.argv[2:])

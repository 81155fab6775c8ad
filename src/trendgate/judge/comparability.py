"""Comparability: which runs of a series can be compared with its latest one."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from trendgate.model import Run
from trendgate.read.pinchbench import describe_run


def comparability_key(run: Run) -> tuple[str | None, frozenset[str], int | None]:
    """What must stay the same for two runs' scores to be comparable."""
    return (run.benchmark_version, run.task_ids, run.runs_per_task)


def comparable_runs(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """The latest runs that are all comparable with the very latest one."""
    if not runs:
        return runs
    latest = comparability_key(runs[-1])
    start = len(runs)
    while start > 0 and comparability_key(runs[start - 1]) == latest:
        start -= 1
    return runs[start:]


def comparable_starts(runs: Sequence[Run]) -> list[int]:
    """For each prefix runs[:k + 1], where its runs comparable with its latest begin.

    Each run's task set is compared with its predecessor's once: a replay of a year compared
    every run with every earlier one.
    """
    keys = [comparability_key(r) for r in runs]
    starts: list[int] = []
    start = 0
    for k in range(len(runs)):
        if k and keys[k] != keys[k - 1]:
            start = k
        starts.append(start)
    return starts


def comparability_breaks(window: Sequence[Run]) -> list[str]:
    """One warning per change of benchmark version, task set or repeats inside the window."""
    warnings: list[str] = []
    for before, run in pairwise(window):
        if comparability_key(before) == comparability_key(run):
            continue  # naming the run formats its time: 10,000 models paid 0.1 s for nothing
        where = f"at run {describe_run(run)}"
        if before.benchmark_version != run.benchmark_version:
            warnings.append(
                f"benchmark_version changed from {_shown(before.benchmark_version)} "
                f"to {_shown(run.benchmark_version)} {where}: scores may not be comparable"
            )
        old, new = before.task_ids, run.task_ids
        if old != new:
            warnings.append(
                f"task set changed {where}: {len(old)} -> {len(new)} tasks "
                f"({len(new - old)} added, {len(old - new)} removed): scores may not be comparable"
            )
        if before.runs_per_task != run.runs_per_task:
            warnings.append(
                f"runs_per_task changed from {_shown(before.runs_per_task)} "
                f"to {_shown(run.runs_per_task)} {where}: scores may not be comparable"
            )
    return warnings


def _shown(value: str | int | None) -> str:
    return "none" if value is None else f"'{value}'"

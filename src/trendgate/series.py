"""Group runs into one time-ordered series per model."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trendgate.errors import InputError
from trendgate.load import Run


@dataclass(frozen=True)
class Series:
    """All runs of one model, oldest first."""

    model: str
    runs: tuple[Run, ...]


def run_order(run: Run) -> tuple[float, str, str]:
    """Sort key: time, then run id, then file name, so ties never depend on listing order."""
    return (run.timestamp, run.run_id, run.path)


def build_series(runs: Iterable[Run], models: Sequence[str] = ()) -> tuple[Series, ...]:
    """Group runs by their exact `model` string, keep only `models` when given, sort by name."""
    grouped: dict[str, list[Run]] = {}
    for run in runs:
        grouped.setdefault(run.model, []).append(run)
    if models:
        missing = [m for m in dict.fromkeys(models) if m not in grouped]
        if missing:
            raise InputError("no runs for model " + ", ".join(repr(m) for m in missing))
        grouped = {m: grouped[m] for m in models}
    return tuple(
        Series(model, tuple(sorted(grouped[model], key=run_order))) for model in sorted(grouped)
    )

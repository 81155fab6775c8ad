"""Group runs into one time-ordered series per model, applying aliases, ignores and accepts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trendgate.errors import InputError
from trendgate.load import Run
from trendgate.rules import Accept, ModelRule, Rules


@dataclass(frozen=True)
class Accepted:
    """An accepted decline that restarted a series, and how many earlier runs it set aside."""

    accept: Accept
    runs_set_aside: int


@dataclass(frozen=True)
class Series:
    """All runs of one model, oldest first, and the config rules that shaped it."""

    model: str
    runs: tuple[Run, ...]
    aliases: tuple[str, ...] = ()  # other model names whose runs joined this series
    rules: tuple[ModelRule, ...] = ()  # the `models:` entries whose settings apply
    accepted: Accepted | None = None
    ignored_by: str | None = None  # the `models:` pattern that ignores it


def run_order(run: Run) -> tuple[float, str, str]:
    """Sort key: time, then run id, then file name, so ties never depend on listing order."""
    return (run.timestamp, run.run_id, run.path)


def build_series(
    runs: Iterable[Run], models: Sequence[str] = (), rules: Rules | None = None
) -> tuple[Series, ...]:
    """Group runs by series name (the model, or its alias), keep only `models` when given."""
    rules = rules or Rules()
    grouped: dict[str, list[Run]] = {}
    for run in runs:
        grouped.setdefault(rules.series_name(run.model), []).append(run)
    if models:
        missing = [m for m in dict.fromkeys(models) if m not in grouped]
        if missing:
            raise InputError("no runs for model " + ", ".join(repr(m) for m in missing))
        grouped = {m: grouped[m] for m in models}
    return tuple(
        _series(name, sorted(grouped[name], key=run_order), rules) for name in sorted(grouped)
    )


def _series(name: str, runs: list[Run], rules: Rules) -> Series:
    aliases = tuple(sorted({r.model for r in runs} - {name}))
    ignored_by = rules.ignored_by(name)
    if ignored_by:
        return Series(name, tuple(runs), aliases, ignored_by=ignored_by)
    accepted = _restart(name, runs, rules.accept)
    kept = runs[accepted.runs_set_aside :] if accepted else runs
    return Series(name, tuple(kept), aliases, rules.applied(name), accepted)


def _restart(name: str, runs: list[Run], accepts: Sequence[Accept]) -> Accepted | None:
    """The accepted decline that sets aside the most runs, or None when none names the series."""
    best: Accepted | None = None
    for accept in accepts:
        if not accept.matches(name):
            continue
        if accept.after_run is not None:
            ids = [i for i, r in enumerate(runs) if r.run_id == accept.after_run]
            if not ids:
                raise InputError(
                    f"{accept.origin}: accept: model {name!r} has no run {accept.after_run!r} "
                    "in the results directory (remove the entry once its run is gone)"
                )
            cut = ids[-1] + 1  # run ids repeat across machines: restart after the latest
        else:
            assert accept.after is not None
            cut = sum(1 for r in runs if r.timestamp <= accept.after)
        if best is None or cut > best.runs_set_aside:
            best = Accepted(accept, cut)
    return best

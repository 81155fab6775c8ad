"""Group: one time-ordered series per model, applying aliases, ignores and accepts."""

from __future__ import annotations

import math
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from trendgate.errors import InputError
from trendgate.escape import yaml_quoted
from trendgate.model import Accepted, RunHead, run_order
from trendgate.rules import Accept, ModelRule, Rules, after_covering, settings_with
from trendgate.settings import Settings
from trendgate.words import iso_utc, utc


@dataclass(frozen=True)
class Grouping:
    """A series before its runs are loaded: the heads that place them, oldest first, and rules."""

    model: str
    runs: tuple[RunHead, ...]
    aliases: tuple[str, ...] = ()
    rules: tuple[ModelRule, ...] = ()
    accepted: Accepted | None = None
    ignored_by: str | None = None
    settings: Settings = field(default_factory=Settings)  # as its rules apply them


def group_series(
    runs: Iterable[RunHead],
    models: Sequence[str] = (),
    rules: Rules | None = None,
    settings: Settings | None = None,
) -> tuple[Grouping, ...]:
    """Group runs by series name (the model, or its alias), keep only `models` when given.

    A name in `models` without runs is left to window_series, which knows which runs load.
    """
    rules = rules or Rules()
    base = settings or Settings()
    for model in models:
        if model in rules.aliases:
            series = rules.aliases[model]
            raise InputError(
                f"model {model!r} is an alias of the series {series!r} "
                f"({rules.alias_origins.get(model, rules.source)}): name the series instead, "
                f"--model {shlex.quote(series)}"
            )
    grouped: dict[str, list[RunHead]] = {}
    for run in runs:
        grouped.setdefault(rules.series_name(run.model), []).append(run)
    if models:
        grouped = {m: grouped[m] for m in models if m in grouped}
    return tuple(
        _series(name, sorted(grouped[name], key=run_order), rules, base) for name in sorted(grouped)
    )


def _series(name: str, runs: list[RunHead], rules: Rules, base: Settings) -> Grouping:
    aliases = tuple(sorted({r.model for r in runs} - {name}))
    ignored_by = rules.ignored_by(name)
    if ignored_by:
        return Grouping(name, tuple(runs), aliases, ignored_by=ignored_by, settings=base)
    accepted = _restart(name, runs, rules.accept)
    kept = runs[accepted.runs_set_aside :] if accepted else runs
    applied = rules.applied(name)
    own = settings_with(applied, base)
    return Grouping(name, tuple(kept), aliases, applied, accepted, settings=own)


def _restart(name: str, runs: list[RunHead], accepts: Sequence[Accept]) -> Accepted | None:
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
            if len(ids) > 1:
                raise _ambiguous(accept, name, [runs[i] for i in ids])
            cut = ids[0] + 1
        else:
            assert accept.after is not None
            newest = runs[-1].timestamp
            # after_covering's entry, rounded up to the second, is the latest that makes sense.
            if accept.after > math.ceil(newest):
                raise InputError(
                    f"{accept.origin}: accept: after {iso_utc(accept.after)} is later than "
                    f"{name}'s newest run ({utc(newest, '%Y-%m-%d %H:%M:%S UTC')}): it would set "
                    "aside every run until then, the newest included; a typo in the date?"
                )
            cut = sum(1 for r in runs if r.timestamp <= accept.after)
        if best is None or cut > best.runs_set_aside:
            best = Accepted(accept, cut, runs[cut - 1] if cut else None)
    return best


def _ambiguous(accept: Accept, name: str, matching: Sequence[RunHead]) -> InputError:
    """The error for a run id that names several runs, with the `after:` line to use instead.

    The line restarts after the latest of them, as an `after_run` entry did before run ids
    had to be unique.
    """
    latest = yaml_quoted(after_covering(matching[-1].timestamp))
    return InputError(
        f"{accept.origin}: accept: run id {accept.after_run!r} names {len(matching)} runs of "
        f"model {name!r} (each fresh runner starts again at 0001): name the run by its time "
        f"instead; to restart after the latest of them, write after: {latest}"
    )

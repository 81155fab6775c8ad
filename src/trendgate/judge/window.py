"""Window: load each series' newest usable runs, an older one replacing any that fails."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from trendgate.errors import InputError
from trendgate.judge.group import Grouping
from trendgate.model import Run, RunHead, Series
from trendgate.read.files import LoadError

LoadMany = Callable[[Sequence[RunHead]], Sequence[Run | LoadError]]


def window_series(
    groupings: Sequence[Grouping[RunHead]],
    window: Callable[[Grouping[RunHead]], int],
    load: LoadMany,
    models: Sequence[str] = (),
) -> tuple[tuple[Series, ...], tuple[Series, ...], tuple[tuple[RunHead, LoadError], ...]]:
    """Load the newest `window(grouping)` usable runs of each judged series.

    Heads are loaded newest first, all series in one batch per round; each run that fails
    to load is replaced by the next older one in the next round. A series none of whose runs
    loads, and that set none aside, has no usable run and is dropped. Returns the judged
    series, the ignored ones (nothing loaded) and the heads that failed, with why.
    """
    judged = [g for g in groupings if not g.ignored_by]
    depth = {g.model: window(g) for g in judged}
    pending = {g.model: list(g.runs) for g in judged}
    loaded: dict[str, list[Run]] = {g.model: [] for g in judged}  # newest first
    failed: list[tuple[RunHead, LoadError]] = []
    while True:
        batch = []
        for model, heads in pending.items():
            for _ in range(min(len(heads), depth[model] - len(loaded[model]))):
                batch.append((model, heads.pop()))
        if not batch:
            break
        for (model, head), result in zip(batch, load([h for _, h in batch]), strict=True):
            if isinstance(result, LoadError):
                failed.append((head, result))
            else:
                loaded[model].append(result)
    series = tuple(
        Series(
            g.model,
            tuple(reversed(loaded[g.model])),
            g.aliases,
            g.rules,
            g.accepted,
            older_runs=len(pending[g.model]),
        )
        for g in judged
        if loaded[g.model] or pending[g.model] or (g.accepted and g.accepted.runs_set_aside)
    )
    ignored = tuple(
        Series(g.model, (), g.aliases, ignored_by=g.ignored_by, older_runs=len(g.runs))
        for g in groupings
        if g.ignored_by
    )
    found = {s.model for s in series + ignored}
    missing = [m for m in dict.fromkeys(models) if m not in found]
    if missing:
        raise InputError("no runs for model " + ", ".join(repr(m) for m in missing))
    return series, ignored, tuple(failed)

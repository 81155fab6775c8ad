"""What tonight's runs say about the history they join: the series with no run tonight, and the
runs of tonight that an older night's run outranks as their series' newest (never judged)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trendgate.model import RunHead
from trendgate.read.pinchbench import describe_run
from trendgate.read.place import Identity, identity
from trendgate.rules import Rules
from trendgate.words import utc


@dataclass(frozen=True)
class Absent:
    """A series of the history without a run in the SOURCEs, and its newest run."""

    model: str
    last: float  # the newest run's timestamp
    path: str  # the newest run's file in the history

    def message(self, sources: Sequence[str]) -> str:
        """The warning, naming the series and the day of its last run."""
        where = ", ".join(sources)
        return f"{self.model} has no run in {where}: its last run was on {utc(self.last)} (UTC)"


@dataclass(frozen=True)
class Outranked:
    """A run filed tonight that an earlier-filed run of its series outranks as the newest."""

    filed: RunHead  # as it arrived: path is its SOURCE path
    newer: RunHead  # the newest run of the series in the history

    @property
    def message(self) -> str:
        """The error: tonight's run would never be judged, and which run is newer."""
        return (
            f"tonight's run {describe_run(self.filed)} is not the newest run of "
            f"{self.filed.model}: run {describe_run(self.newer)} is newer (a wrong clock on the "
            "runner, or a replayed file?)"
        )


def absent_series(
    index: dict[Identity, list[str]], tonight: set[str], rules: Rules
) -> tuple[Absent, ...]:
    """The series of the history, not set aside by the rules, without a run tonight."""
    newest: dict[str, tuple[float, str, str]] = {}
    for (model, run_id, timestamp), names in index.items():
        series = rules.series_name(model)
        key = (timestamp, run_id, min(names))
        if series not in tonight and not rules.ignored_by(series):
            newest[series] = max(newest.get(series, key), key)
    return tuple(Absent(m, t, path) for m, (t, _, path) in sorted(newest.items()))


def outranked_runs(
    index: dict[Identity, list[str]], filed: Sequence[RunHead], rules: Rules
) -> tuple[Outranked, ...]:
    """The runs of tonight that a run filed on an earlier night outranks as its series' newest.

    A run stamped before the series' newest sorts before it and falls out of the window:
    filed, and never judged.
    """
    tonight = {identity(run) for run in filed}
    newest: dict[str, RunHead] = {}
    for (model, run_id, timestamp), names in index.items():
        if (model, run_id, timestamp) in tonight:
            continue
        head = RunHead(min(names), model, run_id, timestamp)
        series = rules.series_name(model)
        if series not in newest or _rank(head) > _rank(newest[series]):
            newest[series] = head
    found = []
    for run in filed:
        newer = newest.get(rules.series_name(run.model))
        if newer is not None and _rank(newer) > _rank(run):
            found.append(Outranked(run, newer))
    return tuple(found)


def _rank(run: RunHead) -> tuple[float, str]:
    return (run.timestamp, run.run_id)

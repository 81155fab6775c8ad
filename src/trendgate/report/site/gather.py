"""What the site shows of a history: every model's runs, each night's verdict, its events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

from trendgate.judge.analysis import backtest
from trendgate.judge.comparability import comparability_key
from trendgate.model import Accepted, Analysis, Replay, Run, Stale, Trend, Verdict, run_order
from trendgate.rules import Rules
from trendgate.settings import Settings


@dataclass(frozen=True)
class Night:
    """One run of a series and the verdict the gate gave once it had arrived."""

    run: Run
    verdict: Verdict


@dataclass(frozen=True)
class Event:
    """A line across the chart between two runs: an accepted decline or a comparability break."""

    before: int  # index of the last run before the line
    kind: str  # "accepted" or "break"
    text: str  # our words, with untrusted text in it still raw (escaped where it is shown)


@dataclass(frozen=True)
class ModelHistory:
    """One series as the site shows it: all its runs (set-aside ones too) and today's trend."""

    model: str
    nights: tuple[Night, ...]
    trend: Trend
    events: tuple[Event, ...]
    stale: Stale | None


@dataclass(frozen=True)
class History:
    """The analysis of today and every model's history, worst first is the pages' business."""

    analysis: Analysis
    models: tuple[ModelHistory, ...]

    @property
    def newest(self) -> float | None:
        """The time of the newest run filed, the site's "as of" (it reads no clock)."""
        times = [m.nights[-1].run.timestamp for m in self.models if m.nights]
        return max(times) if times else None


def gather(
    history: Path,
    settings: Settings,
    *,
    models: Sequence[str] = (),
    rules: Rules | None = None,
) -> History:
    """Replay the gate over a history directory, with each accepted decline's earlier runs.

    Runs an accepted decline set aside are replayed without that acceptance: on those nights
    the gate had not been told of it.
    """
    rules = rules or Rules()
    replayed = backtest(history, settings, models=models, rules=rules)
    analysis = replayed.analysis
    accepted = [s.model for s in analysis.series if s.accepted and s.accepted.runs_set_aside]
    before: dict[str, list[Night]] = {}
    if accepted:
        earlier = backtest(history, settings, models=accepted, rules=replace(rules, accept=()))
        for series, replay in zip(earlier.analysis.series, earlier.replays, strict=True):
            assert series.accepted is None
            kept = next(s.accepted for s in analysis.series if s.model == series.model)
            before[series.model] = _cut(_nights(replay), kept)
    by_model = {t.model: t for t in analysis.trends}
    shown = []
    for series, replay in zip(analysis.series, replayed.replays, strict=True):
        earlier_nights = before.get(series.model, [])
        nights = (*earlier_nights, *_nights(replay))
        events = _breaks(nights)
        if series.accepted and earlier_nights:
            reason = series.accepted.accept.reason
            events.append(Event(len(earlier_nights) - 1, "accepted", f"accepted: {reason}"))
        shown.append(
            ModelHistory(
                series.model,
                nights,
                by_model[series.model],
                tuple(sorted(events, key=lambda e: (e.before, e.kind))),
                analysis.stale_of(series.model),
            )
        )
    return History(analysis, tuple(shown))


def _nights(replay: Replay) -> list[Night]:
    return [Night(v.after, v.verdict) for v in replay.verdicts]


def _cut(nights: list[Night], accepted: Accepted | None) -> list[Night]:
    """The nights up to the accepted decline's last set-aside run."""
    if accepted is None or accepted.last_set_aside is None:
        return []
    last = run_order(accepted.last_set_aside)
    return [n for n in nights if run_order(n.run) <= last]


def _breaks(nights: Sequence[Night]) -> list[Event]:
    """A line wherever the benchmark version, the task set or the repeats per task change."""
    events = []
    keys = [comparability_key(n.run) for n in nights]  # each run's task set gathered once
    for i, ((old_version, old_tasks, old_repeats), (version, tasks, repeats)) in enumerate(
        pairwise(keys)
    ):
        what = []
        if old_version != version:
            what.append(f"benchmark {old_version or 'none'} to {version or 'none'}")
        if old_tasks != tasks:
            what.append(f"tasks {len(old_tasks)} to {len(tasks)}")
        if old_repeats != repeats:
            what.append(f"repeats {old_repeats or 'none'} to {repeats or 'none'}")
        if what:
            events.append(Event(i, "break", "not comparable: " + ", ".join(what)))
    return events

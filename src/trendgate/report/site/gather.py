"""What the site shows of a history: every model's runs, each night's verdict, its events."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

from trendgate.judge.analysis import backtest
from trendgate.judge.comparability import comparability_key
from trendgate.model import Accepted, Analysis, Replay, Run, Stale, Trend, Verdict, run_order
from trendgate.read.files import LoadError, read_bytes
from trendgate.rules import Rules
from trendgate.settings import Settings

# A workflow run is linked only when its repository and run id look like GitHub's own.
_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_RUN_ID = re.compile(r"[1-9][0-9]{0,19}")
GITHUB = "https://github.com"
_TOP_LEVEL_SOURCE = b'\n  "source": '
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class Workflow:
    """The GitHub Actions run that produced a result file, from its slim record's `source`."""

    repository: str  # owner/name
    run_id: str


@dataclass(frozen=True)
class Night:
    """One run of a series and the verdict the gate gave once it had arrived."""

    run: Run
    verdict: Verdict
    workflow: Workflow | None = None


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
            before[series.model] = _cut(_nights(history, replay), kept)
    by_model = {t.model: t for t in analysis.trends}
    shown = []
    for series, replay in zip(analysis.series, replayed.replays, strict=True):
        earlier_nights = before.get(series.model, [])
        nights = (*earlier_nights, *_nights(history, replay))
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


def _nights(history: Path, replay: Replay) -> list[Night]:
    return [Night(v.after, v.verdict, _workflow(history, v.after)) for v in replay.verdicts]


def _workflow(history: Path, run: Run) -> Workflow | None:
    """workflow_of the run's file, from the `source` its parse kept (Run.source: only keys of
    their type): the file is read again only when that holds no `server_url`, which it lacks
    both when the file has none and when the file's is not a short string (then no link)."""
    source = dict(run.source)
    repository, run_id = source.get("repository"), source.get("workflow_run_id")
    if not isinstance(repository, str) or not isinstance(run_id, str):
        return None  # workflow_of would refuse it too: both must be strings, and short ones
    if "server_url" not in source:
        return workflow_of(history / run.path)
    return _shaped(source["server_url"], repository, run_id)


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


def workflow_of(path: Path) -> Workflow | None:
    """The workflow run named by a slim file's `source`, if it names one on github.com.

    `source` (issue 25's slim runs) carries `server_url`, `repository`, `workflow_run_id` and
    `workflow_run_attempt` when the run was filed under GitHub Actions. Read defensively: the
    file is untrusted and `source` optional, so anything but a repository and run id shaped as
    GitHub's, on github.com itself, gives no link (a link to another host could be anyone's).
    """
    try:
        data = read_bytes(path)
    except (LoadError, OSError):
        return None
    source = _source(data)
    if not isinstance(source, dict):
        return None
    return _shaped(
        source.get("server_url", GITHUB), source.get("repository"), source.get("workflow_run_id")
    )


def _shaped(server_url: object, repository: object, run_id: object) -> Workflow | None:
    """The workflow run, when on github.com and its repository and run id are shaped as
    GitHub's."""
    if server_url != GITHUB:
        return None
    if not isinstance(repository, str) or not isinstance(run_id, str):
        return None
    if not _REPOSITORY.fullmatch(repository) or not _RUN_ID.fullmatch(run_id):
        return None
    return Workflow(repository, run_id)


def _source(data: bytes) -> object:
    """The top-level `source` value: found where PinchBench's layout puts a top-level key
    (two spaces in) and decoded alone, or from the whole document in any other layout."""
    if b'"source"' not in data:
        return None
    at = data.rfind(_TOP_LEVEL_SOURCE)
    try:
        if at >= 0:
            text = data[at + len(_TOP_LEVEL_SOURCE) :].decode("utf-8")
            return _DECODER.raw_decode(text)[0]
        document = json.loads(data)
        return document.get("source") if isinstance(document, dict) else None
    except (ValueError, RecursionError):
        return None

"""The analysis in one call: discover, place, group, window/load, judge (or a backtest)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trendgate.backtest import Replay, replay
from trendgate.config_rules import Rules, settings_with
from trendgate.discover import Discovery, Skipped, discover, discover_files, text_name
from trendgate.files import LoadError
from trendgate.group import group_series
from trendgate.load import load_runs
from trendgate.place import RunHead, place_runs
from trendgate.settings import Settings
from trendgate.trend import Trend, judge
from trendgate.window import Series, window_series


@dataclass(frozen=True)
class Note:
    """Something odd in a file that was still used."""

    path: str
    message: str


@dataclass(frozen=True)
class Analysis:
    """Everything the reports and the gate need, and nothing they must recompute."""

    results_dir: str
    settings: Settings
    files_read: int
    series: tuple[Series, ...]  # each judged model's loaded runs: its window, or whole history
    trends: tuple[Trend, ...]
    skipped: tuple[Skipped, ...]
    notes: tuple[Note, ...]
    directory_error: str | None = None
    rules: Rules = field(default_factory=Rules)
    ignored: tuple[Series, ...] = ()  # series a config rule set aside unjudged
    added: tuple[str, ...] = ()  # the names `--add` filed into the results directory
    left_out: tuple[Skipped, ...] = ()  # the files `--add` did not file, and why

    @property
    def regressed(self) -> tuple[Trend, ...]:
        """The models whose verdict is a regression."""
        return tuple(t for t in self.trends if t.status == "regression")

    @property
    def regression(self) -> bool:
        """True when at least one model regresses."""
        return bool(self.regressed)

    @property
    def nothing_to_gate(self) -> str | None:
        """Why there is no run to judge at all, or None when there is one."""
        if self.trends:
            return None
        if self.directory_error:
            return self.directory_error
        if self.ignored:
            by = self.rules.source or "the rules"
            return f"every model in {self.results_dir} is ignored by {by}"
        if not self.skipped:
            return f"no result files (*.json) in {self.results_dir}"
        return f"no readable run in {self.results_dir}: all {len(self.skipped)} files were skipped"


@dataclass(frozen=True)
class Backtest:
    """The gate replayed over each model's history, beside today's analysis."""

    analysis: Analysis
    replays: tuple[Replay, ...]


Source = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


def analyze(
    source: Source,
    settings: Settings | None = None,
    *,
    models: Sequence[str] = (),
    rules: Rules | None = None,
    whole_history: bool = False,
) -> Analysis:
    """Read a results directory (or the given result files) and judge each model's recent trend.

    With a list of files, `results_dir` is their common directory and paths are relative to it.
    Only `models` are judged when given; naming one without runs raises InputError. Every file
    is placed in its series from its head, and only the runs that end up in a window are parsed
    in full (see load.read_head for what that leaves unchecked); with `whole_history`, every run
    of the judged models is, and `series` holds them all.
    """
    settings = settings or Settings()
    rules = rules or Rules()
    if isinstance(source, (str, os.PathLike)):
        results_dir = os.fspath(source)
        found = discover(Path(results_dir))
    else:
        found = discover_files([Path(p) for p in source])
        results_dir = str(found.root)
    heads, skipped = _place_all(found)
    series, ignored, failed = window_series(
        group_series(heads, models, rules),
        # Each series' own window: a config rule may give it a longer one.
        lambda group: len(heads) if whole_history else settings_with(group.rules, settings).window,
        lambda batch: load_runs(found.root, [head.path for head in batch]),
        models,
    )
    skipped += [Skipped(head.path, str(error)) for head, error in failed]
    trends = tuple(judge(s, settings) for s in series)
    windows = sorted((r for t in trends for r in t.runs), key=lambda r: r.path)
    return Analysis(
        results_dir=text_name(os.fsencode(results_dir)),  # the same text in every locale
        settings=settings,
        files_read=len(heads) - len(failed),
        series=series,
        trends=trends,
        skipped=tuple(sorted(skipped, key=lambda s: s.path)),
        notes=tuple(Note(r.path, note) for r in windows for note in r.notes),
        directory_error=found.error,
        rules=rules,
        ignored=ignored,
    )


def backtest(
    source: Source,
    settings: Settings | None = None,
    *,
    models: Sequence[str] = (),
    rules: Rules | None = None,
) -> Backtest:
    """Read results as analyze() does; give the verdict the gate would have given after each run.

    A replay judges every run, so every run of the judged models is parsed in full.
    """
    settings = settings or Settings()
    analysis = analyze(source, settings, models=models, rules=rules, whole_history=True)
    return Backtest(analysis, tuple(replay(s, settings) for s in analysis.series))


def _place_all(found: Discovery) -> tuple[list[RunHead], list[Skipped]]:
    heads: list[RunHead] = []
    skipped = list(found.skipped)
    for name, placed in zip(found.files, place_runs(found.root, found.files), strict=True):
        if isinstance(placed, LoadError):
            skipped.append(Skipped(name, str(placed)))
        else:
            heads.append(placed)
    return heads, skipped

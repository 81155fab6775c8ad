"""The analysis in one call: discover, place, group, window/load, judge (or a backtest)."""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from trendgate.errors import SourceError
from trendgate.judge.budget import family_of
from trendgate.judge.group import Grouping, group_series
from trendgate.judge.replay import replay
from trendgate.judge.stale import Pace, stale_series, stops
from trendgate.judge.trend import judge
from trendgate.judge.window import window_series
from trendgate.model import Analysis, Backtest, Note, RunHead, Skipped, Unjudged
from trendgate.read.discover import Discovery, discover, discover_files, discover_tree, text_name
from trendgate.read.files import LoadError, read_bytes
from trendgate.read.load import load_runs
from trendgate.read.pinchbench import parse_run
from trendgate.read.place import one_run_each, place_runs
from trendgate.words import count
from trendgate.rules import Rules, settings_with
from trendgate.settings import Family, Settings, budget_settings, positive_threshold

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
    in full (with `noise_runs`, the look-back too; see place.read_head for what that leaves
    unchecked); with `whole_history`, every run of the judged models is, and `series` holds
    them all. Files of one run (model, run id, timestamp) count once (see
    place.one_run_each). A missing results directory, one that cannot be listed, or one whose
    only result files lie in sub-folders raises SourceError.
    """
    settings = settings or budget_settings()
    rules = rules or Rules()
    if isinstance(source, (str, os.PathLike)):
        results_dir = os.fspath(source)
        found = discover(Path(results_dir))
    else:
        found = discover_files([Path(p) for p in source])
        results_dir = str(found.root)
    if found.error:
        raise SourceError(found.error)
    if not found.files and not found.skipped and isinstance(source, (str, os.PathLike)):
        _refuse_sub_folders(results_dir)
    heads, skipped = _place_all(found)
    names = {h.model for h in heads}  # a model whose files all fail to load is still there
    heads, copies, unreadable = one_run_each(found.root, heads)
    if settings.rule == "budget":
        settings = replace(settings, family=_family(heads, rules, settings))
    skipped += [Skipped(path, str(error)) for path, error in unreadable]
    groups = group_series(heads, models, rules)
    series, ignored, failed = window_series(
        groups,
        # Each series' own window (a config rule may give it a longer one), or noise look-back.
        lambda group: (
            len(heads) if whole_history else settings_with(group.rules, settings).look_back
        ),
        lambda batch: load_runs(found.root, [head.path for head in batch]),
        models,
    )
    skipped += [Skipped(head.path, str(error)) for head, error in failed]
    trends = tuple(judge(s, settings) for s in series)
    windows = sorted((r for t in trends for r in t.runs), key=lambda r: r.path)
    shown_dir = text_name(os.fsencode(results_dir))  # the same text in every locale
    warnings = [w for w in [positive_threshold(settings.threshold)] if w]
    warnings += rules.unmatched({rules.series_name(m) for m in names}, names, shown_dir)
    paces = [
        Pace(t.model, [r.timestamp for r in t.runs], t.settings.window, t.settings.stale_after)
        for t in trends
    ]
    return Analysis(
        results_dir=shown_dir,
        settings=settings,
        files_read=len(heads) - len(failed),
        series=series,
        trends=trends,
        skipped=tuple(sorted(skipped, key=lambda s: s.path)),
        notes=tuple(
            sorted(
                [Note(r.path, note) for r in windows for note in r.notes]
                + [Note(c.kept, c.message) for c in copies],
                key=lambda n: n.path,
            )
        ),
        rules=rules,
        ignored=ignored,
        stale=stale_series(paces),
        unjudged=_unjudged(groups, settings, shown_dir) if trends else None,
        setting_warnings=tuple(warnings),
    )


def nothing_read(results_dir: str, settings: Settings) -> Analysis:
    """The analysis of a job stopped before it read anything: no runs."""
    return Analysis(results_dir, settings, 0, (), (), (), ())


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
    settings = settings or budget_settings()
    analysis = analyze(source, settings, models=models, rules=rules, whole_history=True)
    paces = []
    for series in analysis.series:
        own = settings_with(series.rules, settings)
        paces.append(
            Pace(series.model, [r.timestamp for r in series.runs], own.window, own.stale_after)
        )
    replays = tuple(replay(s, analysis.settings) for s in analysis.series)
    return Backtest(analysis, replays, stops(paces))


def _family(heads: Sequence[RunHead], rules: Rules, settings: Settings) -> Family:
    """Every model of the history (not only those judged) and its pace, for the budget."""
    stamps: dict[str, list[float]] = {}
    for head in heads:
        stamps.setdefault(rules.series_name(head.model), []).append(head.timestamp)
    return family_of([stamps[name] for name in sorted(stamps)], settings.look_back)


def _place_all(found: Discovery) -> tuple[list[RunHead], list[Skipped]]:
    heads: list[RunHead] = []
    skipped = list(found.skipped)
    for name, placed in zip(found.files, place_runs(found.root, found.files), strict=True):
        if isinstance(placed, LoadError):
            skipped.append(Skipped(name, str(placed)))
        else:
            heads.append(placed)
    return heads, skipped


def _unjudged(
    groups: Sequence[Grouping[RunHead]], settings: Settings, results_dir: str
) -> Unjudged | None:
    """Unjudged, when no series not set aside has its min_runs runs in the whole directory."""
    counts = []
    for group in groups:
        if group.ignored_by is None:
            runs = len(group.runs) + (group.accepted.runs_set_aside if group.accepted else 0)
            needed = settings_with(group.rules, settings).min_runs
            if runs >= needed:
                return None
            counts.append((needed - runs, group.model, runs, needed))
    if not counts:
        return None
    _, model, runs, needed = min(counts)
    return Unjudged(results_dir, model, runs, needed)


def _refuse_sub_folders(results_dir: str) -> None:
    """Raise SourceError when the results directory's only result files lie in sub-folders.

    download-artifact lays several artifacts out so, and the gate reads only the top level.
    """
    try:
        nested, _ = discover_tree(results_dir)
    except OSError:
        return
    where = text_name(os.fsencode(results_dir))
    for shown, path in nested:
        try:
            parse_run(shown, read_bytes(path))
        except LoadError:
            continue
        raise SourceError(
            f"no result files (*.json) in {where}, but "
            f"{count(len(nested), '*.json file', '*.json files')} in its sub-folders, such as "
            f"{shown}: collect them with "
            f"`trendgate add {shlex.quote(where)} --to HISTORY` and judge HISTORY"
        )

"""The analysis in one call: discover, place, group, window/load, judge (or a backtest)."""

from __future__ import annotations

import difflib
import os
import shlex
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from trendgate.errors import InputError, SourceError
from trendgate.history.add import Added
from trendgate.judge.autocorrelation import estimate
from trendgate.judge.blind import never_fail, segmented_away
from trendgate.judge.budget import family_of
from trendgate.judge.group import Grouping, group_series
from trendgate.judge.pooled import pooled, timeline
from trendgate.judge.replay import replay
from trendgate.judge.stale import Pace, behind_clock, stale_series, stops
from trendgate.judge.trend import judge
from trendgate.judge.window import window_series
from trendgate.model import Analysis, Backtest, Note, RunHead, Series, Skipped, Unjudged
from trendgate.read.discover import Discovery, discover, discover_files, discover_tree, text_name
from trendgate.read.files import LoadError, read_bytes
from trendgate.read.load import load_runs
from trendgate.read.pinchbench import parse_run
from trendgate.read.place import one_run_each, place_runs
from trendgate.rules import Rules
from trendgate.settings import (
    DAY,
    FUTURE_SLACK,
    Family,
    Pooled,
    Settings,
    budget_settings,
    current_time,
    positive_threshold,
)
from trendgate.words import count, utc

Source = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


def analyze(
    source: Source,
    settings: Settings | None = None,
    *,
    models: Sequence[str] = (),
    rules: Rules | None = None,
    whole_history: bool = False,
    added: Added | None = None,
    now: float | None = None,
) -> Analysis:
    """Read a results directory (or the given result files) and judge each model's recent trend.

    `added` is what `--add` filed into it tonight: the analysis names it, what it left out and
    each model absent tonight (a warning).

    With a list of files, `results_dir` is their common directory and paths are relative to it.
    Only `models` are judged when given; naming one without runs raises InputError. Every file
    is placed in its series from its head, and only the runs that end up in a window are parsed
    in full (with `noise_runs`, the look-back too; see place.read_head for what that leaves
    unchecked); with `whole_history`, every run of the judged models is, and `series` holds
    them all. Files of one run (model, run id, timestamp) count once (see
    place.one_run_each). A missing results directory, one that cannot be listed, or one whose
    only result files lie in sub-folders raises SourceError. `now` (default: current_time()) is
    the time the clock rules use: a run more than a day after it is skipped, and a history
    whose every series is stale as of it is said to be behind.
    """
    return _analyze(source, settings, models, rules, whole_history, added, now)[0]


def _analyze(
    source: Source,
    settings: Settings | None,
    models: Sequence[str],
    rules: Rules | None,
    whole_history: bool,
    added: Added | None,
    now: float | None,
) -> tuple[Analysis, tuple[Series, ...]]:
    """analyze(), and under the budget rule every series of its family (those judged and, when
    `models` selects, the others): their look-backs, or with `whole_history` all their runs."""
    moment = current_time(now)
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
    heads, future = _not_after(heads, moment + FUTURE_SLACK, moment)
    skipped += future
    names = {h.model for h in heads}  # a model whose files all fail to load is still there
    _check_named(models, {rules.series_name(m) for m in names} | names)
    heads, copies, unreadable = one_run_each(found.root, heads)
    if settings.rule == "budget":
        settings = replace(settings, family=_family(heads, rules, settings))
    skipped += [Skipped(path, str(error)) for path, error in unreadable]
    groups = group_series(heads, models, rules, settings)
    series, ignored, failed = window_series(
        groups,
        # Each series' own window (a config rule may give it a longer one), or noise look-back.
        lambda group: len(heads) if whole_history else group.settings.look_back,
        lambda batch: load_runs(found.root, [head.path for head in batch]),
        models,
    )
    skipped += [Skipped(head.path, str(error)) for head, error in failed]
    family: tuple[Series, ...] = ()
    if settings.rule == "budget":
        family = series + _others(heads, series, rules, settings, found.root, whole_history)
        settings, series = _pooled(settings, series, pooled(family))
    trends = tuple(judge(s, s.settings) for s in series)
    windows = sorted((r for t in trends for r in t.runs), key=lambda r: r.path)
    shown_dir = text_name(os.fsencode(results_dir))  # the same text in every locale
    warnings = [w for w in [positive_threshold(settings.threshold, settings.rule)] if w]
    warnings += never_fail(settings, rules)
    warnings += rules.unmatched(
        {rules.series_name(m) for m in names}, names, shown_dir, settings.rule
    )
    paces = [
        Pace(t.model, [r.timestamp for r in t.runs], t.settings.window, t.settings.stale_after)
        for t in trends
    ]
    behind = behind_clock(paces, moment)
    said = [] if behind is None else [_behind(behind, moment)]
    said += [w for s, t in zip(series, trends, strict=True) if (w := segmented_away(s, t))]
    differ = [
        f"copies of one run differ: {' and '.join(sorted((c.kept, *c.others)))} "
        "(same model, run id and timestamp)"
        for c in copies
        if not c.identical
    ]
    analysis = Analysis(
        results_dir=shown_dir,
        settings=settings,
        files_read=len(heads) - len(failed),
        series=series,
        trends=trends,
        skipped=tuple(sorted(skipped, key=lambda s: s.path)),
        notes=tuple(
            sorted(
                [Note(r.path, note) for r in windows for note in r.notes]
                + [Note(c.kept, c.message) for c in copies]
                + _absent_tonight(added),
                key=lambda n: n.path,
            )
        ),
        added=tuple(f.name for f in added.filed) if added else (),
        left_out=added.left_out if added else (),
        rules=rules,
        ignored=ignored,
        stale=stale_series(paces),
        unjudged=_unjudged(groups, shown_dir) if trends else None,
        setting_warnings=tuple(warnings + said),
        strict_problems=tuple(differ + said),
    )
    return analysis, family


def _others(
    heads: Sequence[RunHead],
    judged: Sequence[Series],
    rules: Rules,
    settings: Settings,
    root: Path,
    whole_history: bool,
) -> tuple[Series, ...]:
    """The family's series that `models` left out, loaded as judged ones are: the family's
    autocorrelation pools them all, so filtering never changes a verdict."""
    named = {s.model for s in judged}
    rest = [g for g in group_series(heads, (), rules, settings) if g.model not in named]
    if not rest:
        return ()
    series, _, _ = window_series(
        rest,
        lambda group: len(heads) if whole_history else group.settings.look_back,
        lambda batch: load_runs(root, [head.path for head in batch]),
    )
    return series


def _pooled(
    settings: Settings, series: tuple[Series, ...], pooled: Pooled
) -> tuple[Settings, tuple[Series, ...]]:
    """The settings, and each series' own, with the family pooled (judge/pooled.py)."""
    assert settings.family is not None
    family = replace(settings.family, pooled=pooled, autocorrelation=estimate(pooled))
    return replace(settings, family=family), tuple(
        replace(s, settings=replace(s.settings, family=family)) for s in series
    )


def _not_after(
    heads: list[RunHead], latest: float, moment: float
) -> tuple[list[RunHead], list[Skipped]]:
    """The heads stamped at or before `latest`, and the others skipped: from a wrong clock, a
    run would stay the newest of its series, the one every window ends on, for years."""
    kept, future = [], []
    for head in heads:
        if head.timestamp <= latest:
            kept.append(head)
            continue
        when = utc(head.timestamp, "%Y-%m-%d %H:%M:%S UTC")
        now = utc(moment, "%Y-%m-%d %H:%M:%S UTC")
        reason = f"'timestamp' {when} is more than a day after now ({now}): a wrong clock?"
        future.append(Skipped(head.path, reason))
    return kept, future


def _check_named(models: Sequence[str], known: set[str]) -> None:
    """Raise InputError for a model named that has no run, listing the closest names: a
    typo in --model would otherwise be read as a model that stopped."""
    for model in models:
        if model in known:
            continue
        close = difflib.get_close_matches(model, sorted(known), n=3)
        if close:
            listed = ", ".join(repr(c) for c in close)
            raise InputError(f"no runs for model {model!r}; the closest names are {listed}")


def _behind(newest: float, moment: float) -> str:
    return (
        f"no model has had a run since {utc(newest)} ({(moment - newest) / DAY:.1f} days before "
        f"now, {utc(moment, '%Y-%m-%d %H:%M:%S UTC')}): is the history still added to?"
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
    added: Added | None = None,
    now: float | None = None,
) -> Backtest:
    """Read results as analyze() does; give the verdict the gate would have given after each run.

    A replay judges every run, so every run of the judged models is parsed in full.
    """
    settings = settings or budget_settings()
    analysis, family = _analyze(source, settings, models, rules, True, added, now)
    paces = [
        Pace(s.model, [r.timestamp for r in s.runs], s.settings.window, s.settings.stale_after)
        for s in analysis.series
    ]
    line = timeline(family) if family else None
    replays = tuple(replay(s, s.settings, line) for s in analysis.series)
    return Backtest(analysis, replays, stops(paces))


def _family(heads: Sequence[RunHead], rules: Rules, settings: Settings) -> Family:
    """Every model of the history that can be judged (not only those --model selects) and its
    pace, for the budget: a model the config ignores can raise no alarm."""
    stamps: dict[str, list[float]] = {}
    for head in heads:
        stamps.setdefault(rules.series_name(head.model), []).append(head.timestamp)
    judged = sorted(name for name in stamps if not rules.ignored_by(name))
    return family_of([stamps[name] for name in judged], settings.look_back)


def _place_all(found: Discovery) -> tuple[list[RunHead], list[Skipped]]:
    heads: list[RunHead] = []
    skipped = list(found.skipped)
    for name, placed in zip(found.files, place_runs(found.root, found.files), strict=True):
        if isinstance(placed, LoadError):
            skipped.append(Skipped(name, str(placed)))
        else:
            heads.append(placed)
    return heads, skipped


def _unjudged(groups: Sequence[Grouping], results_dir: str) -> Unjudged | None:
    """Unjudged, when no series not set aside has its min_runs runs in the whole directory."""
    counts = []
    for group in groups:
        if group.ignored_by is None:
            runs = len(group.runs) + (group.accepted.runs_set_aside if group.accepted else 0)
            needed = group.settings.min_runs
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


def _absent_tonight(added: Added | None) -> list[Note]:
    """A warning for each model that has no run among tonight's `--add` sources."""
    return [Note(a.path, a.message(added.sources)) for a in added.absent] if added else []

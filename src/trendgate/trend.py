"""Judge: fit a slope to each series' window, turn it into a verdict, gather the evidence."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Literal

from trendgate import stats
from trendgate.config_rules import ModelRule, settings_with
from trendgate.group import Accepted
from trendgate.pinchbench import Run
from trendgate.settings import REPORTING_CONFIDENCE, Settings, XAxis, x_unit
from trendgate.timefmt import utc
from trendgate.window import Series

Status = Literal["regression", "inconclusive", "improving", "stable", "insufficient_data"]

DAY = 86_400.0


@dataclass(frozen=True)
class TaskSlope:
    """One task's slope over the window and its share of the aggregate slope."""

    task_id: str
    slope: float  # score points per x unit
    share: float | None  # None when the aggregate slope is 0


@dataclass(frozen=True)
class CategorySlope:
    """The slope of one category's mean task score."""

    category: str
    slope: float


@dataclass(frozen=True)
class StepChange:
    """A single jump between two flat levels."""

    after: Run  # the last run before the jump
    size: float  # score points, later level minus earlier level


@dataclass(frozen=True)
class Trend:
    """The verdict on one model's window of runs, and the evidence behind it."""

    model: str
    status: Status
    slope: float | None  # score points per run (or per day); None when no slope can be fitted
    runs: tuple[Run, ...]  # the window, oldest first
    total_runs: int
    x: XAxis = "run"
    confidence: float = REPORTING_CONFIDENCE  # the level of slope_ci and min_detectable_slope
    slope_stderr: float | None = None
    slope_ci: tuple[float, float] | None = None
    p_value: float | None = None  # one-sided, for "slope < 0"
    theil_sen_slope: float | None = None
    min_detectable_slope: float | None = None
    more_runs_needed: int | None = None  # inconclusive only: runs that would settle it
    influential_run: Run | None = None  # leaving this run out flips the gate
    step: StepChange | None = None
    tasks: tuple[TaskSlope, ...] = ()  # largest decline first
    categories: tuple[CategorySlope, ...] = ()
    failure_slope: float | None = None  # percentage points of timed-out or errored tasks
    cost_slope: float | None = None  # USD per run
    token_slope: float | None = None  # tokens per run
    warnings: tuple[str, ...] = ()
    settings: Settings = field(default_factory=Settings)  # as applied to this model
    rules: tuple[ModelRule, ...] = ()  # the config's `models:` entries that set them
    aliases: tuple[str, ...] = ()
    accepted: Accepted | None = None

    @property
    def run_count(self) -> int:
        """Runs in the window."""
        return len(self.runs)

    @property
    def x_unit(self) -> str:
        """What the slope is per: a run, or a day."""
        return x_unit(self.x)

    @property
    def span_days(self) -> float:
        """Calendar days from the window's first run to its last."""
        return (self.runs[-1].timestamp - self.runs[0].timestamp) / DAY if self.runs else 0.0


def verdict(fit: stats.Fit | None, run_count: int, settings: Settings) -> Status:
    """The original request's rules, plus significance when `settings.confidence` is set."""
    if fit is None or run_count < settings.min_runs:
        return "insufficient_data"
    if fit.slope < settings.threshold:
        if settings.confidence is None:
            return "regression"
        interval = stats.confidence_interval(fit, settings.confidence)
        return "regression" if interval is not None and interval[1] < 0 else "inconclusive"
    return "improving" if fit.slope > 0 else "stable"


def positions(runs: Sequence[Run], x: XAxis) -> list[float]:
    """Each run's place on the x axis: its index, or days since the window's first run."""
    if x == "time":
        return [(r.timestamp - runs[0].timestamp) / DAY for r in runs]
    return [float(i) for i in range(len(runs))]


def fit_window(
    series: Series, settings: Settings
) -> tuple[tuple[Run, ...], list[float], stats.Fit | None]:
    """The window the gate judges, its x positions, and the least-squares fit of its scores."""
    runs = comparable_runs(series.runs) if settings.segment else series.runs
    window = runs[-settings.window :]
    xs = positions(window, settings.x)
    return window, xs, stats.ols(xs, [r.score_pct for r in window])


def judge(series: Series, settings: Settings) -> Trend:
    """Window a series, classify it, and compute the evidence for the reports."""
    settings = settings_with(series.rules, settings)
    return replace(
        _evidence(series, settings),
        settings=settings,
        rules=series.rules,
        aliases=series.aliases,
        accepted=series.accepted,
    )


def _evidence(series: Series, settings: Settings) -> Trend:
    window, xs, fit = fit_window(series, settings)
    scores = [r.score_pct for r in window]
    status = verdict(fit, len(window), settings)
    warnings = comparability_breaks(window)
    left_out = min(settings.window, series.total_runs) - len(window)
    if left_out > 0:
        warnings.insert(
            0, f"segment: {left_out} older runs not comparable with the latest left out"
        )
    if settings.x == "time" and fit is None and len(window) >= 2:
        warnings.append("all runs in the window share one timestamp: no slope per day")
    if fit is None:
        return Trend(
            series.model,
            status,
            None,
            window,
            series.total_runs,
            settings.x,
            warnings=tuple(warnings),
        )
    confidence = settings.interval_confidence
    tasks = _task_slopes(window, xs, fit.slope)
    return Trend(
        series.model,
        status,
        fit.slope,
        window,
        series.total_runs,
        settings.x,
        confidence=confidence,
        slope_stderr=fit.stderr,
        slope_ci=stats.confidence_interval(fit, confidence),
        p_value=stats.p_value_decline(fit),
        theil_sen_slope=stats.theil_sen(xs, scores),
        min_detectable_slope=stats.slope_margin(fit, confidence),
        more_runs_needed=_more_runs_needed(fit, status, xs, confidence),
        influential_run=_influential_run(window, xs, scores, fit, status, settings),
        step=_step(window, xs, scores),
        tasks=tasks,
        categories=_category_slopes(window, tasks),
        failure_slope=_slope_of(window, xs, _failure_pct),
        cost_slope=_slope_of(window, xs, lambda r: r.cost_usd),
        token_slope=_slope_of(window, xs, lambda r: r.tokens),
        warnings=tuple(warnings),
    )


def comparability_key(run: Run) -> tuple[str | None, frozenset[str], int | None]:
    """What must stay the same for two runs' scores to be comparable."""
    return (run.benchmark_version, frozenset(t.task_id for t in run.tasks), run.runs_per_task)


def comparable_runs(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """The latest runs that are all comparable with the very latest one."""
    if not runs:
        return runs
    latest = comparability_key(runs[-1])
    start = len(runs)
    while start > 0 and comparability_key(runs[start - 1]) == latest:
        start -= 1
    return runs[start:]


def comparability_breaks(window: Sequence[Run]) -> list[str]:
    """One warning per change of benchmark version, task set or repeats inside the window."""
    warnings: list[str] = []
    for before, run in pairwise(window):
        where = f"at run {describe_run(run)}"
        if before.benchmark_version != run.benchmark_version:
            warnings.append(
                f"benchmark_version changed from {_shown(before.benchmark_version)} "
                f"to {_shown(run.benchmark_version)} {where}: scores may not be comparable"
            )
        old = {t.task_id for t in before.tasks}
        new = {t.task_id for t in run.tasks}
        if old != new:
            warnings.append(
                f"task set changed {where}: {len(old)} -> {len(new)} tasks "
                f"({len(new - old)} added, {len(old - new)} removed): scores may not be comparable"
            )
        if before.runs_per_task != run.runs_per_task:
            warnings.append(
                f"runs_per_task changed from {_shown(before.runs_per_task)} "
                f"to {_shown(run.runs_per_task)} {where}: scores may not be comparable"
            )
    return warnings


def describe_run(run: Run) -> str:
    """A run as a person finds it: its id and its UTC date."""
    return f"{run.run_id or run.path}, {utc(run.timestamp)}"


def _shown(value: str | int | None) -> str:
    return "none" if value is None else f"'{value}'"


def _more_runs_needed(
    fit: stats.Fit, status: Status, xs: Sequence[float], confidence: float
) -> int | None:
    if status != "inconclusive":
        return None
    spacing = (xs[-1] - xs[0]) / (len(xs) - 1)
    total = stats.runs_to_decide(fit, confidence, spacing)
    return None if total is None else total - fit.n


def _influential_run(
    window: Sequence[Run],
    xs: Sequence[float],
    scores: Sequence[float],
    full: stats.Fit,
    status: Status,
    settings: Settings,
) -> Run | None:
    """The run whose removal changes whether the gate fails, moving the slope the most."""
    if status == "insufficient_data" or len(window) - 1 < settings.min_runs:
        return None
    fails = status == "regression"
    best: tuple[float, int] | None = None
    for i, fit in enumerate(stats.leave_one_out(xs, scores)):
        if fit is None or (verdict(fit, len(window) - 1, settings) == "regression") == fails:
            continue
        moved = abs(fit.slope - full.slope)
        if best is None or moved > best[0]:
            best = (moved, i)
    return None if best is None else window[best[1]]


def _step(window: Sequence[Run], xs: Sequence[float], scores: Sequence[float]) -> StepChange | None:
    step = stats.step_or_drift(xs, scores)
    return None if step is None else StepChange(window[step.at - 1], step.size)


def _task_slopes(
    window: Sequence[Run], xs: Sequence[float], aggregate: float
) -> tuple[TaskSlope, ...]:
    """Slopes of the tasks present in every run; with a fixed task set their mean is the slope."""
    by_run = [{t.task_id: t.score for t in run.tasks} for run in window]
    common = set(by_run[0]).intersection(*by_run[1:])
    slopes: list[TaskSlope] = []
    for task_id in common:
        fit = stats.ols(xs, [scores[task_id] * 100 for scores in by_run])
        if fit is None:
            continue
        share = fit.slope / len(common) / aggregate if aggregate else None
        slopes.append(TaskSlope(task_id, fit.slope, share))
    return tuple(sorted(slopes, key=lambda t: (t.slope, t.task_id)))


def _category_slopes(
    window: Sequence[Run], tasks: Sequence[TaskSlope]
) -> tuple[CategorySlope, ...]:
    """Mean task slope per category (the latest run's category), largest decline first."""
    category = {t.task_id: t.category or "uncategorized" for t in window[-1].tasks}
    grouped: dict[str, list[float]] = {}
    for task in tasks:
        grouped.setdefault(category[task.task_id], []).append(task.slope)
    slopes = [CategorySlope(name, sum(v) / len(v)) for name, v in grouped.items()]
    return tuple(sorted(slopes, key=lambda c: (c.slope, c.category)))


def _failure_pct(run: Run) -> float | None:
    entries = sum(t.entries for t in run.tasks)
    return 100 * sum(t.failed for t in run.tasks) / entries if entries else None


def _slope_of(
    window: Sequence[Run], xs: Sequence[float], value: Callable[[Run], float | None]
) -> float | None:
    """Slope of a per-run quantity over the runs that report it."""
    points = [(x, v) for x, run in zip(xs, window, strict=True) if (v := value(run)) is not None]
    fit = stats.ols([p[0] for p in points], [p[1] for p in points])
    return None if fit is None else fit.slope

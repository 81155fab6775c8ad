"""Attribution: which tasks and categories carry a decline, and the report-only trends."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from trendgate.judge import stats
from trendgate.model import CategorySlope, Run, TaskSlope

TASK_LEVEL = 0.05  # family-wise error of the task attribution (Holm)


def task_slopes(
    window: Sequence[Run], xs: Sequence[float], aggregate: float
) -> tuple[TaskSlope, ...]:
    """Slopes of the tasks present in every run; with a fixed task set their mean is the slope.

    A task stands out when its one-sided p-value for a decline survives Holm's step-down
    correction over all tested tasks at TASK_LEVEL family-wise.
    """
    by_run = [{t.task_id: t.score for t in run.tasks} for run in window]
    common = set(by_run[0]).intersection(*by_run[1:])
    task_ids = list(common)
    fits = stats.ols_each(xs, [[scores[t] * 100 for scores in by_run] for t in task_ids])
    found: list[tuple[str, float, float | None, float | None, float | None]] = []
    for task_id, fit in zip(task_ids, fits, strict=True):
        if fit is None:
            continue
        share = fit.slope / len(common) / aggregate if aggregate else None
        own = stats.noise(fit)
        p = None if own is None else stats.p_decline(fit, own)
        se = None if own is None else stats.slope_stderr(fit, own)
        found.append((task_id, fit.slope, share, se, p))
    tested = [p for *_, p in found if p is not None]
    stands_out = iter(stats.holm(tested, TASK_LEVEL))  # in the order of the tested tasks
    slopes = [
        TaskSlope(task_id, slope, share, se, p, p is not None and next(stands_out))
        for task_id, slope, share, se, p in found
    ]
    return tuple(sorted(slopes, key=lambda t: (t.slope, t.task_id)))


def category_slopes(window: Sequence[Run], tasks: Sequence[TaskSlope]) -> tuple[CategorySlope, ...]:
    """Mean task slope per category (the latest run's category), largest decline first."""
    category = {t.task_id: t.category or "uncategorized" for t in window[-1].tasks}
    grouped: dict[str, list[float]] = {}
    for task in tasks:
        grouped.setdefault(category[task.task_id], []).append(task.slope)
    slopes = [CategorySlope(name, sum(v) / len(v)) for name, v in grouped.items()]
    return tuple(sorted(slopes, key=lambda c: (c.slope, c.category)))


def failure_pct(run: Run) -> float | None:
    entries = sum(t.entries for t in run.tasks)
    return 100 * sum(t.failed for t in run.tasks) / entries if entries else None


def slope_of(
    window: Sequence[Run], xs: Sequence[float], value: Callable[[Run], float | None]
) -> float | None:
    """Slope of a per-run quantity over the runs that report it."""
    points = [(x, v) for x, run in zip(xs, window, strict=True) if (v := value(run)) is not None]
    fit = stats.ols([p[0] for p in points], [p[1] for p in points])
    return None if fit is None else fit.slope

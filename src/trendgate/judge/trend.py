"""Judge: fit a slope to each series' window, turn it into a verdict, gather the evidence."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from trendgate.judge import autocorrelation, budget, power, stats, tdist
from trendgate.judge.attribution import category_slopes, failure_pct, slope_of, task_slopes
from trendgate.judge.comparability import comparability_breaks, comparable_runs
from trendgate.model import Influence, Noise, Run, Series, StepChange, Trend, Verdict
from trendgate.settings import DAY, Lags, Settings, XAxis


@dataclass(frozen=True)
class Ruling:
    """What the gate decides on a window, before the evidence the reports add."""

    window: tuple[Run, ...]
    xs: list[float]
    fit: stats.Fit | None
    pool: stats.Pool  # the history's residuals pooled into the noise (empty: window only)
    noise: Noise | None
    influence: Influence | None
    verdict: Verdict
    call: budget.Call | None = None  # the budget rule's verdict and what decided it


def rule_on(
    series: Series, settings: Settings, comparable: tuple[Run, ...] | None = None
) -> Ruling:
    """Window a series and give its verdict, with the noise and the influential run behind it.

    Under the budget rule (a level set) its slope and step tests decide (judge/budget.py).
    Under the proposal rule, a slope below the threshold; with a confidence level (the Python
    API's guarded rule) a regression also needs the interval below 0 and must survive leaving
    out the run whose removal raises the slope most, and `improving` the interval above 0.
    `comparable` is comparable_runs(series.runs), when the caller has it already (the replay
    carries it from one run to the next instead of comparing every run's task set again).
    """
    if comparable is None:
        comparable = comparable_runs(series.runs)
    runs = comparable if settings.segment else series.runs
    window = runs[-settings.window :]
    xs = positions(window, settings.x)
    scores = [r.score_pct for r in window]
    fit = stats.ols(xs, scores)
    level = settings.level
    if level is not None:
        earlier = _earlier(comparable, len(window), settings)
        family, rho = settings.family, None
        if family is not None and family.pooled is not None:
            rho = autocorrelation.allowed_for(family, own_lags(comparable, settings))
        call = budget.verdict(
            xs,
            scores,
            positions(earlier, settings.x),
            [r.score_pct for r in earlier],
            level,
            settings.threshold,
            settings.min_runs,
            rho,
        )
        pool = stats.Pool(call.pool.rss, call.pool.df, call.pool.runs)
        return Ruling(window, xs, fit, pool, call.noise, None, call.verdict, call)
    pool = _history_pool(comparable, len(window), settings)
    noise = None if fit is None else stats.noise(fit, pool)
    influence = None
    if fit is not None and fit.slope < settings.threshold:
        left = stats.most_influential(xs, scores)
        if left is not None:
            rest = _regresses(left.fit, len(window) - 1, settings, pool)
            influence = Influence(window[left.index], left.fit.slope, rest)
    verdict = _verdict(fit, noise, len(window), settings, pool, influence)
    return Ruling(window, xs, fit, pool, noise, influence, verdict)


def _regresses(fit: stats.Fit, run_count: int, settings: Settings, pool: stats.Pool) -> bool:
    """The rule without the single-run guard: slope below threshold (and interval below 0)."""
    if run_count < settings.min_runs or fit.slope >= settings.threshold:
        return False
    if settings.confidence is None:
        return True
    noise = stats.noise(fit, pool)
    return noise is not None and stats.interval(fit, noise, settings.confidence)[1] < 0


def _verdict(
    fit: stats.Fit | None,
    noise: Noise | None,
    run_count: int,
    settings: Settings,
    pool: stats.Pool,
    influence: Influence | None,
) -> Verdict:
    if fit is None or run_count < settings.min_runs:
        return "insufficient_data"
    if fit.slope < settings.threshold:
        if settings.confidence is None:
            return "regression"
        held = influence is not None and influence.regression_without
        if held and _regresses(fit, run_count, settings, pool):
            return "regression"
        return "inconclusive"
    if fit.slope <= 0:
        return "stable"
    if settings.confidence is None:
        return "improving"
    lifted = noise is not None and stats.interval(fit, noise, settings.confidence)[0] > 0
    return "improving" if lifted else "stable"


def _history_pool(comparable: tuple[Run, ...], window: int, settings: Settings) -> stats.Pool:
    """Line-fit residuals of the comparable runs before the window, within the look-back."""
    if settings.confidence is None or settings.noise_runs is None:
        return stats.Pool()
    earlier = _earlier(comparable, window, settings)
    xs = positions(earlier, settings.x)
    return stats.block_pool(xs, [r.score_pct for r in earlier], autocorrelation.NOISE_BLOCK)


def own_lags(comparable: tuple[Run, ...], settings: Settings) -> Lags:
    """A model's share of its family's autocorrelation estimate: its comparable look-back
    (comparable_runs of the series) before the latest two runs."""
    return autocorrelation.lags([r.score_pct for r in comparable[-settings.look_back :]])


def _earlier(comparable: tuple[Run, ...], window: int, settings: Settings) -> tuple[Run, ...]:
    """The comparable runs (comparable_runs of the series) before the window, within the noise
    look-back."""
    if settings.noise_runs is None:
        return ()
    history = comparable[-settings.noise_runs :]
    return history[: max(0, len(history) - window)]


def positions(runs: Sequence[Run], x: XAxis) -> list[float]:
    """Each run's place on the x axis: its index, or days since the window's first run."""
    if x == "time":
        return [(r.timestamp - runs[0].timestamp) / DAY for r in runs]
    return [float(i) for i in range(len(runs))]


def judge(series: Series, settings: Settings) -> Trend:
    """Window a series, classify it, and compute the evidence for the reports.

    `settings` are the series' own (Series.settings in the flow: its rules applied).
    """
    return _evidence(series, settings)  # which sets the series' settings, rules and aliases


def _evidence(series: Series, settings: Settings) -> Trend:
    judged = rule_on(series, settings)
    window, xs, fit, noise = judged.window, judged.xs, judged.fit, judged.noise
    verdict = judged.verdict
    scores = [r.score_pct for r in window]
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
            verdict,
            None,
            window,
            series.total_runs,
            settings.x,
            warnings=tuple(warnings),
            settings=settings,
            rules=series.rules,
            aliases=series.aliases,
            accepted=series.accepted,
        )
    confidence = settings.interval_confidence
    tasks = task_slopes(window, xs, fit.slope)
    call = judged.call
    window_needed = None if call else _window_needed(judged, fit, settings)
    if call is not None:
        se: float | None = call.slope_stderr  # widened for autocorrelated runs
    else:
        se = None if noise is None else stats.slope_stderr(fit, noise)
    margin = None
    if se is not None and noise is not None:
        margin = tdist.t_ppf((1 + confidence) / 2, noise.df) * se
    return Trend(
        series.model,
        verdict,
        fit.slope,
        window,
        series.total_runs,
        settings.x,
        confidence=confidence,
        slope_stderr=se,
        slope_ci=None if margin is None else (fit.slope - margin, fit.slope + margin),
        p_value=call.p_value if call else None if noise is None else stats.p_decline(fit, noise),
        theil_sen_slope=stats.theil_sen(xs, scores),
        min_detectable_slope=margin,
        more_runs_needed=None
        if window_needed is None or window_needed > settings.window
        else window_needed - len(window),
        influence=judged.influence,
        step=_step(window, xs, scores),
        tasks=tasks,
        categories=category_slopes(window, tasks),
        failure_slope=slope_of(window, xs, failure_pct),
        cost_slope=slope_of(window, xs, lambda r: r.cost_usd),
        token_slope=slope_of(window, xs, lambda r: r.tokens),
        warnings=tuple(warnings),
        noise=noise,
        expected_false_alarm_rate=(call.level if verdict != "insufficient_data" else None)
        if call
        else _false_alarm_rate(judged, fit, settings),
        detectable_slope=None if noise is None or call else _detectable(fit, noise, settings),
        window_needed=window_needed,
        settings=settings,
        rules=series.rules,
        aliases=series.aliases,
        accepted=series.accepted,
        level=call.level if call else None,
        decided_by=call.decided_by if call else None,
        autocorrelation=call.autocorrelation if call else None,
    )


def _critical(noise: Noise, settings: Settings) -> float | None:
    """The t a decline must pass under the gate's rule; None for the default rule."""
    if settings.confidence is None:
        return None
    return tdist.t_ppf((1 + settings.confidence) / 2, noise.df)


def _false_alarm_rate(ruling: Ruling, fit: stats.Fit, settings: Settings) -> float | None:
    """P(fail) for a trendless series at the ruling's noise, under the rule it was judged by."""
    noise, xs = ruling.noise, ruling.xs
    if noise is None or ruling.verdict == "insufficient_data":
        return None
    if settings.confidence is None:
        return power.fail_probability(
            0.0, settings.threshold, stats.slope_stderr(fit, noise), None, 0
        )
    if fit.n - 1 < settings.min_runs:  # the guard's left-out window could never regress
        return 0.0
    if noise.sd > 0:
        per_sd = settings.threshold / noise.sd
    else:
        per_sd = math.inf if settings.threshold > 0 else -math.inf
    return power.guarded_false_alarm_rate(xs, per_sd, settings.confidence, ruling.pool.df)


def _detectable(fit: stats.Fit, noise: Noise, settings: Settings) -> float:
    return power.detectable_slope(
        settings.threshold, stats.slope_stderr(fit, noise), _critical(noise, settings), noise.df
    )


def _window_needed(ruling: Ruling, fit: stats.Fit, settings: Settings) -> int | None:
    """For an inconclusive decline: the window that would catch this slope with 80 % power.

    Future runs at the window's mean spacing, the noise as now; None when the window would
    be no larger than today's (the guard, not the noise, made it inconclusive) or unbounded.
    """
    noise, xs = ruling.noise, ruling.xs
    if ruling.verdict != "inconclusive" or noise is None or len(xs) < 2:
        return None
    spacing = (xs[-1] - xs[0]) / (len(xs) - 1)
    needed = power.window_for_power(
        fit.slope, settings.threshold, noise.sd, spacing, settings.confidence, ruling.pool.df
    )
    return needed if needed is not None and needed > len(xs) else None


def _step(window: Sequence[Run], xs: Sequence[float], scores: Sequence[float]) -> StepChange | None:
    step = stats.step_or_drift(xs, scores)
    return None if step is None else StepChange(window[step.at - 1], step.size)

"""The evidence behind a verdict in words, shared by the text report and the Markdown summary.

Each phrase builder takes its destination's escape function and returns Escaped text: every
piece from a result file inside it goes through `escape`, the rest is our words and numbers.
"""

from __future__ import annotations

from collections.abc import Callable

from trendgate.escape import Escaped
from trendgate.judge.autocorrelation import widening
from trendgate.model import Trend
from trendgate.read.pinchbench import describe_run
from trendgate.settings import Settings
from trendgate.words import utc

POINTS = "points"  # the unit of a score difference, in every report: `points/run`

WARN_RATE = 0.05  # a nightly false-alarm rate above this is warned about
MAX_TASKS = 3  # tasks named in a line; the JSON report has them all


def options(settings: Settings) -> list[str]:
    """The opt-in settings in force, each as a short phrase (none by default)."""
    phrases = []
    if settings.confidence is not None:
        phrases.append(f"confidence {settings.confidence:g}")
    if settings.x == "time":
        phrases.append("per day")
    if settings.segment:
        phrases.append("comparable segment only")
    if settings.rule == "budget":
        phrases.insert(0, "rule budget")
    if (settings.confidence is not None or settings.rule == "budget") and settings.noise_runs:
        phrases.append(f"noise over the last {settings.noise_runs} comparable runs")
    if settings.stale_after is not None:
        phrases.append(f"stale after {settings.stale_after:g} days")
    return phrases


def family_rate(rate: float | None, models: int) -> str | None:
    """The chance that at least one judged model fails on a night with no trend at all."""
    if rate is None:
        return None
    who = "the one judged model" if models == 1 else f"at least one of the {models} judged models"
    return f"with no trend at all, {who} would fail on {rate:.1%} of nights"


def undecided(trend: Trend, escape: Callable[[str], Escaped]) -> Escaped:
    """Why an inconclusive verdict is one, and what would settle it, escaped by `escape`."""
    return Escaped(_undecided(trend, escape))


def _undecided(trend: Trend, escape: Callable[[str], Escaped]) -> str:
    level = f"{trend.confidence:.0%}"
    if trend.slope_ci is None:
        why = (
            f"{trend.run_count} runs cannot"
            if trend.run_count < 3
            else "the scores are too large to"
        )
        return f"{why} measure the noise, so there is no {level} interval"
    influence = trend.influence
    if influence is not None and trend.slope_ci[1] < 0 and not influence.regression_without:
        return (
            f"the decline rests on one run: without run {escape(describe_run(influence.run))} "
            f"the slope is {influence.slope_without:+.2f} {POINTS}/{trend.x_unit}"
        )
    reach = f"the {level} interval reaches 0"
    if trend.window_needed is None:
        return reach
    if_true = f"if the slope is truly {trend.slope:+.2f} {POINTS}/{trend.x_unit}"
    if trend.more_runs_needed is not None:
        return (
            f"{reach}; {if_true}, about {trend.more_runs_needed} more runs would catch it "
            "80% of the time"
        )
    return f"{reach}; {if_true}, a --window of {trend.window_needed} would catch it 80% of the time"


def evidence(trend: Trend, escape: Callable[[str], Escaped]) -> list[Escaped]:
    """One phrase per piece of evidence; `escape` makes text from result files safe to show."""
    return [Escaped(phrase) for phrase in _evidence(trend, escape)]


def _evidence(trend: Trend, escape: Callable[[str], Escaped]) -> list[str]:
    if not trend.runs:
        return []
    unit = trend.x_unit
    first, last = trend.runs[0].timestamp, trend.runs[-1].timestamp
    phrases = [f"window {utc(first)} to {utc(last)} ({trend.span_days:.1f} days)"]
    fit = []
    if trend.slope_ci is not None:
        fit.append(
            f"{trend.confidence:.0%} CI [{trend.slope_ci[0]:+.2f}, {trend.slope_ci[1]:+.2f}]"
        )
    if trend.slope_stderr is not None:
        fit.append(f"stderr {trend.slope_stderr:.2f}")
    if trend.p_value is not None:
        fit.append(f"one-sided p for a decline {trend.p_value:.4f}")
    if trend.theil_sen_slope is not None:
        fit.append(f"Theil-Sen {trend.theil_sen_slope:+.2f}")
    if fit:
        phrases.append("; ".join(fit))
    if trend.noise is not None:
        phrases.append(_noise(trend))
    if trend.level is not None:
        phrases.append(_budget(trend))
    if trend.step is not None:
        phrases.append(
            f"step of {trend.step.size:+.1f} points after run "
            f"{escape(describe_run(trend.step.after))} (fits clearly better than a drift)"
        )
    influence = trend.influence
    if trend.verdict == "regression" and influence and not influence.regression_without:
        phrases.append(
            f"the decline rests on one run: without run {escape(describe_run(influence.run))} "
            f"the slope is {influence.slope_without:+.2f} {POINTS}/{unit}"
        )
    if trend.verdict in ("regression", "inconclusive"):
        phrases += _attribution(trend, escape)
        if trend.categories:
            phrases.append(
                "categories: "
                + ", ".join(f"{escape(c.category)} {c.slope:+.2f}" for c in trend.categories[:5])
            )
    secondary = [
        f"{name} {value:+{spec}} {measure}/{unit}"
        for name, value, spec, measure in (
            ("timeouts and errors", trend.failure_slope, ".2f", POINTS),
            ("cost", trend.cost_slope, ".4f", "USD"),
            ("tokens", trend.token_slope, ".0f", "tokens"),
        )
        if value
    ]
    if secondary:
        phrases.append("; ".join(secondary) + " (report only)")
    rate = trend.expected_false_alarm_rate
    if rate is not None and rate > WARN_RATE:
        phrases.append(
            f"WARNING: with no trend at all, a model this noisy fails this gate on {rate:.0%} "
            f"of nights; {_lower_rate(trend.settings)} lowers it"
        )
    phrases += [f"WARNING: {escape(w)}" for w in trend.warnings]
    return phrases


def _noise(trend: Trend) -> str:
    """The noise the statistics use, where it came from, and what this window can detect."""
    assert trend.noise is not None
    noise = trend.noise
    where = (
        f"the window's {noise.runs} runs"
        if noise.source == "window"
        else f"{noise.runs} comparable runs (line fits over blocks)"
    )
    phrase = f"noise sd {noise.sd:.2f} from {where}, {noise.df} df"
    if trend.detectable_slope is not None:
        phrase += (
            f"; this gate catches a slope of {trend.detectable_slope:+.2f} {POINTS}/{trend.x_unit} "
            "80% of the time"
        )
    return phrase


def _budget(trend: Trend) -> str:
    """The budget rule's level, the test that decided, and the autocorrelation it allowed for."""
    assert trend.level is not None
    phrase = f"judged at {100 * trend.level:.3g}% a night"
    if trend.decided_by == "slope":
        phrase += ": the slope test failed"
    elif trend.decided_by:
        runs = trend.decided_by.removeprefix("step-")
        phrase += f": the step test failed (each of the latest {runs} runs below the ones before)"
    rho, family = trend.autocorrelation, trend.settings.family
    if rho is not None:
        widen = widening(rho)
        phrase += f"; lag-1 autocorrelation {rho:+.2f} (the family's other models, pooled)" + (
            f", standard errors widened x{widen:.2f}" if widen > 1 else ""
        )
    elif family is not None and family.pooled is not None:
        phrase += "; no autocorrelation allowed for (too few runs of other models)"
    return phrase


def _attribution(trend: Trend, escape: Callable[[str], Escaped]) -> list[str]:
    """The tasks whose decline stands out from their own noise, after Holm's correction."""
    standing = [t for t in trend.tasks if t.stands_out and t.slope < 0]
    if not standing:
        return []
    count = len(trend.tasks)
    shown = [
        f"{escape(t.task_id)} {t.slope:+.2f} (SE {t.stderr or 0:.2f}; "
        f"{t.slope / count:+.2f} of the {trend.slope:+.2f} {POINTS}/{trend.x_unit})"
        for t in standing[:MAX_TASKS]
    ]
    more = len(standing) - len(shown)
    return [
        f"declining tasks that stand out (Holm, 5% family-wise, of {count}): "
        + ", ".join(shown)
        + (f" and {more} more" if more else "")
    ]


def _lower_rate(settings: Settings) -> str:
    """The setting that lowers a gate's false-alarm rate."""
    if settings.threshold > 0:  # it fails every model that holds steady, whatever the noise
        return f"--threshold {-settings.threshold:+.2f}"
    if settings.confidence is None:
        if settings.rule == "budget":
            return "a smaller --false-alarms"
        # Not --confidence: the CLI ignores it under the proposal rule.
        return "the budget rule (leave out --rule proposal)"
    return "a higher --confidence (0.95)" if settings.confidence < 0.95 else "a longer --window"

"""The evidence behind a verdict in words, shared by the text report and the Markdown summary."""

from __future__ import annotations

from collections.abc import Callable

from trendgate.settings import Settings
from trendgate.timefmt import utc
from trendgate.trend import Trend, describe_run
from trendgate.words import count

POINTS = "points"  # the unit of a score difference, in every report: `points/run`


def options(settings: Settings) -> list[str]:
    """The opt-in settings in force, each as a short phrase (none by default)."""
    phrases = []
    if settings.confidence is not None:
        phrases.append(f"confidence {settings.confidence:g}")
    if settings.x == "time":
        phrases.append("per day")
    if settings.segment:
        phrases.append("comparable segment only")
    if settings.stale_after is not None:
        phrases.append(f"stale after {settings.stale_after:g} days")
    return phrases


def undecided(trend: Trend) -> str:
    """Why an inconclusive verdict is one, and what would settle it."""
    level = f"{trend.confidence:.0%}"
    if trend.slope_ci is None:
        why = (
            f"{trend.run_count} runs cannot"
            if trend.run_count < 3
            else "the scores are too large to"
        )
        return f"{why} measure the noise, so there is no {level} interval"
    reach = f"the {level} interval reaches 0"
    if trend.more_runs_needed is None:
        return reach
    return (
        f"{reach}; about {count(trend.more_runs_needed, 'more run')} at this noise would decide "
        f"(a window of {trend.run_count + trend.more_runs_needed})"
    )


def evidence(trend: Trend, escape: Callable[[str], str]) -> list[str]:
    """One phrase per piece of evidence; `escape` makes text from result files safe to show."""
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
        fit.append(f"p(slope<0)={trend.p_value:.4f}")
    if trend.theil_sen_slope is not None:
        fit.append(f"Theil-Sen {trend.theil_sen_slope:+.2f}")
    if fit:
        phrases.append("; ".join(fit))
    if trend.min_detectable_slope is not None:
        phrases.append(
            "smallest slope this window tells from 0: "
            f"±{trend.min_detectable_slope:.2f} {POINTS}/{unit}"
        )
    if trend.step is not None:
        phrases.append(
            f"step of {trend.step.size:+.1f} points after run "
            f"{escape(describe_run(trend.step.after))} (fits better than a drift)"
        )
    if trend.influential_run is not None:
        phrases.append(f"verdict hinges on run {escape(describe_run(trend.influential_run))}")
    if trend.status in ("regression", "inconclusive"):
        declining = [t for t in trend.tasks if t.slope < 0][:3]
        if declining:
            phrases.append(
                "declining tasks: "
                + ", ".join(
                    f"{escape(t.task_id)} {t.slope:+.2f}" + _share(t.share) for t in declining
                )
            )
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
    phrases += [f"WARNING: {escape(w)}" for w in trend.warnings]
    return phrases


def _share(share: float | None) -> str:
    return "" if share is None else f" ({share:.0%} of the decline)"

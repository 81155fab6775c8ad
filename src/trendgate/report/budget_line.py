"""The budget in a sentence: what a team asked for, the level it became, the rate it implies."""

from __future__ import annotations

from trendgate.judge.autocorrelation import AR_FLOOR
from trendgate.model import Trend
from trendgate.settings import DEFAULT_BUDGET, LONE, Family, Settings
from trendgate.words import count


def expected_false_alarms(s: Settings) -> float | None:
    """Expected false alarms across the family over the budget's period at the level used."""
    level = s.level
    if level is None:
        return None
    return (s.family or LONE).rate(level, s.false_alarms or DEFAULT_BUDGET)


def budget_line(s: Settings) -> str | None:
    """One line naming the budget, the per-model-night level and the family rate; None: proposal."""
    level, rate = s.level, expected_false_alarms(s)
    if level is None or rate is None:
        return None
    budget = s.false_alarms or DEFAULT_BUDGET
    family = s.family or LONE
    per_day = f"{family.runs_per_day:.3g}"
    pace = f"{per_day} {'run' if per_day == '1' else 'runs'} a day"
    pace += "" if family.paced else " (assumed)"
    expected = f"{rate:.3g}"
    alarms = "false alarm" if expected == "1" else "false alarms"
    source = (
        f"--confidence {s.confidence:g} sets the level"
        if s.confidence is not None
        else f"false-alarm budget {budget}"
    )
    return (
        f"{source}: each model is judged at {100 * level:.3g}% a night (a slope test and three "
        f"step tests share it), {count(family.models, 'model')} at {pace}, "
        f"{expected} expected {alarms} a {budget.period} across them" + _autocorrelation(family)
    )


def _autocorrelation(family: Family) -> str:
    """The family's pooled lag-1 autocorrelation, and whether the tests allow for it (each
    model's for its other models' runs, judge/autocorrelation.allowed_for)."""
    rho = family.autocorrelation
    if family.models < 2:
        return "; no other model to estimate an autocorrelation from (nothing widened)"
    if rho is None:
        return "; too few runs yet to estimate their autocorrelation (nothing widened)"
    return (
        f"; lag-1 autocorrelation {rho:+.2f} pooled over them (each model's tests allow for "
        f"its other models' above {AR_FLOOR:g})"
    )


def why_regressed(trend: Trend) -> str:
    """Why a regression failed, after "score slope ... over the last N runs"."""
    s = trend.settings
    if trend.level is None:
        return f"is below the threshold {s.threshold:+.2f}"
    floor = f", below the threshold {s.threshold:+.2f}" if s.threshold != 0 else ""
    level = f"{100 * trend.level:.3g}%"
    if trend.decided_by == "slope":
        return f"is a decline beyond the noise at the level {level} a night{floor}"
    runs = (trend.decided_by or "step-2").removeprefix("step-")
    return (
        f"ends in {runs} runs each below the runs before them, at the level {level} a night{floor}"
    )

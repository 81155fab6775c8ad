"""Blind spots: settings under which the gate can never fail, and series it never judges.

A gate that cannot fail passes every night, so each is said in every report (and a series
--segment never judges is error_outcome by --strict).
"""

from __future__ import annotations

from trendgate.judge.comparability import comparability_key
from trendgate.model import Series, Trend
from trendgate.rules import Rules, settings_with
from trendgate.settings import Settings

# With --confidence a regression must hold without its most influential run, on a fit that
# still has a residual to measure the noise with: three runs at least.
GUARDED_FIT = 3
# --segment is told apart from a version bump by this many segments in one window.
MANY_SEGMENTS = 3


def never_fail(settings: Settings, rules: Rules) -> list[str]:
    """A warning for each window (the top level's, or a `models:` entry's) that can never fail."""
    warnings = []
    own = [(None, settings)] + [(r, settings_with([r], settings)) for r in rules.models]
    for rule, applied in own:
        if rule is not None and rule.window is None and rule.min_runs is None:
            continue
        warning = _guarded_blind(applied)
        if warning:
            where = f" ({rule.origin}, models: {rule.pattern!r})" if rule else ""
            warnings.append(warning + where)
    return warnings


def _guarded_blind(settings: Settings) -> str | None:
    if settings.confidence is None or settings.rule == "budget":  # the budget has no guard
        return None
    window, left = settings.window, settings.window - 1
    if left < GUARDED_FIT:
        return (
            f"--confidence with a window of {window} runs can never fail: leaving out the most "
            f"influential run leaves too few to measure the noise; use a window of "
            f"{GUARDED_FIT + 1} or more"
        )
    if left < settings.min_runs:
        return (
            f"--confidence with a window of {window} runs and min_runs {settings.min_runs} can "
            "never fail: leaving out the most influential run leaves fewer than min_runs; use a "
            f"window of {settings.min_runs + 1} or more"
        )
    return None


def segmented_away(series: Series, trend: Trend) -> str | None:
    """The warning for a series --segment never judges: its window holds many segments, none
    of min_runs runs (a fork that writes a git hash as its benchmark version)."""
    settings = trend.settings
    if not settings.segment:
        return None
    window = series.runs[-settings.window :]
    lengths: list[int] = []
    for i, run in enumerate(window):
        if i and comparability_key(run) == comparability_key(window[i - 1]):
            lengths[-1] += 1
        else:
            lengths.append(1)
    if len(lengths) < MANY_SEGMENTS or max(lengths) >= settings.min_runs:
        return None
    return (
        f"--segment: {series.model}'s last {len(window)} runs hold {len(lengths)} segments "
        "(each a different benchmark version, task set or runs per task), so it is never "
        "judged; does its version change every run?"
    )
